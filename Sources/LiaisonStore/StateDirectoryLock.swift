import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a state directory, so that only one Liaison daemon uses its database.
///
/// The daemon takes it before opening ``SQLiteStore`` and keeps it while it runs: an advisory
/// `flock(LOCK_EX | LOCK_NB)` on `<directory>/liaison.lock`. The kernel drops the lock when the
/// process exits, however it exits, so a crash never leaves a stale lock behind; the file
/// itself stays (it holds the last holder's process id, for diagnostics) and is never deleted.
///
/// `flock` locks belong to an open file description, so a second ``StateDirectoryLock`` on the
/// same directory fails even inside the same process.
public final class StateDirectoryLock: @unchecked Sendable {
    /// The lock file's name inside the state directory.
    public static let fileName = "liaison.lock"

    /// The lock file's path.
    public let path: String

    /// The open lock file, `-1` once released; guarded by `mutex` (hence `@unchecked Sendable`).
    private var descriptor: Int32
    private let mutex = NSLock()

    /// Takes the lock on `directory`, creating the lock file if needed; never waits.
    ///
    /// Throws ``StoreError/alreadyLocked(path:)`` when another holder has it,
    /// ``StoreError/directoryMissing(path:)`` when the directory does not exist, and
    /// ``StoreError/lockFailed(path:reason:)`` for any other failure.
    public init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.directoryMissing(path: directory)
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.lockFailed(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK || code == EAGAIN {
                throw StoreError.alreadyLocked(path: path)
            }
            throw StoreError.lockFailed(path: path, reason: String(cString: strerror(code)))
        }
        // Record the holder for whoever inspects the file; failing to do so is harmless.
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        self.path = path
        self.descriptor = fd
    }

    /// Whether this object still holds the lock.
    public var isHeld: Bool {
        mutex.withLock { descriptor >= 0 }
    }

    /// Releases the lock (closing the file); later calls do nothing. Also done on deinit.
    public func release() {
        mutex.withLock {
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }
    }

    deinit {
        release()
    }
}
