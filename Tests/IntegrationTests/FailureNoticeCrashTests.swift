import Foundation
import LiaisonCore
import LiaisonStore
import MIME
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The crash window between recording a permanent delivery failure and queueing its notice to the
/// liaison manager is closed: `liaison run` is SIGKILLed right after it records the failed forward
/// (`LIAISON_CRASH_AT=after-record`), and the notice is already in the outbox; a restart sends it once.
@Suite("Failure notice across a crash", .serialized, .enabled(if: MailStack.shouldRun))
struct FailureNoticeCrashTests {
    @Test("SIGKILL right after a 550 is recorded: the delivery-failure notice is queued with it and sent once after restart")
    func noticeSurvivesCrash() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let p = run.prefix
        // The CCAMP chairs' address does not exist: Postfix refuses it with 550 at RCPT.
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: 1")
            .replacingOccurrences(of: "\(p)-ccamp-chairs@example.test", with: "nosuch-\(p)-ccamp@example.test")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try run.sample("2-itu-plain"), to: "INBOX")
        let log = run.directory.appendingPathComponent("daemon.log").path
        let databasePath = run.directory.appendingPathComponent("state/liaison.sqlite").path

        // Each start dies at its first recorded send; the forward and the acknowledgement may go in
        // either order, so at most two starts reach the forward.
        var forwardRecorded = false
        for _ in 0..<3 where !forwardRecorded {
            let daemon = try DaemonProcess(
                binary: try TestRun.binary(), config: run.configPath, log: log, environment: ["LIAISON_CRASH_AT": "after-record:1"])
            let ending = try await daemon.wait(timeout: .seconds(60))
            #expect(ending == .signalled(SIGKILL), "\(daemon.output())")
            guard ending == .signalled(SIGKILL) else { return }
            let store = try SQLiteStore(path: databasePath)
            let reference = try #require(try await store.statements().first?.reference)
            let outgoing = try await store.outgoing(reference: reference)
            let forward = try #require(outgoing.first { $0.message.kind == .forward })
            guard forward.attempts > 0 else { continue }
            forwardRecorded = true
            #expect(forward.recipients.contains { $0.address.hasPrefix("nosuch-") && $0.state == .permanentFailure && $0.code == 550 })
            let notices = outgoing.filter { $0.message.kind == .deliveryFailure }
            #expect(notices.count == 1, "killed right after the failure was recorded, its notice is already queued")
            #expect(notices.first?.state == .pending)
        }
        #expect(forwardRecorded)

        // A clean restart sends the notice, once.
        let daemon = try DaemonProcess(binary: try TestRun.binary(), config: run.configPath, log: log)
        func notices() -> [MIMEMessage] {
            stack.inbox(of: "\(p)-lm").map { MIMEMessage(bytes: $0) }.filter { $0.subject?.contains("Undeliverable forward") == true }
        }
        try await stack.waitForDelivery(timeout: .seconds(60)) { notices().count >= 1 }
        let ending = try await daemon.stop(with: SIGTERM)
        #expect(ending == .exited(0), "\(daemon.output())")
        try await stack.waitForDelivery { true }
        #expect(notices().count == 1, "\(notices().map(\.subject))")
        #expect(notices().first?.textBody()?.contains("nosuch-\(p)-ccamp@example.test") == true)
    }
}
