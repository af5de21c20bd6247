import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME
import Testing

/// Issue 8 with an in-memory mailbox and sender, the real store and templates, and a test clock:
/// the courtesy extension notice, community feedback, invitation requests (refused and sent),
/// replies, reminders and the summary.
@Suite("Engagement and extension notices")
struct EngagementWalkTests {
    let zone = TimeZone(identifier: "Europe/Amsterdam") ?? .current
    let mailbox = InMemoryMailbox()
    let sender = RecordingSender()
    let store: SQLiteStore
    let clock: FixedClock
    let poller: MailboxPoller
    let dispatcher: OutboxDispatcher
    let engagement: EngagementRun
    let processor: IntakeProcessor

    static let directory = Directory(
        areas: [Area(acronym: "ops", name: "Operations", directors: [Contact(address: "t-ops-ads@example.test")])],
        groups: [
            Group(
                acronym: "mars", name: "MARS", area: "ops", list: Contact(address: "t-mars@example.test"),
                chairs: Contact(address: "t-mars-chairs@example.test"))
        ],
        organizations: [
            Organization(name: "ITU-T", domains: ["itu.int"], liaisonManagers: [Contact(address: "t-lm-itu@example.test")]),
            .community(
                name: "NANOG", domains: ["nanog.example"], engagementManagers: [Contact(name: "EM", address: "t-em@example.test")],
                contacts: [Contact(address: "t-nanog-list@example.test")]),
            .community(
                name: "RIPE", domains: ["ripe.example"], engagementManagers: [Contact(name: "EM", address: "t-em@example.test")],
                contacts: [Contact(address: "t-ripe-list@example.test")]),
        ])

    init() throws {
        store = try SQLiteStore.inMemory()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        clock = FixedClock(try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 9))))
        let templates = try TemplateLibrary(directory: PipelineTests.repository.appendingPathComponent("templates").path)
        var settings = IntakeSettings(
            serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"), liaisonManager: Contact(address: "t-lm@example.test"),
            timeZone: zone, instanceID: "liaison-test")
        settings.invitationAddress = "t-intake+invite@example.test"
        let mail = OutgoingMailFactory(settings: settings, templates: templates)
        processor = IntakeProcessor(
            settings: settings, extractor: StatementExtractor(directory: Self.directory),
            router: Router(directory: Self.directory, rules: [], liaisonManager: settings.liaisonManager), mail: mail)
        poller = MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock)
        dispatcher = OutboxDispatcher(store: store, sender: sender, clock: clock)
        engagement = EngagementRun(store: store, mail: mail, directory: Self.directory, clock: clock)
    }

    func sent() -> [(envelope: MailEnvelope, message: MIMEMessage)] {
        sender.sent.withLock { all in all.map { sent in (envelope: sent.envelope, message: MIMEMessage(bytes: sent.raw)) } }
    }

    func request(from: String, body: String) -> [UInt8] {
        Array(
            "From: \(from)\r\nTo: t-intake+invite@example.test\r\nSubject: Operator input on access YANG\r\nMessage-ID: <\(UUID().uuidString)@example.test>\r\n\r\n\(body)"
                .utf8)
    }

    @Test("Action: extend queues the courtesy notice to the peer; the same date again does not")
    func extensionNotice() async throws {
        mailbox.deliver(try PipelineTests.sample("2-itu-plain"))
        _ = try await poller.pollOnce()
        _ = try await dispatcher.dispatchDue()
        let before = sent().count
        for _ in 0..<2 {
            mailbox.deliver(
                Array(
                    "From: t-lm-itu@example.test\r\nTo: t-intake@example.test\r\nSubject: Re: [LS-2026-0001] x\r\nMessage-ID: <\(UUID().uuidString)@example.test>\r\n\r\nAction: extend 2027-02-20\r\n"
                        .utf8))
            _ = try await poller.pollOnce()
        }
        _ = try await dispatcher.dispatchDue()
        let notices = sent().dropFirst(before).filter { $0.message.subject?.contains("New reply date") == true }
        #expect(notices.count == 1, "the second extend to the same date changes nothing to tell")
        let notice = try #require(notices.first)
        #expect(notice.envelope.recipients == ["t-rapporteur@itu.int", "t-lm-itu@example.test"])
        #expect(notice.envelope.sender == "t-intake@example.test")
        #expect(notice.message.header["Auto-Submitted"] == "auto-generated")
        #expect(notice.message.header["X-Liaison-Reference"] == "LS-2026-0001")
        #expect(notice.message.textBody()?.contains("We now expect to answer by 2027-02-20") == true)
    }

    @Test("Community feedback naming a draft goes to that WG with the engagement manager copied, without triage")
    func communityFeedback() async throws {
        mailbox.deliver(
            Array(
                "From: Nora <nora@nanog.example>\r\nTo: t-intake@example.test\r\nSubject: Feedback on draft-ietf-mars-access-yang\r\nMessage-ID: <f1@nanog.example>\r\n\r\nSection 4 is wrong.\r\n"
                    .utf8))
        let report = try await poller.pollOnce()
        #expect(report.outcomes.first == .recorded(uid: 1, reference: StatementReference(year: 2026, number: 1), state: .routed))
        let recorded = try #require(try await store.statement(reference: StatementReference(year: 2026, number: 1)))
        #expect(recorded.statement.fromOrganization == "NANOG")
        #expect(recorded.statement.title == "Feedback on draft-ietf-mars-access-yang")
        #expect(recorded.routing.to.map(\.address) == ["t-mars-chairs@example.test", "t-mars@example.test"])
        #expect(recorded.routing.cc.map(\.address).contains("t-em@example.test"))
        #expect(!recorded.routing.allAddresses.contains("t-lm@example.test"))
    }

    @Test("Requests: a stranger's is quarantined, one with problems goes back as a list, a valid one invites each community")
    func requests() async throws {
        mailbox.deliver(request(from: "t-mallory@example.test", body: "Communities: NANOG\r\nWork: draft-ietf-mars-x\r\nClosing: 2026-12-07\r\n\r\nText.\r\n"))
        mailbox.deliver(request(from: "EM <t-em@example.test>", body: "Communities: NANOG, ITU-T, Foo\r\nWork: draft-ietf-bar-x\r\nClosing: 2026-11-01\r\n\r\nText.\r\n"))
        mailbox.deliver(request(from: "EM <t-em@example.test>", body: "Communities: NANOG, RIPE\r\nWork: draft-ietf-mars-x\r\nClosing: 2026-12-07\r\n\r\nPlease comment.\r\n"))
        let report = try await poller.pollOnce()
        #expect(report.outcomes.count == 3)
        #expect(mailbox.count("Quarantine") == 2)
        #expect(report.outcomes[2] == .recorded(uid: 3, reference: StatementReference(prefix: "INV", year: 2026, number: 1), state: .routed))
        _ = try await dispatcher.dispatchDue()
        let problems = try #require(sent().first { $0.message.subject?.hasPrefix("Invitation not sent") == true })
        #expect(problems.envelope.recipients == ["t-em@example.test"] && problems.envelope.sender == "")
        #expect(problems.message.header["Auto-Submitted"] == "auto-replied")
        let text = try #require(problems.message.textBody())
        #expect(text.contains("ITU-T is a peer organization"))
        #expect(text.contains("unknown community Foo"))
        #expect(text.contains("no known working group for draft-ietf-bar-x"))
        #expect(text.contains("the closing date 2026-11-01 is not after today (2026-11-23)"))
        let invitations = sent().filter { $0.message.subject?.hasPrefix("[INV-2026-0001] Invitation to comment") == true }
        #expect(invitations.map(\.envelope.recipients) == [["t-nanog-list@example.test", "t-em@example.test"], ["t-ripe-list@example.test", "t-em@example.test"]])
        #expect(sent().filter { $0.envelope.recipients.contains("t-mallory@example.test") }.isEmpty)
        #expect(sent().contains { $0.envelope.recipients == ["t-lm@example.test"] && $0.message.textBody()?.contains("not a configured") == true })
    }

    @Test("No replies: the reminders say so and the summary tells the WG none came, once")
    func noReplies() async throws {
        mailbox.deliver(request(from: "EM <t-em@example.test>", body: "Communities: RIPE\r\nGroup: mars\r\nClosing: 2026-11-30\r\n\r\nPlease comment.\r\n"))
        _ = try await poller.pollOnce()
        var actions: [EngagementAction] = []
        for day in 0..<10 {
            clock.set(clock.now().addingTimeInterval(day == 0 ? 0 : 86_400))
            actions += try await engagement.run()
            actions += try await engagement.run()
        }
        let reference = StatementReference(prefix: "INV", year: 2026, number: 1)
        #expect(actions == [.reminder(reference, daysBefore: 7), .reminder(reference, daysBefore: 1), .summary(reference, replies: 0)])
        _ = try await dispatcher.dispatchDue()
        let summary = try #require(sent().first { $0.message.subject?.contains("Community comments") == true })
        #expect(summary.message.subject == "[INV-2026-0001] Community comments on Operator input on access YANG: no replies")
        #expect(summary.envelope.recipients == ["t-mars-chairs@example.test", "t-mars@example.test", "t-em@example.test"])
        #expect(summary.message.textBody()?.contains("No replies were received.") == true)
        #expect(summary.message.textBody()?.contains("No reply from: RIPE") == true)
    }

    @Test("Excerpts leave out quoted text and signatures")
    func excerpt() {
        let text = "On Mon, X wrote:\n> quoted\nWe deploy it.\n\nIt works.\n-- \nOlivia"
        #expect(InvitationReply.excerpt(of: text) == "We deploy it. It works.")
        #expect(InvitationReply.excerpt(of: String(repeating: "a ", count: 400), limit: 10) == "a a a a a…")
    }
}
