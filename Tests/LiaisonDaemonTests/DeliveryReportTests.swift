import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME
import Testing

/// DSN, MDN, ARF reports and bounces: attached to the statement whose mail they concern, with
/// the real SQLite store and templates and an in-memory mailbox and sender.
@Suite("Delivery reports")
struct DeliveryReportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reports")

    let mailbox = InMemoryMailbox()
    let sender = RecordingSender()
    let store: SQLiteStore
    let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
    let poller: MailboxPoller
    let dispatcher: OutboxDispatcher
    let settings = IntakeSettings(
        serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"),
        liaisonManager: Contact(address: "t-lm@example.test"),
        instanceID: "liaison-test")
    let reference = StatementReference(year: 2026, number: 1)

    init() throws {
        store = try SQLiteStore.inMemory()
        let templates = try TemplateLibrary(directory: Self.repository.appendingPathComponent("templates").path)
        let directory = Directory(
            areas: [Area(acronym: "ops", name: "Operations", directors: [Contact(address: "t-ops-ads@example.test")])],
            groups: [Group(acronym: "ccamp", name: "CCAMP", area: "ops", list: Contact(address: "t-ccamp@example.test"))],
            organizations: [Organization(name: "ITU-T", domains: ["itu.int"], liaisonManagers: [Contact(address: "t-lm-itu@example.test")])])
        let mail = OutgoingMailFactory(settings: settings, templates: templates)
        let processor = IntakeProcessor(
            settings: settings,
            extractor: StatementExtractor(directory: directory),
            router: Router(directory: directory, rules: [], liaisonManager: settings.liaisonManager),
            mail: mail)
        poller = MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock)
        dispatcher = OutboxDispatcher(store: store, sender: sender, clock: clock, notices: mail)
    }

    /// A report fixture, about the message with `originalID`.
    static func report(_ name: String, about originalID: String) throws -> [UInt8] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return Array(text.replacingOccurrences(of: "@ORIGINAL-ID@", with: originalID).utf8)
    }

    /// Records the ITU-T sample statement and sends its forward and acknowledgement; returns them.
    func recordStatement() async throws -> (forward: OutgoingMessage, acknowledgement: OutgoingMessage) {
        let text = try String(
            contentsOf: Self.repository.appendingPathComponent("demo/statements/2-itu-plain.eml.in"), encoding: .utf8)
        mailbox.deliver(Array(text.replacingOccurrences(of: "@PREFIX@", with: "t").utf8))
        _ = try await poller.pollOnce()
        #expect(try await dispatcher.dispatchDue().attempted == 2)
        sender.sent.withLock { $0.removeAll() }
        let outgoing = try await store.outgoing(reference: reference)
        let forward = try #require(outgoing.first { $0.message.kind == .forward }?.message)
        let acknowledgement = try #require(outgoing.first { $0.message.kind == .acknowledgement }?.message)
        return (forward, acknowledgement)
    }

    func recipient(_ address: String, of messageID: String) async throws -> OutgoingRecipientStatus? {
        try await store.outgoing(reference: reference).first { $0.message.messageID == messageID }?
            .recipients.first { $0.address == address }
    }

    func sentNothingToReportSenders() -> Bool {
        sender.sent.withLock { sent in
            sent.allSatisfy { !$0.envelope.sender.isEmpty }  // no acknowledgement (null reverse path)
                && !sent.flatMap(\.envelope.recipients).contains { $0.lowercased().hasPrefix("mailer-daemon") }
        }
    }

    @Test("A Postfix DSN: attached to the statement, the recipient marked failed, the liaison manager told once")
    func postfixFailure() async throws {
        let (forward, _) = try await recordStatement()
        mailbox.deliver(try Self.report("postfix-dsn-failed.eml", about: forward.messageID))
        let report = try await poller.pollOnce()
        guard case .report(2, reference, let summary) = report.outcomes.first else {
            Issue.record("expected a report about \(reference), got \(report.outcomes)")
            return
        }
        #expect(summary.hasPrefix("DSN from mail.example.test: failed 5.1.1 t-ccamp@example.test (smtp; 550 5.1.1"))
        #expect(mailbox.count("Processed") == 2 && mailbox.count("Quarantine") == 0)
        #expect(try await store.statements().count == 1, "a report is never a new statement")
        #expect(try await store.quarantined().isEmpty)

        let events = try await store.events(reference: reference)
        let delivery = try #require(events.first { $0.kind == "delivery-report" })
        #expect(delivery.detail.contains("failed 5.1.1 t-ccamp@example.test"))
        #expect(delivery.detail.contains("(about the forward <\(forward.messageID)>)"))
        #expect(events.contains { $0.kind == "failure-notice" && $0.detail == "delivery-failure notice to t-lm@example.test" })
        #expect(events.filter { $0.kind == "acknowledged" }.count == 1, "only the statement's own acknowledgement")

        let ccamp = try #require(try await recipient("t-ccamp@example.test", of: forward.messageID))
        #expect(ccamp.state == .permanentFailure)
        #expect(ccamp.code == 550)
        #expect(ccamp.detail?.hasPrefix("bounced (DSN): 5.1.1 smtp; 550 5.1.1") == true)
        #expect(try await recipient("t-ops-ads@example.test", of: forward.messageID)?.state == .delivered)
        let forwardRecord = try await store.outgoing(reference: reference).first { $0.message.messageID == forward.messageID }
        #expect(forwardRecord?.state == .failed)

        #expect(try await dispatcher.dispatchDue().attempted == 1)
        let notices = sender.sent.withLock { $0 }
        #expect(notices.count == 1)
        #expect(notices.first?.envelope.recipients == ["t-lm@example.test"])
        let notice = notices.first.map { MIMEMessage(bytes: $0.raw) }
        #expect(notice?.subject == "[LS-2026-0001] Undeliverable forward: 1 recipient failed")
        #expect(notice?.textBody()?.contains("t-ccamp@example.test: 550 bounced (DSN)") == true)
        #expect(sentNothingToReportSenders())

        // The same failure reported again (another DSN) changes nothing and tells no one twice.
        let again = String(decoding: try Self.report("postfix-dsn-failed.eml", about: forward.messageID), as: UTF8.self)
            .replacingOccurrences(of: "5E6F7A8B9C@mail.example.test", with: "0F0F0F0F0F@mail.example.test")
        mailbox.deliver(Array(again.utf8))
        let second = try await poller.pollOnce()
        #expect(second.outcomes.count == 1)
        #expect(try await store.events(reference: reference).filter { $0.kind == "failure-notice" }.count == 1)
        #expect(try await dispatcher.dispatchDue().attempted == 0)
    }

    @Test("A delayed DSN (headers returned as text/rfc822-headers) is logged; nothing is marked or sent")
    func delayed() async throws {
        let (forward, _) = try await recordStatement()
        mailbox.deliver(try Self.report("postfix-dsn-delayed.eml", about: forward.messageID))
        let report = try await poller.pollOnce()
        #expect(report.outcomes.count == 1)
        let detail = try await store.events(reference: reference).first { $0.kind == "delivery-report" }?.detail
        #expect(detail?.hasPrefix("DSN from mail.example.test: delayed 4.4.1 t-ops-ads@example.test") == true, "\(detail ?? "")")
        #expect(try await recipient("t-ops-ads@example.test", of: forward.messageID)?.state == .delivered)
        #expect(try await dispatcher.dispatchDue().attempted == 0)
        #expect(mailbox.count("Processed") == 2)
    }

    @Test("An MDN about the acknowledgement is attached as 'displayed', never answered")
    func mdn() async throws {
        let (_, acknowledgement) = try await recordStatement()
        mailbox.deliver(try Self.report("mdn-displayed.eml", about: acknowledgement.messageID))
        let report = try await poller.pollOnce()
        #expect(report.outcomes.count == 1)
        let detail = try await store.events(reference: reference).first { $0.kind == "delivery-report" }?.detail
        #expect(
            detail == "MDN from pc-rapporteur.itu.int: displayed t-rapporteur@itu.int (about the acknowledgement <\(acknowledgement.messageID)>)")
        #expect(try await store.statements().count == 1)
        #expect(try await dispatcher.dispatchDue().attempted == 0, "no acknowledgement of the MDN, no notice")
    }

    @Test("An ARF abuse report about the forward is attached as a complaint")
    func arf() async throws {
        let (forward, _) = try await recordStatement()
        mailbox.deliver(try Self.report("arf-abuse.eml", about: forward.messageID))
        _ = try await poller.pollOnce()
        let detail = try await store.events(reference: reference).first { $0.kind == "delivery-report" }?.detail
        #expect(detail?.hasPrefix("ARF report from ITU-FBL/2.1: abuse complaint t-lm-itu@example.test") == true, "\(detail ?? "")")
        #expect(try await recipient("t-lm-itu@example.test", of: forward.messageID)?.state == .delivered)
        #expect(try await dispatcher.dispatchDue().attempted == 0)
        #expect(try await store.statements().count == 1)
    }

    @Test("A non-standard bounce names the failed recipient in its text; it is found and marked")
    func nonStandardBounce() async throws {
        let (_, acknowledgement) = try await recordStatement()
        mailbox.deliver(try Self.report("sendmail-bounce.eml", about: acknowledgement.messageID))
        let report = try await poller.pollOnce()
        guard case .report(_, _, let summary) = report.outcomes.first else {
            Issue.record("expected a report, got \(report.outcomes)")
            return
        }
        #expect(summary == "bounce from MAILER-DAEMON@mx.itu.int: failed t-rapporteur@itu.int")
        #expect(try await recipient("t-rapporteur@itu.int", of: acknowledgement.messageID)?.state == .permanentFailure)
        #expect(try await dispatcher.dispatchDue().attempted == 1)
        let notice = sender.sent.withLock { $0.first.map { MIMEMessage(bytes: $0.raw) } }
        #expect(notice?.subject == "[LS-2026-0001] Undeliverable acknowledgement: 1 recipient failed")
        #expect(sentNothingToReportSenders())
    }

    @Test("A report whose Message-ID is unknown is found by the reference in the returned subject")
    func bySubject() async throws {
        _ = try await recordStatement()
        mailbox.deliver(try Self.report("postfix-dsn-failed.eml", about: "copy-resent-by-hand@example.test"))
        let report = try await poller.pollOnce()
        #expect(report.outcomes.count == 1)
        let detail = try await store.events(reference: reference).first { $0.kind == "delivery-report" }?.detail
        #expect(detail?.hasSuffix("(about LS-2026-0001, named in the returned headers or subject)") == true, "\(detail ?? "")")
        #expect(try await dispatcher.dispatchDue().attempted == 0, "no known mail of ours: nothing to mark, no notice")
    }

    @Test("A report about nothing known is quarantined with its reason; no statement, no acknowledgement")
    func unknown() async throws {
        mailbox.deliver(try Self.report("postfix-dsn-failed.eml", about: "someone-else@example.org"))
        let report = try await poller.pollOnce()
        guard case .quarantined(_, let reason) = report.outcomes.first else {
            Issue.record("expected a quarantine, got \(report.outcomes)")
            return
        }
        #expect(
            reason.hasPrefix(
                "delivery or disposition report (delivery-status) about no message Liaison knows: original Message-ID <someone-else@example.org>"))
        #expect(mailbox.count("Quarantine") == 1)
        #expect(try await store.statements().isEmpty)
        _ = try await dispatcher.dispatchDue()
        #expect(sender.sent.withLock { $0.map(\.envelope.recipients) } == [["t-lm@example.test"]], "only the quarantine notice")
    }

    @Test("A bounce of a delivery-failure notice is attached, but no notice about the notice is sent")
    func noNoticeAboutANotice() async throws {
        let (forward, _) = try await recordStatement()
        mailbox.deliver(try Self.report("postfix-dsn-failed.eml", about: forward.messageID))
        _ = try await poller.pollOnce()
        let notice = try #require(try await store.outgoing(reference: reference).first { $0.message.kind == .deliveryFailure }?.message)
        _ = try await dispatcher.dispatchDue()

        let bounce = String(decoding: try Self.report("postfix-dsn-failed.eml", about: notice.messageID), as: UTF8.self)
            .replacingOccurrences(of: "t-ccamp@example.test", with: "t-lm@example.test")
        mailbox.deliver(Array(bounce.utf8))
        _ = try await poller.pollOnce()
        #expect(try await recipient("t-lm@example.test", of: notice.messageID)?.state == .permanentFailure)
        let events = try await store.events(reference: reference)
        #expect(events.last?.kind == "no-notice")
        #expect(events.last?.detail == "no delivery-failure notice: the failed mail was a notice itself")
        #expect(try await dispatcher.dispatchDue().attempted == 0)
    }

    @Test("A bounce of a quarantine notice (no statement) is quarantined without a further notice")
    func quarantineNoticeBounce() async throws {
        mailbox.deliver(Array("From: MAILER-DAEMON@example.test\r\nSubject: hello\r\n\r\nnot a report\r\n".utf8))
        _ = try await poller.pollOnce()
        let notice = try #require(try await store.dueOutgoing(at: clock.now()).first?.message)
        #expect(notice.kind == .quarantineNotice)
        _ = try await dispatcher.dispatchDue()

        let bounce = String(decoding: try Self.report("postfix-dsn-failed.eml", about: notice.messageID), as: UTF8.self)
            .replacingOccurrences(of: "t-ccamp@example.test", with: "t-lm@example.test")
        mailbox.deliver(Array(bounce.utf8))
        let report = try await poller.pollOnce()
        guard case .quarantined(_, let reason) = report.outcomes.first else {
            Issue.record("expected a quarantine, got \(report.outcomes)")
            return
        }
        #expect(reason.hasPrefix("DSN about the quarantine-notice <\(notice.messageID)>, which concerns no statement"))
        #expect(try await store.dueOutgoing(at: clock.now()).isEmpty, "no notice about a notice")
    }

    @Test(
        "Real reports from other projects' test data are recognised and never become statements",
        arguments: [
            // Its recipient group was base64-encoded by a filter on the way: no recipient can be read.
            ("mimekit-bounce.eml", DeliveryReport.Kind.deliveryStatus, ""),
            ("mimekit-delivery-status.eml", .deliveryStatus, "failed"),
            ("mimekit-disposition-notification.eml", .dispositionNotification, "displayed"),
            ("mimekit-feedback-report.eml", .feedbackReport, "abuse complaint"),
            ("mikel-mail-multiple-status.eml", .deliveryStatus, "failed 5.3.0 u@ci.com"),
        ])
    func corpus(name: String, kind: DeliveryReport.Kind, action: String) async throws {
        let raw = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("corpus/\(name)")))
        let report = try #require(DeliveryReport.parse(MIMEMessage(bytes: raw), instanceID: "liaison-test"))
        #expect(report.kind == kind)
        #expect(report.entries.first.map { $0.summary.hasPrefix(action) } ?? action.isEmpty, "\(report.entries)")
        #expect(!action.isEmpty || report.entries.isEmpty)
        mailbox.deliver(raw)
        let poll = try await poller.pollOnce()
        guard case .quarantined(_, let reason) = poll.outcomes.first else {
            Issue.record("expected a quarantine, got \(poll.outcomes)")
            return
        }
        #expect(reason.contains("about no message Liaison knows"))
        #expect(try await store.statements().isEmpty)
        _ = try await dispatcher.dispatchDue()
        #expect(sender.sent.withLock { $0.flatMap(\.envelope.recipients) } == ["t-lm@example.test"])
    }

    @Test("The Postfix DSN's fields are read: recipient, action, status, diagnostic, reply code, original Message-ID")
    func parsePostfix() throws {
        let raw = try Self.report("postfix-dsn-failed.eml", about: "LS-2026-0001.forward.0123456789abcdef@example.test")
        let report = try #require(DeliveryReport.parse(MIMEMessage(bytes: raw), instanceID: "liaison-test"))
        #expect(report.kind == .deliveryStatus)
        #expect(report.reporter == "mail.example.test")
        #expect(report.originalMessageIDs.first == "LS-2026-0001.forward.0123456789abcdef@example.test")
        #expect(report.liaisonReference == "LS-2026-0001")
        let entry = try #require(report.entries.first)
        #expect(entry.recipient == "t-ccamp@example.test" && entry.originalRecipient == "t-ccamp@example.test")
        #expect(entry.action == "failed" && entry.status == "5.1.1" && entry.isPermanentFailure)
        #expect(entry.replyCode == 550)
        // A returned message of another installation does not lend its reference.
        let other = try #require(DeliveryReport.parse(MIMEMessage(bytes: raw), instanceID: "someone-else"))
        #expect(other.liaisonReference == nil)
        #expect(other.reference(prefix: "LS") == StatementReference(year: 2026, number: 1), "the returned subject still names it")
    }

    @Test("Mail from a mailer daemon without a returned message, and a person's mail with an attached message, are not reports")
    func notReports() {
        let daemon = MIMEMessage(bytes: Array("From: MAILER-DAEMON@example.test\r\nSubject: x\r\n\r\nhello\r\n".utf8))
        #expect(DeliveryReport.parse(daemon, instanceID: "liaison-test") == nil)
        let forwarded = MIMEMessage(
            bytes: Array(
                "From: a@itu.int\r\nSubject: Fwd: LS\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee attached\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@itu.int\r\nSubject: LS on x\r\n\r\nbody\r\n--b--\r\n"
                    .utf8))
        #expect(DeliveryReport.parse(forwarded, instanceID: "liaison-test") == nil)
        #expect(MessageClassification.classify(forwarded, settings: settings) == .statement)
    }
}
