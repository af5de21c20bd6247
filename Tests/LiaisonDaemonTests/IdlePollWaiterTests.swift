import Foundation
import LiaisonCore
import Logging
import MailTransport
import Synchronization
import Testing

@testable import LiaisonDaemon

/// The wait between polls with IMAP IDLE, against a scripted watcher: IDLE ends the wait early,
/// and every way IDLE can fail falls back to waiting out the interval, so the next poll is never lost.
@Suite("IDLE poll waiter", .timeLimit(.minutes(1)))
struct IdlePollWaiterTests {
    /// A watcher that answers each wait with the next scripted result and records the timeouts.
    final class ScriptedWatcher: MailboxWatcher {
        enum Step: Sendable {
            case changed, timedOut
            case fails(any Error & Sendable)
        }

        private let script: Mutex<[Step]>
        private let calls = Mutex<[Duration]>([])

        init(_ steps: [Step]) { script = Mutex(steps) }

        var timeouts: [Duration] { calls.withLock { $0 } }

        func waitForChange(timeout: Duration) async throws -> Bool {
            calls.withLock { $0.append(timeout) }
            let step = script.withLock { $0.isEmpty ? Step.timedOut : $0.removeFirst() }
            switch step {
            case .changed: return true
            case .timedOut: return false
            case .fails(let error): throw error
            }
        }
    }

    /// Records the fallback's sleeps instead of sleeping.
    final class SleepLog: Sendable {
        private let sleeps = Mutex<[Duration]>([])
        var all: [Duration] { sleeps.withLock { $0 } }
        var sleep: @Sendable (Duration) async throws -> Void {
            { duration in self.sleeps.withLock { $0.append(duration) } }
        }
    }

    final class LogLines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    struct Handler: LogHandler {
        let lines: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { lines.append("\(event.level) \(event.message)") }
    }

    private func waiter(_ watcher: ScriptedWatcher, requested: Bool = false) -> (IdlePollWaiter, SleepLog, LogLines) {
        let sleeps = SleepLog()
        let lines = LogLines()
        let logger = Logger(label: "test") { _ in Handler(lines: lines) }
        return (IdlePollWaiter(watcher: watcher, requested: requested, logger: logger, sleep: sleeps.sleep), sleeps, lines)
    }

    @Test("New mail ends the wait without sleeping; a quiet mailbox waits out the interval on the watcher")
    func idleWaits() async throws {
        let watcher = ScriptedWatcher([.changed, .timedOut])
        let (waiter, sleeps, _) = waiter(watcher)
        try await waiter.waitForNextPoll(upTo: .seconds(60), lastPollFailed: false)
        try await waiter.waitForNextPoll(upTo: .seconds(60), lastPollFailed: false)
        #expect(watcher.timeouts == [.seconds(60), .seconds(60)])
        #expect(sleeps.all.isEmpty)
    }

    @Test("A server without IDLE: polling from then on, a notice by default")
    func notSupportedFallsBackForGood() async throws {
        let watcher = ScriptedWatcher([.fails(MailboxWatcherError.notSupported("no IDLE capability")), .changed])
        let (waiter, sleeps, lines) = waiter(watcher)
        try await waiter.waitForNextPoll(upTo: .seconds(10), lastPollFailed: false)
        #expect(waiter.isPollingOnly)
        try await waiter.waitForNextPoll(upTo: .seconds(10), lastPollFailed: false)
        #expect(watcher.timeouts.count == 1, "the watcher is not asked again")
        #expect(sleeps.all.count == 2)
        #expect(sleeps.all.allSatisfy { $0 > .zero && $0 <= .seconds(10) })
        #expect(sleeps.all.last == .seconds(10))
        #expect(lines.all.contains { $0.hasPrefix("notice") && $0.contains("offers no IDLE") })
        #expect(!lines.all.contains { $0.hasPrefix("warning") })
    }

    @Test("imap.idle: true on a server without IDLE is a warning")
    func requestedButNotSupportedWarns() async throws {
        let watcher = ScriptedWatcher([.fails(MailboxWatcherError.notSupported("no IDLE capability"))])
        let (waiter, sleeps, lines) = waiter(watcher, requested: true)
        try await waiter.waitForNextPoll(upTo: .seconds(10), lastPollFailed: false)
        #expect(sleeps.all.count == 1)
        #expect(lines.all.contains { $0.hasPrefix("warning") && $0.contains("imap.idle is on") })
    }

    @Test("A failing IDLE waits out the interval, warns once and is tried again at the next wait")
    func failuresAreRetried() async throws {
        let dropped = TransportError.connectionFailed(server: "imap://127.0.0.1:1", code: 7, message: "refused")
        let watcher = ScriptedWatcher([.fails(dropped), .fails(dropped), .changed])
        let (waiter, sleeps, lines) = waiter(watcher)
        for _ in 1...3 { try await waiter.waitForNextPoll(upTo: .seconds(30), lastPollFailed: false) }
        #expect(watcher.timeouts.count == 3, "IDLE is tried at every wait")
        #expect(sleeps.all.count == 2, "the two failed waits sleep; the working one does not")
        #expect(sleeps.all.allSatisfy { $0 > .zero && $0 <= .seconds(30) })
        #expect(lines.all.filter { $0.hasPrefix("warning") }.count == 1, "repeats are not warnings")
        #expect(lines.all.contains { $0.contains("works again") })
        #expect(!waiter.isPollingOnly)
    }

    @Test("While polls fail, the waiter only sleeps (backoff), leaving the server alone")
    func failedPollSleeps() async throws {
        let watcher = ScriptedWatcher([.changed])
        let (waiter, sleeps, _) = waiter(watcher)
        try await waiter.waitForNextPoll(upTo: .seconds(120), lastPollFailed: true)
        #expect(watcher.timeouts.isEmpty)
        #expect(sleeps.all == [.seconds(120)])
    }

    @Test("Cancellation (graceful shutdown) ends the wait with CancellationError, without a fallback sleep")
    func cancellationPropagates() async throws {
        let watcher = ScriptedWatcher([.fails(CancellationError())])
        let (waiter, sleeps, _) = waiter(watcher)
        await #expect(throws: CancellationError.self) {
            try await waiter.waitForNextPoll(upTo: .seconds(10), lastPollFailed: false)
        }
        #expect(sleeps.all.isEmpty)
    }

    // MARK: imap.idle

    private func configuration(idle: String?) throws -> Configuration {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-idle-\(UUID().uuidString)").path
        try Data("secret\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        var text = ConfigurationTests.valid(secret: path)
        if let idle {
            text = text.replacingOccurrences(
                of: "url: imaps://imap.example.org:993", with: "url: imaps://imap.example.org:993\n  idle: \(idle)")
        }
        return try ConfigurationLoader.parse(text, file: "/etc/liaison/liaison.yaml")
    }

    @Test("imap.idle: absent means 'when offered', true and false are kept, anything else is a problem")
    func idleKey() throws {
        #expect(try configuration(idle: nil).imap.idle == nil)
        #expect(try configuration(idle: "true").imap.idle == true)
        #expect(try configuration(idle: "false").imap.idle == false)
        #expect {
            _ = try configuration(idle: "sometimes")
        } throws: { error in
            "\(error)".contains("imap.idle") && "\(error)".contains("expected true or false")
        }
    }
}
