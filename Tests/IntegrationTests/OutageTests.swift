import Foundation
import LiaisonCore
import LiaisonStore
import MIME
import Testing

@testable import MailTransport

#if canImport(Glibc)
import Glibc
#endif

/// Outages around the running daemon (docs/reliability.md, "Outages"): a second daemon on the
/// same state, and the intake mailbox deleted and re-created under it (a new UIDVALIDITY).
@Suite("Outages", .serialized, .enabled(if: MailStack.shouldRun))
struct OutageTests {
    /// `operation`, tried up to five times, 200 ms apart; the last error is thrown.
    func retrying<T>(_ operation: () async throws -> T) async throws -> T {
        for _ in 1..<5 {
            if let value = try? await operation() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await operation()
    }

    /// A test run polling every second.
    func fastRun(_ stack: MailStack, mailbox: String = "INBOX") throws -> TestRun {
        let run = try TestRun(stack: stack)
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: 1")
            .replacingOccurrences(of: "  mailbox: INBOX\n", with: "  mailbox: \(mailbox)\n")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
        return run
    }

    /// A plain statement with a unique title and Message-ID.
    func statement(_ run: TestRun, _ index: Int) -> [UInt8] {
        Array(
            """
            From: ITU-T SG15 Rapporteur <\(run.prefix)-sender@example.test>\r
            To: \(run.address("intake"))\r
            Subject: LS on outage item \(index)\r
            Message-ID: <\(run.prefix)-outage-\(index)@itu.int>\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            ITU-T Study Group 15 sends item \(index).\r
            \r
            To: IETF CCAMP WG\r
            For information.\r

            """.utf8)
    }

    /// The titles recorded, by `liaison list`.
    func titles(_ run: TestRun) throws -> [String] {
        try run.liaison("list").output.split(separator: "\n").compactMap { line in
            line.split(separator: "\t").first { $0.hasPrefix("LS on outage item") }.map(String.init)
        }
    }

    /// Whether the outbox has nothing pending or failed.
    func outboxEmpty(_ run: TestRun) throws -> Bool {
        try run.liaison("outbox", "--json").output.filter { !$0.isWhitespace } == #"{"failed":[],"pending":[]}"#
    }

    @Test("A second daemon on the same state directory refuses to start, naming the lock; the first carries on")
    func secondDaemon() async throws {
        let stack = try MailStack.load()
        let run = try fastRun(stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let log = run.directory.appendingPathComponent("daemon.log").path
        let binary = try TestRun.binary()
        let first = try DaemonProcess(binary: binary, config: run.configPath, log: log)
        #expect(try await eventually { first.output().contains("liaison starting") }, "\(first.output())")

        let second = try DaemonProcess(binary: binary, config: run.configPath, log: run.directory.appendingPathComponent("second.log").path)
        let ending = try await second.wait(timeout: .seconds(30))
        #expect(ending != nil && ending != .exited(0), "the second daemon stops: \(ending?.description ?? "still running")")
        let lockPath = run.directory.appendingPathComponent("state/liaison.lock").path
        #expect(second.output().contains("\(lockPath) is locked by another Liaison process"), "\(second.output())")
        #expect(!second.output().contains("liaison starting"))
        #expect(first.poll() == nil, "the first daemon still runs")

        // The first one still does its work, once.
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(statement(run, 1), to: "INBOX")
        #expect(try await eventually { try titles(run) == ["LS on outage item 1"] && outboxEmpty(run) })
        #expect(try await first.stop(with: SIGTERM) == .exited(0))

        // Once it has stopped, the lock is free again: a new daemon starts and works.
        let third = try DaemonProcess(binary: binary, config: run.configPath, log: log)
        _ = try await intake.append(statement(run, 2), to: "INBOX")
        #expect(try await eventually { try titles(run).count == 2 && outboxEmpty(run) }, "\(third.output())")
        #expect(try await third.stop(with: SIGTERM) == .exited(0))
        #expect(try titles(run).sorted() == ["LS on outage item 1", "LS on outage item 2"])
    }

    @Test("The intake mailbox deleted and re-created under the daemon (new UIDVALIDITY): nothing processed twice, nothing missed")
    func mailboxRecreated() async throws {
        let stack = try MailStack.load()
        let run = try fastRun(stack, mailbox: "Intake")
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let intake = try stack.imap(user: run.address("intake"), mailbox: "Intake")
        try await intake.createMailbox("Intake")
        for index in 1...3 { _ = try await intake.append(statement(run, index), to: "Intake") }
        let before = try await intake.status().uidValidity

        let daemon = try DaemonProcess(binary: try TestRun.binary(), config: run.configPath, log: run.directory.appendingPathComponent("daemon.log").path)
        #expect(try await eventually { try titles(run).count == 3 && outboxEmpty(run) }, "\(daemon.output())")
        #expect(try await intake.uids(in: "Processed").count == 3)

        // One more arrives; then the mailbox is deleted and re-created, and the three old
        // messages come back into it (a restore from backup) with the new one and a fifth.
        // Done from a session that never selected Intake. While the daemon's sessions hold the
        // mailbox selected, Dovecot may answer a racing command "Mailbox was deleted under us";
        // the test's own sessions retry on a new connection (the daemon's recovery is under test).
        let restorer = try stack.imap(user: run.address("intake"))
        _ = try await restorer.append(statement(run, 4), to: "Intake")
        try await restorer.deleteMailbox("Intake")
        try await restorer.createMailbox("Intake")
        for index in 1...5 {
            _ = try await retrying { try await stack.imap(user: run.address("intake")).append(statement(run, index), to: "Intake") }
        }
        let after = try await retrying { try await stack.imap(user: run.address("intake"), mailbox: "Intake").status().uidValidity }
        #expect(after != before, "Dovecot gave the new mailbox a new UIDVALIDITY")

        #expect(
            try await eventually {
                guard let left = try? await stack.imap(user: run.address("intake"), mailbox: "Intake").status().messages else {
                    return false
                }
                return try left == 0 && titles(run).count >= 5 && outboxEmpty(run)
            },
            "\(daemon.output())")
        #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
        #expect(daemon.output().contains("UIDVALIDITY changed"))
        #expect(try titles(run).sorted() == (1...5).map { "LS on outage item \($0)" })

        // Exactly one forward per statement reached the list, and one acknowledgement each.
        let store = try SQLiteStore(path: run.directory.appendingPathComponent("state/liaison.sqlite").path)
        #expect(try await store.receivedMessageCount() == 5)
        let outgoing = try await store.outboxEntries(in: OutgoingRecord.State.allCases)
        #expect(outgoing.count == 10 && outgoing.allSatisfy { $0.state == .done })
        try await stack.waitForDelivery { stack.inbox(of: "\(run.prefix)-ccamp").count >= 5 && stack.inbox(of: "\(run.prefix)-sender").count >= 5 }
        for box in ["ccamp", "sender"] {
            let ids = stack.inbox(of: "\(run.prefix)-\(box)").compactMap { MIMEMessage(bytes: $0).header["Message-ID"] }
            #expect(ids.count == 5 && Set(ids).count == 5, "\(box) holds one copy of each of the five: \(ids)")
        }
    }
}
