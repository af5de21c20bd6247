import Foundation
import LiaisonCore

#if canImport(Glibc)
    import Glibc
#endif

/// PDF text through poppler's `pdftotext - -`: the bytes go to its standard input, the text comes
/// from its standard output, with a time limit and a size limit.
public struct PDFToText: Sendable, Equatable {
    /// The path of the `pdftotext` executable.
    public var executable: String
    /// How long one conversion may take before it is stopped.
    public var timeoutSeconds: Double

    /// Uses the executable at `executable`.
    public init(executable: String, timeoutSeconds: Double = 30) {
        self.executable = executable
        self.timeoutSeconds = timeoutSeconds
    }

    /// `pdftotext` from the directories of `searchPath` (`PATH` by default), or `nil` when it is not installed.
    public static func installed(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> PDFToText? {
        let directories = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let path = "\(directory)/pdftotext"
            if FileManager.default.isExecutableFile(atPath: path) { return PDFToText(executable: path) }
        }
        return nil
    }

    /// Converts one PDF.
    func text(of bytes: [UInt8], filename: String, maxCharacters: Int) -> AttachmentText {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-q", "-enc", "UTF-8", "-", "-"]
        // A socket, not a pipe, for standard input: send(MSG_NOSIGNAL) cannot raise SIGPIPE in
        // the daemon when the converter exits before reading everything.
        var sockets: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &sockets) == 0 else {
            return .unread(reason: "\(filename): PDF not read: no socket for pdftotext")
        }
        let ours = sockets[0]
        let childInput = FileHandle(fileDescriptor: sockets[1], closeOnDealloc: true)
        let output = Pipe()
        process.standardInput = childInput
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            close(ours)
            return .unread(reason: "\(filename): PDF not read: pdftotext could not be started (\(error))")
        }
        try? childInput.close()
        let writer = Thread {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count, let base = buffer.baseAddress {
                    let sent = send(ours, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if sent <= 0 { break }
                    offset += sent
                }
            }
            shutdown(ours, Int32(SHUT_WR))
            close(ours)
        }
        writer.start()
        let timedOut = TimeoutFlag()
        let deadline = DispatchWorkItem { [process] in
            if process.isRunning {
                timedOut.set()
                process.terminate()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: deadline)
        var data = Data()
        let byteLimit = maxCharacters * 4
        var cut = false
        while let chunk = try? output.fileHandleForReading.read(upToCount: 65_536), !chunk.isEmpty {
            data.append(chunk)
            if data.count > byteLimit {
                cut = true
                process.terminate()
                break
            }
        }
        process.waitUntilExit()
        deadline.cancel()
        if timedOut.isSet {
            return .unread(reason: "\(filename): PDF not read: pdftotext took longer than \(Int(timeoutSeconds)) s")
        }
        if !cut, process.terminationStatus != 0 {
            return .unread(reason: "\(filename): PDF not read: pdftotext failed (exit \(process.terminationStatus)); the file may be damaged or encrypted")
        }
        let text = String(decoding: data, as: UTF8.self).replacing("\u{0C}", with: "\n")
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .unread(reason: "\(filename): the PDF holds no text (a scan?)")
        }
        let result = AttachmentText.text(text)
        return cut ? AttachmentText(text: String(text.prefix(maxCharacters)), problems: ["\(filename): text cut at \(maxCharacters) characters"]) : result
    }
}

/// A flag set from the timeout's queue and read after the process ended.
private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
