import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME
import Testing

/// The intake pipeline's ordering guarantees, with the real SQLite store and templates and an
/// in-memory mailbox and sender.
@Suite("Intake pipeline")
struct PipelineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let mailbox = InMemoryMailbox()
    let sender = RecordingSender()
    let store: SQLiteStore
    let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
    let poller: MailboxPoller
    let dispatcher: OutboxDispatcher

    init() throws {
        store = try SQLiteStore.inMemory()
        let templates = try TemplateLibrary(directory: Self.repository.appendingPathComponent("templates").path)
        let settings = IntakeSettings(
            serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"),
            liaisonManager: Contact(address: "t-lm@example.test"),
            instanceID: "liaison-test")
        let directory = Directory(
            areas: [Area(acronym: "ops", name: "Operations", directors: [Contact(address: "t-ops-ads@example.test")])],
            groups: [
                Group(acronym: "mars", name: "MARS", area: "ops", list: Contact(address: "t-mars@example.test"), chairs: Contact(address: "t-mars-chairs@example.test")),
                Group(acronym: "ccamp", name: "CCAMP", area: "ops", list: Contact(address: "t-ccamp@example.test")),
            ],
            organizations: [Organization(name: "ITU-T", domains: ["itu.int"], liaisonManagers: [Contact(address: "t-lm-itu@example.test")])])
        let processor = IntakeProcessor(
            settings: settings,
            extractor: StatementExtractor(directory: directory),
            router: Router(directory: directory, rules: [], liaisonManager: settings.liaisonManager),
            mail: OutgoingMailFactory(settings: settings, templates: templates))
        poller = MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock)
        dispatcher = OutboxDispatcher(store: store, sender: sender, clock: clock)
    }

    static func sample(_ name: String) throws -> [UInt8] {
        let url = repository.appendingPathComponent("demo/statements/\(name).eml.in")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "@PREFIX@", with: "t")
        return Array(text.utf8)
    }

    func deliverSamples() throws {
        for name in ["1-datatracker", "2-itu-plain", "3-no-fields"] { mailbox.deliver(try Self.sample(name)) }
    }

    @Test("Three statements: recorded, moved, forwarded, acknowledged; a second poll does nothing")
    func threeStatements() async throws {
        try deliverSamples()
        let report = try await poller.pollOnce()
        #expect(report.newUIDs == [1, 2, 3])
        let states = report.outcomes.compactMap { outcome -> StatementState? in
            if case .recorded(_, _, let state) = outcome { return state }
            return nil
        }
        #expect(states == [.routed, .routed, .needsTriage])
        #expect(mailbox.count("INBOX") == 0)
        #expect(mailbox.count("Processed") == 3)

        let summary = try await dispatcher.dispatchDue()
        #expect(summary.attempted == 5, "three forwards and two acknowledgements (none for the automatic mail)")
        #expect(summary.failed == 0)
        let acknowledged = sender.sent.withLock { $0.filter { $0.envelope.sender.isEmpty }.flatMap(\.envelope.recipients) }
        #expect(acknowledged.sorted() == ["t-alice@example.test", "t-rapporteur@itu.int"])

        let again = try await poller.pollOnce()
        #expect(again.outcomes.isEmpty)
        #expect(try await dispatcher.dispatchDue().attempted == 0)
        #expect(try await store.statements().count == 3)
    }

    @Test("A re-created mailbox (new UIDVALIDITY) is matched by content: nothing is processed twice")
    func uidValidityChange() async throws {
        mailbox.state.withLock { $0.failMoves = true }
        try deliverSamples()
        _ = try await poller.pollOnce()
        #expect(try await store.statements().count == 3)
        mailbox.recreate()
        mailbox.state.withLock { $0.failMoves = false }

        let report = try await poller.pollOnce()
        #expect(report.uidValidityChanged)
        #expect(report.outcomes == [.duplicate(uid: 1), .duplicate(uid: 2), .duplicate(uid: 3)])
        #expect(try await store.statements().count == 3)
        #expect(mailbox.count("Processed") == 3)
        #expect(try await dispatcher.dispatchDue().attempted == 5)
    }

    @Test("A move that fails after the commit is retried first on the next poll, without reprocessing")
    func pendingMove() async throws {
        mailbox.deliver(try Self.sample("2-itu-plain"))
        mailbox.state.withLock { $0.failMoves = true }
        let first = try await poller.pollOnce()
        #expect(first.warnings.count == 1)
        #expect(mailbox.count("INBOX") == 1)

        mailbox.state.withLock { $0.failMoves = false }
        let second = try await poller.pollOnce()
        #expect(second.outcomes.isEmpty)
        #expect(second.moved == 1)
        #expect(mailbox.count("Processed") == 1)
        #expect(mailbox.state.withLock { $0.fetchCount } == 1, "the message was fetched once")
    }

    @Test("A fetch failure stops the poll before later messages, so none is skipped")
    func fetchFailure() async throws {
        try deliverSamples()
        mailbox.state.withLock { $0.failFetches = [2] }
        await #expect(throws: InMemoryMailbox.Unavailable.self) { try await poller.pollOnce() }
        #expect(try await store.statements().count == 1)
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 1)

        mailbox.state.withLock { $0.failFetches = [] }
        let report = try await poller.pollOnce()
        #expect(report.newUIDs == [2, 3])
        #expect(try await store.statements().count == 3)
    }

    @Test("A temporary SMTP failure is retried later with the same bytes and Message-ID")
    func retrySameMessage() async throws {
        mailbox.deliver(try Self.sample("2-itu-plain"))
        _ = try await poller.pollOnce()
        sender.temporarilyDown.withLock { $0 = true }
        let first = try await dispatcher.dispatchDue()
        #expect(first.deferred > 0)
        #expect(try await dispatcher.dispatchDue().attempted == 0, "nothing is due before the backoff")

        sender.temporarilyDown.withLock { $0 = false }
        clock.advance(by: 301)
        let second = try await dispatcher.dispatchDue()
        #expect(second.attempted == 2)
        let stored = try await store.outgoing(reference: StatementReference(year: 2026, number: 1))
        let sentBytes = sender.sent.withLock { $0.map(\.raw) }
        #expect(Set(stored.map(\.message.raw)) == Set(sentBytes))
    }

    @Test("A bounce is quarantined with its reason and the liaison manager is told")
    func quarantine() async throws {
        let bounce = Array(
            "From: MAILER-DAEMON@example.test\r\nTo: t-intake@example.test\r\nSubject: Undelivered Mail\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n\r\nfailed\r\n--b--\r\n".utf8)
        mailbox.deliver(bounce)
        let report = try await poller.pollOnce()
        guard case .quarantined(_, let reason) = report.outcomes.first else {
            Issue.record("expected a quarantine, got \(report.outcomes)")
            return
        }
        #expect(reason.contains("delivery-status"))
        #expect(mailbox.count("Quarantine") == 1)
        #expect(try await store.quarantined().count == 1)
        _ = try await dispatcher.dispatchDue()
        let notice = sender.sent.withLock { $0.first }
        #expect(notice?.envelope.recipients == ["t-lm@example.test"])
        #expect(notice.map { MIMEMessage(bytes: $0.raw).subject?.hasPrefix("[Liaison quarantine]") } == true)
    }

    func reply(from sender: String, body: String) -> [UInt8] {
        Array(
            "From: \(sender)\r\nTo: t-intake@example.test\r\nSubject: Re: [LS-2026-0001] Received: LS on management of 400G\r\nMessage-ID: <\(UUID().uuidString)@example.test>\r\n\r\n\(body)\r\n"
                .utf8)
    }

    @Test("Reply commands: ignored from others, applied from authorized addresses; closing stops reminders")
    func replyCommands() async throws {
        mailbox.deliver(try Self.sample("2-itu-plain"))
        _ = try await poller.pollOnce()
        let reference = StatementReference(year: 2026, number: 1)

        mailbox.deliver(reply(from: "mallory@example.org", body: "Action: taken"))
        mailbox.deliver(reply(from: "t-lm-itu@example.test", body: "Thanks.\r\n> Action: taken\r\nAction: extend 2027-02-01"))
        let report = try await poller.pollOnce()
        #expect(report.outcomes == [.reply(uid: 2, reference: reference), .reply(uid: 3, reference: reference)])
        #expect(try await store.statements().count == 1, "replies are not new statements")
        #expect(try await store.statement(reference: reference)?.statement.deadline == CalendarDate(year: 2027, month: 2, day: 1))
        #expect(try await store.openStatements().count == 1)

        mailbox.deliver(reply(from: "T-OPS-ADS@example.test", body: "Action: taken"))
        _ = try await poller.pollOnce()
        #expect(try await store.openStatements().isEmpty, "closed statements get no reminders")
        let kinds = try await store.events(reference: reference).map(\.kind)
        #expect(kinds.contains("command-ignored"))
        #expect(kinds.contains("extended"))
        #expect(kinds.last == "closed")
        #expect(mailbox.count("Processed") == 4)
    }

    @Test("A response statement is linked to the statement it answers, which leaves action required")
    func responseLinks() async throws {
        mailbox.deliver(try Self.sample("2-itu-plain"))
        _ = try await poller.pollOnce()
        let original = StatementReference(year: 2026, number: 1)
        #expect(try await store.openStatements().map(\.reference) == [original])

        let response = Array(
            """
            From: ITU-T SG15 Rapporteur <t-rapporteur@itu.int>\r
            Subject: Reply LS on management of 400G optical transport interfaces\r
            Message-ID: <t-sg15-ls61@itu.int>\r
            \r
            ITU-T SG15 thanks the IETF. This is in response to SG15-LS54.\r
            To: IETF CCAMP WG\r
            For information.\r

            """.utf8)
        mailbox.deliver(response)
        let report = try await poller.pollOnce()
        let answer = StatementReference(year: 2026, number: 2)
        #expect(report.outcomes.first == .recorded(uid: 2, reference: answer, state: .routed))
        #expect(try await store.events(reference: answer).contains { $0.kind == "in-response-to" && $0.detail == "answers \(original)" })
        #expect(try await store.events(reference: original).contains { $0.kind == "answered" && $0.detail == "answered by \(answer)" })
        #expect(try await store.openStatements().isEmpty, "the answered statement no longer needs action")
    }

    @Test("Recipients that fail for good are reported to the liaison manager, once, and never about a report")
    func deliveryFailureNotice() async throws {
        let templates = try TemplateLibrary(directory: Self.repository.appendingPathComponent("templates").path)
        let settings = IntakeSettings(
            serviceAddress: Contact(address: "t-intake@example.test"), liaisonManager: Contact(address: "t-lm@example.test"))
        let factory = OutgoingMailFactory(settings: settings, templates: templates)
        let dispatcher = OutboxDispatcher(store: store, sender: sender, clock: clock, notices: factory)
        let message = OutgoingMessage(
            messageID: "m1@example.test", kind: .forward, statement: nil,
            envelope: MailEnvelope(sender: "t-intake@example.test", recipients: ["nosuch-x@example.test", "t-ok@example.test"]),
            raw: Array("From: t-intake@example.test\r\nSubject: x\r\n\r\nx\r\n".utf8))
        try await store.enqueue(message, at: clock.now())

        let first = try await dispatcher.dispatchDue()
        #expect(first.failed == 1 && first.delivered == 1)
        let second = try await dispatcher.dispatchDue()
        #expect(second.attempted == 1, "the notice is sent on the next run")
        let notice = try #require(sender.sent.withLock { $0.last })
        #expect(notice.envelope.recipients == ["t-lm@example.test"])
        let parsed = MIMEMessage(bytes: notice.raw)
        #expect(parsed.subject == "Undeliverable forward: 1 recipient failed")
        #expect(parsed.textBody()?.contains("nosuch-x@example.test: 550 no such user") == true)

        let failingNotice = OutgoingMessage(
            messageID: "n1@example.test", kind: .deliveryFailure, statement: nil,
            envelope: MailEnvelope(sender: "t-intake@example.test", recipients: ["nosuch-lm@example.test"]),
            raw: Array("From: t-intake@example.test\r\nSubject: y\r\n\r\ny\r\n".utf8))
        try await store.enqueue(failingNotice, at: clock.now())
        _ = try await dispatcher.dispatchDue()
        #expect(try await dispatcher.dispatchDue().attempted == 0, "no notice about a failed notice")
    }

    @Test("Acknowledgements to one sender are rate-limited: at most 10 in 24 hours")
    func acknowledgementRateLimit() async throws {
        let sample = String(decoding: try Self.sample("2-itu-plain"), as: UTF8.self)
        for index in 0..<12 {
            mailbox.deliver(Array(sample.replacingOccurrences(of: "<t-sg15-ls54@itu.int>", with: "<flood-\(index)@itu.int>").utf8))
        }
        let report = try await poller.pollOnce()
        #expect(report.outcomes.count == 12)
        _ = try await dispatcher.dispatchDue()
        let acknowledgements = sender.sent.withLock { $0.filter { $0.envelope.sender.isEmpty } }
        #expect(acknowledgements.count == 10)
        let last = try await store.events(reference: StatementReference(year: 2026, number: 12))
        #expect(last.contains { $0.kind == "no-acknowledgement" && $0.detail.contains("rate limit: 10 acknowledgements to t-rapporteur@itu.int") })
    }

    @Test("An auto-responder answering our acknowledgement ends the exchange: no further mail")
    func autoReplyLoop() async throws {
        mailbox.deliver(try Self.sample("2-itu-plain"))
        _ = try await poller.pollOnce()
        _ = try await dispatcher.dispatchDue()
        let ack = try #require(sender.sent.withLock { $0.first { $0.envelope.sender.isEmpty } })
        let ackID = try #require(MIMEMessage(bytes: ack.raw).messageID)
        let sentBefore = sender.sent.withLock { $0.count }

        let autoReply = Array(
            """
            From: t-rapporteur@itu.int\r
            To: t-intake@example.test\r
            Subject: Auto: [LS-2026-0001] Received: LS on management of 400G optical transport interfaces\r
            Auto-Submitted: auto-replied\r
            In-Reply-To: <\(ackID)>\r
            \r
            I am out of the office until Monday.\r

            """.utf8)
        mailbox.deliver(autoReply)
        let report = try await poller.pollOnce()
        #expect(report.outcomes == [.reply(uid: 2, reference: StatementReference(year: 2026, number: 1))])
        #expect(try await dispatcher.dispatchDue().attempted == 0)
        #expect(sender.sent.withLock { $0.count } == sentBefore)
        #expect(try await store.statements().count == 1)
    }
}
