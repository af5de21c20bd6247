import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import MIME
import Testing

@testable import LiaisonDaemon

/// An SMTP outage against the real Postfix: while it is stopped, mail stays in the outbox with
/// its Message-ID; once it is back and the retries are due, everything arrives exactly once.
///
/// The test runs its own mail stack (`PrivateMailStack`): stopping the shared one would break the
/// tests running next to it. Time is the pipeline's injected clock; the only waiting is for
/// Postfix to hand the accepted mail to the mailboxes.
@Suite("Postfix outage", .serialized, .enabled(if: PrivateMailStack.shouldRun))
struct PostfixOutageTests {
    /// Where a recipient's mail lands on the stack: its own mailbox at example.test, else the sink.
    func delivered(to address: String, on stack: MailStack) -> [MIMEMessage] {
        let lower = address.lowercased()
        let messages = lower.hasSuffix("@example.test")
            ? stack.inbox(of: String(lower.dropLast("@example.test".count))) : stack.sink(for: lower)
        return messages.map { MIMEMessage(bytes: $0) }
    }

    @Test("Mail queued while Postfix is down is delivered exactly once, with the Message-IDs stored before the outage")
    func outage() async throws {
        let privateStack = try PrivateMailStack.start()
        defer { privateStack.stop() }
        let stack = privateStack.stack
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let intake = try stack.imap(user: run.address("intake"))
        for name in ["1-datatracker", "2-itu-plain", "3-no-fields"] {
            _ = try await intake.append(try run.sample(name), to: "INBOX")
        }

        try privateStack.smtpStop()
        // Whole seconds: the store keeps milliseconds.
        let clock = FixedClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let runtime = try Runtime(
            configuration: try Liaison.configuration(at: run.configPath), clock: clock, logger: Logger(label: "outage-test"))

        // The statements are recorded and moved; every send fails with a transient error.
        let report = try await runtime.poller.pollOnce()
        #expect(report.outcomes.count == 3)
        #expect(try await intake.uids(in: "Processed").count == 3)
        let first = try await runtime.dispatcher.dispatchDue()
        #expect(first.attempted == 5, "three forwards, two acknowledgements")
        #expect(first.delivered == 0 && first.failed == 0)
        #expect(first.deferred > 0)

        let queued = try await runtime.store.outboxEntries(in: [.pending, .failed])
        try #require(queued.count == 5)
        for entry in queued {
            #expect(entry.state == .pending)
            #expect(entry.attempts == 1)
            #expect(entry.nextAttemptAt == clock.now() + 300, "retried after 5 minutes")
            #expect(entry.recipients.allSatisfy { $0.state == .temporaryFailure && $0.code == 0 }, "\(entry.recipients)")
            #expect(MIMEMessage(bytes: entry.message.raw).messageID == entry.message.messageID)
        }
        // Before the outage ends: what was stored, as the operator sees it.
        let listing = try run.liaison("outbox", "--json")
        #expect(listing.status == 0, "\(listing.output)")
        let pending = (try JSONSerialization.jsonObject(with: Data(listing.output.utf8)) as? [String: Any])?["pending"] as? [[String: Any]]
        #expect(pending?.map { $0["messageID"] as? String } == queued.map(\.message.messageID), "\(listing.output)")

        // Still down five minutes later: a second transient failure, the next retry ten minutes on.
        clock.advance(by: 300)
        let second = try await runtime.dispatcher.dispatchDue()
        #expect(second.attempted == 5 && second.delivered == 0 && second.failed == 0)
        let retrying = try await runtime.store.outboxEntries(in: [.pending])
        #expect(retrying.map(\.message.messageID) == queued.map(\.message.messageID))
        #expect(retrying.allSatisfy { $0.attempts == 2 && $0.nextAttemptAt == clock.now() + 600 })

        #expect(
            queued.allSatisfy { entry in entry.recipients.allSatisfy { delivered(to: $0.address, on: stack).isEmpty } },
            "nothing arrived during the outage")

        // Postfix is back. Nothing is sent before the retry is due; then everything is.
        try privateStack.smtpStart()
        #expect(try await runtime.dispatcher.dispatchDue().attempted == 0)
        clock.advance(by: 600)
        let third = try await runtime.dispatcher.dispatchDue()
        #expect(third.attempted == 5)
        #expect(third.deferred == 0 && third.failed == 0)
        #expect(try await runtime.store.outboxEntries(in: [.pending, .failed]).isEmpty)
        #expect(try await runtime.dispatcher.dispatchDue().attempted == 0)

        // Each stored message reached each of its recipients exactly once, with its stored Message-ID.
        let expected = queued.flatMap { entry in entry.recipients.map { ($0.address, entry.message.messageID) } }
        try await stack.waitForDelivery {
            expected.allSatisfy { address, id in delivered(to: address, on: stack).contains { $0.messageID == id } }
        }
        for (address, id) in expected {
            let copies = delivered(to: address, on: stack).filter { $0.messageID == id }
            #expect(copies.count == 1, "\(address) holds \(copies.count) copies of <\(id)>")
        }
        // And nothing else: every message in those mailboxes is one of the stored ones.
        let ids = Set(queued.map(\.message.messageID))
        for address in Set(expected.map { $0.0.lowercased() }) {
            let stray = delivered(to: address, on: stack).filter { !ids.contains($0.messageID ?? "") }
            #expect(stray.isEmpty, "\(address) holds unexpected mail: \(stray.map { $0.subject ?? "" })")
        }
        let forwards = queued.filter { $0.message.kind == .forward }
        #expect(forwards.count == 3)
        #expect(queued.filter { $0.message.kind == .acknowledgement }.count == 2)
    }
}
