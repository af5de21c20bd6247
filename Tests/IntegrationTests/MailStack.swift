import Foundation
import Logging
import MIME
import MailTransport

/// The project's local Dovecot + Postfix (`scripts/mailstack`), as the tests see it.
///
/// The stack is found through the env file that `scripts/mailstack start` writes (`MAILSTACK_ENV`,
/// default `/tmp/liaison-mailstack/env`). Without it the tests are disabled on a developer's
/// machine, but under `CI=true` they run and fail: CI must never pass without the real servers.
struct MailStack: Sendable {
    let values: [String: String]

    static let envPath = ProcessInfo.processInfo.environment["MAILSTACK_ENV"] ?? "/tmp/liaison-mailstack/env"
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let isAvailable = FileManager.default.fileExists(atPath: envPath)
    /// Integration tests run when the stack is up, and always in CI (where they fail without it).
    static let shouldRun = isAvailable || isCI

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "the mail stack is not running (no \(MailStack.envPath)): start it with scripts/mailstack start, or run make test"
        }
    }

    static func load() throws -> MailStack {
        guard let text = try? String(contentsOfFile: envPath, encoding: .utf8) else { throw Missing() }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return MailStack(values: values)
    }

    subscript(_ key: String) -> String { values[key] ?? "" }

    var host: String { self["MAILSTACK_HOST"] }
    var directory: String { self["MAILSTACK_DIR"] }
    var password: String {
        (try? String(contentsOfFile: self["MAILSTACK_PASSWORD_FILE"], encoding: .utf8))?
            .trimmingCharacters(in: .newlines) ?? ""
    }

    /// An IMAP client for one user of the stack.
    func imap(user: String, mailbox: String = "INBOX") throws -> IMAPMailbox {
        try IMAPMailbox(
            configuration: IMAPConfiguration(
                url: "imap://\(host):\(self["MAILSTACK_IMAP_PORT"])", mailbox: mailbox, username: user, password: password,
                tls: .starttls, caFile: self["MAILSTACK_CA"]),
            logger: Logger(label: "integration-test"))
    }

    /// The raw messages in a user's INBOX, read from the Maildir.
    func inbox(of localPart: String) -> [[UInt8]] {
        let base = "\(self["MAILSTACK_MAILDIR_ROOT"])/example.test/\(localPart)/Maildir"
        var messages: [[UInt8]] = []
        for folder in ["new", "cur"] {
            let directory = "\(base)/\(folder)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() {
                if let data = FileManager.default.contents(atPath: "\(directory)/\(name)") { messages.append([UInt8](data)) }
            }
        }
        return messages
    }

    /// Messages delivered to `sink` (every domain but example.test) for one original recipient.
    func sink(for recipient: String) -> [[UInt8]] {
        inbox(of: "sink").filter { MIMEMessage(bytes: $0).header["X-Original-To"]?.lowercased() == recipient.lowercased() }
    }

    /// Whether Postfix has nothing left in its queue.
    func queueIsEmpty() -> Bool {
        let output = run("/usr/sbin/postqueue", ["-c", "\(directory)/postfix", "-p"])
        return output.contains("Mail queue is empty")
    }

    /// Waits (bounded) until `condition` holds and Postfix's queue is empty.
    func waitForDelivery(timeout: Duration = .seconds(30), until condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() && queueIsEmpty() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// Runs a program and returns what it printed (stdout and stderr).
@discardableResult
func run(_ executable: String, _ arguments: [String], status: UnsafeMutablePointer<Int32>? = nil) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
        try process.run()
    } catch {
        status?.pointee = -1
        return "cannot run \(executable): \(error)"
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    status?.pointee = process.terminationStatus
    return String(decoding: data, as: UTF8.self)
}
