import Foundation
import LiaisonCore
import Testing

@testable import LiaisonDaemon

/// Intake reads new messages incrementally (`UID SEARCH UID n:*` after a STATUS), so a mailbox
/// holding 10,000 already-processed messages costs the same to poll as an empty one. The test
/// checks the work done and reports both durations.
@Suite("Poll cost", .serialized, .enabled(if: MailStack.shouldRun))
struct PollCostTests {
    /// Writes `count` small messages straight into a user's Maildir, as Dovecot would have stored them.
    func fill(_ stack: MailStack, localPart: String, count: Int) throws {
        let home = "\(stack["MAILSTACK_MAILDIR_ROOT"])/example.test/\(localPart)"
        let maildir = "\(home)/Maildir"
        for folder in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(maildir)/\(folder)", withIntermediateDirectories: true)
        }
        let now = Int(Date().timeIntervalSince1970)
        for index in 0..<count {
            let message = "From: old\(index)@itu.int\r\nSubject: LS on archive item \(index)\r\nMessage-ID: <old\(index)@itu.int>\r\n\r\nAlready processed.\r\n"
            let name = "\(now - count + index).M\(index)P1.liaison-test:2,S"
            try Data(message.utf8).write(to: URL(fileURLWithPath: "\(maildir)/cur/\(name)"))
        }
        // Dovecot reads and indexes the Maildir as the unprivileged mail user.
        var status: Int32 = 0
        let output = run("/bin/chown", ["-R", "nobody:nogroup", home], status: &status)
        try #require(status == 0, "chown failed: \(output)")
    }

    struct Timing {
        var report: PollReport
        /// The poll that found, fetched and committed one new message.
        var withNewMessage: Duration
        /// The median of five polls that found nothing new.
        var idle: Duration
    }

    /// Marks everything present as processed, appends one statement and polls; then polls idle.
    func timedPolls(_ run: TestRun) async throws -> Timing {
        let configuration = try Liaison.configuration(at: run.configPath)
        let runtime = try Runtime(configuration: configuration, logger: .init(label: "poll-cost"))
        let status = try await runtime.mailbox.status()
        try await runtime.store.saveCursor(
            MailboxCursor(mailbox: "INBOX", uidValidity: status.uidValidity, lastUID: status.uidNext - 1))
        _ = try await runtime.mailbox.append(try run.sample("2-itu-plain"), to: "INBOX")
        _ = try await runtime.mailbox.status()  // same warm-up for both mailboxes
        let clock = ContinuousClock()
        var report: PollReport?
        let withNew = try await clock.measure { report = try await runtime.poller.pollOnce() }
        var idle: [Duration] = []
        for _ in 0..<5 {
            idle.append(try await clock.measure { _ = try await runtime.poller.pollOnce() })
        }
        return Timing(report: try #require(report), withNewMessage: withNew, idle: idle.sorted()[2])
    }

    @Test("A mailbox of 10,000 processed messages polls like an empty one")
    func tenThousand() async throws {
        let stack = try MailStack.load()
        let full = try TestRun(stack: stack)
        try fill(stack, localPart: "\(full.prefix)-intake", count: 10_000)
        let empty = try TestRun(stack: stack)
        try fill(stack, localPart: "\(empty.prefix)-intake", count: 0)
        let intake = try stack.imap(user: full.address("intake"))
        #expect(try await intake.status().messages == 10_000)

        let large = try await timedPolls(full)
        let small = try await timedPolls(empty)
        for report in [large.report, small.report] {
            #expect(report.newUIDs.count == 1, "only the new message is searched and fetched")
            #expect(report.outcomes.count == 1)
        }
        // Reported, not asserted: durations depend on the machine. The idle poll is the daemon's
        // usual case; the first includes Dovecot re-reading the Maildir after the append.
        print(
            """
            poll-cost: idle poll (median of 5): 10,000 processed messages \(large.idle), empty mailbox \(small.idle), \
            ratio \(String(format: "%.2f", large.idle / small.idle))
            poll-cost: poll with one new message: 10,000 processed messages \(large.withNewMessage), \
            empty mailbox \(small.withNewMessage)
            """)
    }
}
