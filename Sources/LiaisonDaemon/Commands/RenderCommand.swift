import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME

extension Liaison {
    /// `liaison render TEMPLATE --statement LS-…`: the mail `TEMPLATE` would make for a recorded
    /// statement — the template file used (an organization's own or the default), the envelope,
    /// the headers and the text — without storing or sending anything.
    ///
    /// Reminder templates are shown for a representative day: `reminder-before` for today when
    /// the deadline is ahead (else 7 days before), `reminder-deadline` for the deadline day,
    /// `reminder-overdue` for today when it has passed (else 1 day after), `reminder` for today.
    public static func render(template name: String, statement text: String, configPath: String, now: Date = Date()) async throws -> String {
        let configuration = try configuration(at: configPath)
        guard OutgoingMailFactory.statementTemplates.contains(name) else {
            throw RenderError.unknownTemplate(name)
        }
        guard let reference = StatementReference(text) else { throw CommandError.badReference(text) }
        let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw CommandError.unknownStatement(reference.description)
        }
        let store = try SQLiteStore(path: configuration.databasePath)
        guard let recorded = try await store.statement(reference: reference) else {
            throw CommandError.unknownStatement(reference.description)
        }
        let factory = Runtime.processor(for: configuration, templates: templates).mail
        let directory = configuration.directory
        let original = MIMEMessage(bytes: try await store.originalMessage(of: reference) ?? standIn(for: recorded))
        let message = try preview(name, for: recorded, original: original, configuration: configuration, factory: factory, now: now)

        let used = factory.resolvedTemplate(name)
        let organization = factory.organization(of: recorded.statement, directory: directory)
        var lines = [
            "Template: " + (templates.file(for: used, organization: organization) ?? used + ".mustache")
                + (used == name ? "" : " (no \(name).mustache; its fallback)") + " in \(templates.directory)",
            "Envelope: MAIL FROM:<\(message.envelope.sender)> RCPT TO:"
                + message.envelope.recipients.map { "<\($0)>" }.joined(separator: ", "),
            "",
        ]
        let built = MIMEMessage(bytes: message.raw)
        lines += built.header.fields.map { "\($0.name): \($0.decodedValue)" }
        lines.append("")
        lines.append(built.textBody() ?? "")
        if built.attachments.contains(where: { $0.contentType.mimeType == "message/rfc822" }) {
            lines.append("[attached: the original message, \(original.bytes.count) bytes]")
        }
        return lines.joined(separator: "\n").replacingOccurrences(of: "\r\n", with: "\n") + "\n"
    }

    /// The mail the statement template `name` makes for `recorded`, built as the pipeline builds
    /// it; also how `check-config` renders every template once.
    static func preview(
        _ name: String, for recorded: RecordedStatement, original: MIMEMessage, configuration: Configuration,
        factory: OutgoingMailFactory, now: Date
    ) throws -> OutgoingMessage {
        let directory = configuration.directory
        switch name {
        case "acknowledgement":
            let sender = recorded.sender.map { MailAddress(address: $0.address, displayName: $0.name) }
            guard let recipient = AutoReplyPolicy.acknowledgementRecipient(for: original) ?? sender else {
                throw RenderError.noSender(recorded.reference.description)
            }
            return try factory.acknowledgement(recorded, original: original, recipient: recipient, directory: directory, now: now)
        case "forward", "triage":
            var record = recorded
            record.state = name == "triage" ? .needsTriage : .routed
            return try factory.forward(record, original: original, directory: directory, now: now)
        case "closed":
            return try factory.closedNotice(
                recorded, reason: "action taken, said by the operator (liaison close)", directory: directory, now: now)
        default:
            return try reminder(name, for: recorded, configuration: configuration, factory: factory, now: now)
        }
    }

    /// Builds a reminder of the kind the template is for, with the recipients the planner gives.
    private static func reminder(
        _ name: String, for recorded: RecordedStatement, configuration: Configuration, factory: OutgoingMailFactory, now: Date
    ) throws -> OutgoingMessage {
        let zone = configuration.intake.timeZone
        guard let deadline = recorded.statement.deadline else { throw RenderError.noDeadline(recorded.reference.description) }
        guard let today = CalendarDate(now, in: zone) else { throw RenderError.noDeadline(recorded.reference.description) }
        let left = deadline.dayNumber - today.dayNumber
        // Days before the deadline (negative: after it) of the reminder shown.
        let offset: Int
        switch name {
        case "reminder-before": offset = left > 0 ? left : 7
        case "reminder-deadline": offset = 0
        case "reminder-overdue": offset = left < 0 ? left : -1
        default: offset = left
        }
        guard let day = deadline.adding(days: -offset), let instant = noon(of: day, in: zone) else {
            throw RenderError.noDeadline(recorded.reference.description)
        }
        let schedule = ReminderSchedule(daysBefore: [max(offset, 0)], overdueDays: max(-offset, 1))
        let open = OpenStatement(reference: recorded.reference, statement: recorded.statement, routing: recorded.routing)
        let planner = ReminderPlanner(
            schedule: schedule, timeZone: zone, directory: configuration.directory, recipientPolicy: configuration.reminders.recipients)
        guard let planned = planner.due([open], at: instant).first
        else { throw RenderError.noDeadline(recorded.reference.description) }
        // By name: `reminder`, the fallback of the three, is shown as itself.
        return try factory.reminder(planned, for: open, directory: configuration.directory, now: instant, template: name)
    }

    private static func noon(of day: CalendarDate, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))
    }

    /// A message standing in for an original that is not stored (only its subject matters).
    private static func standIn(for recorded: RecordedStatement) -> [UInt8] {
        let subject = (recorded.statement.title ?? "(no title)").filter { $0 != "\r" && $0 != "\n" }
        let from = recorded.sender.map { "From: \($0.address)\r\n" } ?? ""
        return Array("\(from)Subject: \(subject)\r\n\r\n".utf8)
    }
}

/// Errors of `liaison render`.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    /// Not a template about a statement.
    case unknownTemplate(String)
    /// A reminder was asked for a statement without a deadline.
    case noDeadline(String)
    /// An acknowledgement was asked for a statement whose sender is unknown.
    case noSender(String)

    public var description: String {
        switch self {
        case .unknownTemplate(let name):
            "unknown template \(name); templates about a statement: " + OutgoingMailFactory.statementTemplates.joined(separator: ", ")
        case .noDeadline(let reference): "\(reference) has no deadline, so it gets no reminders"
        case .noSender(let reference): "\(reference) has no known sender to acknowledge"
        }
    }
}
