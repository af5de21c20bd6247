import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One `liaison run` started with `posix_spawn`, its output appended to a log file, reaped with
/// `waitpid` — so a test can SIGKILL it and read how it ended (Foundation's `Process` hides
/// whether a child died of a signal behind its own bookkeeping and polls a socket for the end).
final class DaemonProcess {
    /// How the process ended.
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var reason: String
        var description: String { "cannot start liaison run: \(reason)" }
    }

    let pid: pid_t
    /// The log's size when this process started: its own output begins there.
    let logOffset: UInt64
    let logPath: String
    private(set) var ending: Ending?

    /// Starts `liaison run --config CONFIG ARGUMENTS…` with `environment` added to the test's own.
    init(binary: String, config: String, log: String, environment extra: [String: String] = [:], arguments: [String] = []) throws {
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        logPath = log
        logOffset = ((try? FileManager.default.attributesOfItem(atPath: log))?[.size] as? NSNumber)?.uint64Value ?? 0
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LIAISON_CRASH_AT")
        environment.removeValue(forKey: "JOURNAL_STREAM")
        for (key, value) in extra { environment[key] = value }
        let argv = [binary, "run", "--config", config] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let result = Self.withCStrings(argv) { cArgv in
            Self.withCStrings(envp) { cEnvp in posix_spawn(&pid, binary, &actions, nil, cArgv, cEnvp) }
        }
        guard result == 0 else { throw SpawnFailed(reason: String(cString: strerror(result))) }
        self.pid = pid
    }

    deinit {
        // Never leave a daemon behind, whatever the test did.
        if ending == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Reaps the process if it has ended; `nil` while it runs.
    func poll() -> Ending? {
        if let ending { return ending }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
        let ending: Ending = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
        self.ending = ending
        return ending
    }

    /// Waits (bounded) for the process to end; `nil` if it still runs after `timeout`.
    func wait(timeout: Duration) async throws -> Ending? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let ending = poll() { return ending }
            try await Task.sleep(for: .milliseconds(20))
        }
        return poll()
    }

    /// Sends `signal` and waits for the end (bounded).
    func stop(with signal: Int32, timeout: Duration = .seconds(30)) async throws -> Ending? {
        if let ending = poll() { return ending }
        kill(pid, signal)
        return try await wait(timeout: timeout)
    }

    /// What this process wrote to the log.
    func output() -> String {
        guard let handle = FileHandle(forReadingAtPath: logPath) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: logOffset)
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
