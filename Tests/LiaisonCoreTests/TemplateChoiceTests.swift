import Foundation
import LiaisonCore
import MIME
import Synchronization
import Testing

/// Records which template was asked for, for which organization; knows only `available`.
final class RecordingTemplates: TemplateRendering {
    let available: Set<String>
    private let asked = Mutex<[String]>([])

    init(available: Set<String>) { self.available = available }

    /// "name" or "name@organization", in the order asked.
    var requests: [String] { asked.withLock { $0 } }

    func render(_ name: String, context: TemplateValue) throws -> String {
        try render(name, organization: nil, context: context)
    }

    func render(_ name: String, organization: String?, context: TemplateValue) throws -> String {
        asked.withLock { $0.append(organization.map { "\(name)@\($0)" } ?? name) }
        guard available.contains(name) else { throw RecordingTemplates.Missing(name: name) }
        return "rendered \(name)"
    }

    func contains(_ name: String) -> Bool { available.contains(name) }

    struct Missing: Error { let name: String }
}

@Suite("Template choice and the closed notice")
struct TemplateChoiceTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let all: Set<String> = [
        "acknowledgement", "closed", "forward", "reminder", "reminder-before", "reminder-deadline", "reminder-overdue", "triage",
    ]

    func processor(_ templates: any TemplateRendering) -> IntakeProcessor {
        IntakeProcessor(
            settings: testSettings,
            extractor: StatementExtractor(directory: testDirectory),
            router: Router(directory: testDirectory, rules: [], liaisonManager: testSettings.liaisonManager),
            mail: OutgoingMailFactory(settings: testSettings, templates: templates, uniqueToken: { "0123456789abcdef" })
        )
    }

    func record(_ name: String, templates: any TemplateRendering) throws -> IntakeRecord {
        let raw = try fixture(name)
        let processor = processor(templates)
        guard case .statement(let message, let statement, _) = processor.triage(raw) else {
            throw FixtureError.missing("a statement in \(name)")
        }
        return try processor.statementRecord(
            message: message, statement: statement, noAcknowledgementReason: nil,
            reference: StatementReference(year: 2026, number: 7),
            location: ServerLocation(mailbox: "INBOX", uidValidity: 9, uid: 3),
            sha256: SHA256.hex(of: raw), now: now)
    }

    /// A recorded statement from ITU-T (named by an alias), addressed to the MARS chairs.
    func itu(deadline: CalendarDate? = CalendarDate(year: 2026, month: 12, day: 1)) -> RecordedStatement {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on 400G"
        statement.fromOrganization = "ITU-T SG15"
        statement.toContacts = [Contact(name: "MARS WG Chairs", address: "t-mars-chairs@example.test")]
        statement.deadline = deadline
        return RecordedStatement(
            reference: StatementReference(year: 2026, number: 7), statement: statement, state: .routed,
            routing: RoutingDecision(
                to: [Contact(address: "t-mars-chairs@example.test"), Contact(address: "t-mars@example.test")],
                groups: ["mars"], lead: "mars"),
            recordedAt: now, messageID: "ls-7@itu.int", sender: Contact(address: "rapporteur@itu.int"))
    }

    @Test("A routed statement's copy uses forward, one in triage uses triage; both for the sending organization")
    func forwardOrTriage() throws {
        let templates = RecordingTemplates(available: Self.all)
        _ = try record("2-itu-plain.eml", templates: templates)
        _ = try record("3-no-fields.eml", templates: templates)
        let copies = templates.requests.filter { !$0.hasPrefix("acknowledgement") }
        #expect(copies.first == "forward@ITU-T")
        #expect(copies.last?.hasPrefix("triage") == true)
        #expect(templates.requests.contains("acknowledgement@ITU-T"))
    }

    @Test("Without a triage template, the forward template renders the triage copy")
    func triageFallsBack() throws {
        let templates = RecordingTemplates(available: Self.all.subtracting(["triage"]))
        let record = try record("3-no-fields.eml", templates: templates)
        #expect(record.statement?.state == .needsTriage)
        #expect(templates.requests.first?.hasPrefix("forward") == true)
        #expect(!templates.requests.contains { $0.hasPrefix("triage") })
    }

    @Test(
        "Each reminder kind has its template, and falls back to reminder",
        arguments: [
            (ReminderKind.before(days: 7), "reminder-before"), (.before(days: 1), "reminder-before"),
            (.before(days: 0), "reminder-deadline"), (.overdue(days: 3), "reminder-overdue"),
        ])
    func reminderTemplates(kind: ReminderKind, template: String) throws {
        #expect(OutgoingMailFactory.reminderTemplate(for: kind) == template)
        let recorded = itu()
        let open = OpenStatement(reference: recorded.reference, statement: recorded.statement, routing: recorded.routing)
        let planned = try #require(plannedReminder(kind, for: open))
        #expect(planned.kind == kind)

        let full = RecordingTemplates(available: Self.all)
        _ = try processor(full).mail.reminder(planned, for: open, directory: testDirectory, now: now)
        #expect(full.requests == ["\(template)@ITU-T"])

        let general = RecordingTemplates(available: ["reminder"])
        let message = try processor(general).mail.reminder(planned, for: open, directory: testDirectory, now: now)
        #expect(general.requests == ["reminder@ITU-T"])
        #expect(MIMEMessage(bytes: message.raw).textBody()?.contains("rendered reminder") == true)
    }

    /// The reminder of `kind` the planner makes for `open` (deadline 2026-12-01, UTC) on its day.
    func plannedReminder(_ kind: ReminderKind, for open: OpenStatement) -> PlannedReminder? {
        let offset: Int
        switch kind {
        case .before(let days): offset = days
        case .overdue(let days): offset = -days
        }
        guard let deadline = open.statement.deadline, let day = deadline.adding(days: -offset) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let noon = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) else { return nil }
        let schedule = ReminderSchedule(daysBefore: [max(offset, 0)], overdueDays: max(-offset, 1))
        return ReminderPlanner(schedule: schedule, timeZone: calendar.timeZone, directory: testDirectory).due([open], at: noon).first
    }

    @Test("The closed notice goes to the addressed chairs, copied to the liaison managers, as automatic mail")
    func closedNotice() throws {
        let templates = RecordingTemplates(available: Self.all)
        let notice = try processor(templates).mail.closedNotice(itu(), reason: "action taken", directory: testDirectory, now: now)
        #expect(templates.requests == ["closed@ITU-T"])
        #expect(notice.kind == .closedNotice)
        #expect(notice.statement == StatementReference(year: 2026, number: 7))
        #expect(notice.envelope.sender == "t-intake@example.test")
        #expect(notice.envelope.recipients == ["t-mars-chairs@example.test", "t-lm@example.test", "t-lm-itu@example.test"])
        #expect(notice.messageID == "LS-2026-0007.closed-notice.0123456789abcdef@example.test")
        let parsed = MIMEMessage(bytes: notice.raw)
        #expect(parsed.subject == "[LS-2026-0007] Closed: LS on 400G")
        #expect(parsed.to.map(\.address) == ["t-mars-chairs@example.test"])
        #expect(parsed.cc.map(\.address) == ["t-lm@example.test", "t-lm-itu@example.test"])
        #expect(parsed.header["Auto-Submitted"] == "auto-generated")
        #expect(parsed.header["X-Liaison-Loop"] == "liaison-test")
        #expect(parsed.header["X-Liaison-Reference"] == "LS-2026-0007")
        #expect(parsed.references == ["ls-7@itu.int"])
    }

    func reply(from sender: String) throws -> (MIMEMessage, StatementReply) {
        let message = MIMEMessage(
            bytes: Array("From: \(sender)\r\nSubject: Re: [LS-2026-0007] Deadline in one week: LS on 400G\r\n\r\nAction: taken\r\n".utf8))
        return (message, try #require(StatementReply.parse(message, prefix: "LS")))
    }

    @Test("Action: taken from a chair closes with a notice; not twice, and not from anyone else")
    func replyCloses() throws {
        let processor = processor(RecordingTemplates(available: Self.all))
        let location = ServerLocation(mailbox: "INBOX", uidValidity: 9, uid: 4)
        let (message, reply) = try reply(from: "t-mars-chairs@example.test")
        #expect(reply.command == .taken)
        let closing = processor.replyRecord(
            message: message, reply: reply, recorded: itu(), location: location, sha256: String(repeating: "a", count: 64), now: now)
        #expect(closing.change == .close(reason: "action taken, said by t-mars-chairs@example.test"))
        #expect(closing.outgoing.map(\.kind) == [.closedNotice])

        let again = processor.replyRecord(
            message: message, reply: reply, recorded: itu(), location: location, sha256: String(repeating: "a", count: 64), now: now,
            alreadyClosed: true)
        #expect(again.change != nil)
        #expect(again.outgoing.isEmpty)

        let (other, otherReply) = try self.reply(from: "someone@example.org")
        let ignored = processor.replyRecord(
            message: other, reply: otherReply, recorded: itu(), location: location, sha256: String(repeating: "b", count: 64), now: now)
        #expect(ignored.change == nil)
        #expect(ignored.outgoing.isEmpty)
    }
}
