import Foundation
public import MIME

/// Builds the mail Liaison sends about a statement: the forwarded copy (the `triage` notice when
/// the statement needs triage), the acknowledgement, reminders, the closed notice and the
/// quarantine notice. Text comes from templates; headers follow RFC 3834 and carry the
/// reference number so replies find the statement again.
public struct OutgoingMailFactory: Sendable {
    /// Pipeline settings (addresses, time zone, Message-ID domain).
    public var settings: IntakeSettings
    /// Renders the templates.
    public var templates: any TemplateRendering
    /// Makes the unique part of Message-IDs; injectable so tests can predict it.
    public var uniqueToken: @Sendable () -> String

    /// Creates a factory.
    public init(
        settings: IntakeSettings,
        templates: any TemplateRendering,
        uniqueToken: @escaping @Sendable () -> String = OutgoingMailFactory.randomToken
    ) {
        self.settings = settings
        self.templates = templates
        self.uniqueToken = uniqueToken
    }

    /// 16 random hexadecimal digits.
    @Sendable public static func randomToken() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The copy of a statement for its routed recipients, with the original mail attached.
    public func forward(
        _ record: RecordedStatement,
        original: MIMEMessage,
        directory: Directory,
        now: Date
    ) throws -> OutgoingMessage {
        let statement = record.statement
        var builder = base(kind: .forward, reference: record.reference, now: now)
        builder.to = record.routing.to.map(MailAddress.init)
        builder.cc = record.routing.cc.map(MailAddress.init)
        let replyTo = statement.responseContacts.isEmpty ? record.sender.map { [$0] } ?? [] : statement.responseContacts
        builder.replyTo = replyTo.map(MailAddress.init)
        let title = statement.title ?? original.subject ?? "(no title)"
        builder.subject =
            record.state == .needsTriage
            ? "[\(record.reference)] Needs triage: \(title)"
            : "[\(record.reference)] New liaison statement: \(title)"
        if let id = original.messageID, OutgoingHeaderText.isUsableMessageID(id) { builder.references = [id] }
        builder.addHeader("Auto-Submitted", "auto-generated")
        // A statement in triage gets the triage notice: why, and what the liaison manager should do.
        builder.textBody = try renderText(
            record.state == .needsTriage ? "triage" : "forward",
            organization: organization(of: statement, directory: directory),
            context: context(for: record, original: original, directory: directory))
        builder.attachMessage(original.bytes)
        return try finish(builder, kind: .forward, reference: record.reference, sender: settings.serviceAddress.address, recipients: record.routing.envelopeAddresses)
    }

    /// The acknowledgement to the statement's sender (RFC 3834: `auto-replied`, null envelope sender).
    public func acknowledgement(
        _ record: RecordedStatement,
        original: MIMEMessage,
        recipient: MailAddress,
        directory: Directory,
        now: Date
    ) throws -> OutgoingMessage {
        var builder = autoReply(kind: .acknowledgement, reference: record.reference, to: recipient, answering: original, now: now)
        let title = record.statement.title ?? original.subject ?? "(no title)"
        builder.subject = "[\(record.reference)] Received: \(title)"
        builder.textBody = try renderText(
            "acknowledgement", organization: organization(of: record.statement, directory: directory),
            context: context(for: record, original: original, directory: directory))
        // RFC 3834 §3.3 / RFC 5230 §5.1: an automatic reply goes out with a null reverse path.
        return try finish(builder, kind: .acknowledgement, reference: record.reference, sender: "", recipients: [recipient.address])
    }

    /// The notice to the liaison manager that a message was quarantined.
    public func quarantineNotice(
        reason: String,
        original: MIMEMessage,
        location: ServerLocation,
        sha256: String,
        now: Date
    ) throws -> OutgoingMessage {
        var builder = base(kind: .quarantineNotice, reference: nil, now: now)
        builder.to = [MailAddress(settings.liaisonManager)]
        builder.subject = "[Liaison quarantine] \(original.subject ?? "(no subject)")"
        builder.addHeader("Auto-Submitted", "auto-generated")
        let sender = original.from.first.map { Contact(name: $0.displayName, address: $0.address).description }
        builder.textBody = try templates.render(
            "quarantine",
            context: .object([
                "reason": .string(reason),
                "subject": .string(original.subject ?? "(no subject)"),
                "from": .string(sender ?? "(unknown)"),
                "message_id": .string(original.messageID ?? "(none)"),
                "mailbox": .string(location.mailbox),
                "uid": .string(String(location.uid)),
                "folder": .string(settings.quarantineFolder),
                "sha256": .string(sha256),
                "size": .string(String(original.bytes.count)),
            ]))
        return try finish(builder, kind: .quarantineNotice, reference: nil, sender: settings.serviceAddress.address, recipients: [settings.liaisonManager.address])
    }

    /// The notice to the liaison manager that some recipients of a message failed for good.
    public func deliveryFailureNotice(about message: OutgoingMessage, failures: [RecipientResult], now: Date) throws -> OutgoingMessage {
        var builder = base(kind: .deliveryFailure, reference: message.statement, now: now)
        builder.to = [MailAddress(settings.liaisonManager)]
        let about = message.statement.map { "[\($0)] " } ?? ""
        builder.subject = "\(about)Undeliverable \(message.kind.rawValue): \(failures.count) recipient\(failures.count == 1 ? "" : "s") failed"
        builder.addHeader("Auto-Submitted", "auto-generated")
        builder.textBody = try templates.render(
            "delivery-failure",
            context: .object([
                "kind": .string(message.kind.rawValue),
                "message_id": .string(message.messageID),
                "reference": .string(message.statement?.description ?? "(none)"),
                "failures": .list(failures.map { .string("\($0.address): \($0.code) \($0.detail)") }),
                "service_address": .string(settings.serviceAddress.description),
            ]))
        return try finish(
            builder, kind: .deliveryFailure, reference: message.statement, sender: settings.serviceAddress.address,
            recipients: [settings.liaisonManager.address])
    }

    /// A deadline reminder (`Auto-Submitted: auto-generated`), from the template of its kind
    /// (``reminderTemplate(for:)``) unless `template` names another (`liaison render`).
    public func reminder(
        _ reminder: PlannedReminder, for open: OpenStatement, directory: Directory, now: Date, template: String? = nil
    ) throws -> OutgoingMessage {
        var builder = base(kind: .reminder, reference: open.reference, now: now)
        builder.to = reminder.to.map(MailAddress.init)
        builder.cc = reminder.cc.map(MailAddress.init)
        if !open.statement.responseContacts.isEmpty { builder.replyTo = open.statement.responseContacts.map(MailAddress.init) }
        builder.subject = reminder.subject
        builder.addHeader("Auto-Submitted", "auto-generated")
        builder.textBody = try renderText(
            template ?? Self.reminderTemplate(for: reminder.wording),
            organization: organization(of: open.statement, directory: directory),
            context: reminderContext(reminder, for: open, directory: directory))
        builder.messageID = "\(open.reference).reminder-\(reminder.kind.key).\(uniqueToken())@\(settings.messageIDDomain)"
        let recipients = (reminder.to + reminder.cc).map(\.address)
        return try finish(builder, kind: .reminder, reference: open.reference, sender: settings.serviceAddress.address, recipients: recipients)
    }

    /// The fields of a reminder's templates: the statement's, and which reminder it is.
    public func reminderContext(_ reminder: PlannedReminder, for open: OpenStatement, directory: Directory) -> TemplateValue {
        var fields = statementFields(reference: open.reference, statement: open.statement, routing: open.routing, directory: directory)
        var overdue = 0
        var before = 0
        switch reminder.wording {
        case .overdue(let days): overdue = days
        case .before(let days): before = days
        }
        fields["kind"] = .string(reminder.wording.description)
        fields["is_overdue"] = .bool(overdue > 0)
        fields["overdue_days"] = .string(String(overdue))
        fields["is_deadline_day"] = .bool(reminder.wording == .before(days: 0))
        fields["days_left"] = .string(String(before))
        fields["recipients"] = .list(reminder.to.map { .string($0.description) })
        fields["copies"] = .list(reminder.cc.map { .string($0.description) })
        return .object(fields)
    }

    // MARK: - Shared parts

    /// A builder for an automatic reply to `original`, sent to `recipient` (RFC 3834): in the
    /// original's thread when its Message-ID is usable, and marked `Auto-Submitted: auto-replied`.
    func autoReply(
        kind: OutgoingKind, reference: StatementReference?, to recipient: MailAddress, answering original: MIMEMessage, now: Date
    ) -> MessageBuilder {
        var builder = base(kind: kind, reference: reference, now: now)
        builder.to = [recipient]
        if let id = original.messageID, OutgoingHeaderText.isUsableMessageID(id) {
            builder.inReplyTo = [id]
            builder.references = (original.references + [id]).filter(OutgoingHeaderText.isUsableMessageID)
        }
        builder.addHeader("Auto-Submitted", "auto-replied")
        return builder
    }

    /// A message from the service address, dated `now` in the configured zone, with its
    /// Message-ID, `X-Liaison-Loop` and (about a statement) `X-Liaison-Reference`.
    func base(kind: OutgoingKind, reference: StatementReference?, now: Date) -> MessageBuilder {
        var builder = MessageBuilder()
        builder.from = MailAddress(settings.serviceAddress)
        let offset = settings.timeZone.secondsFromGMT(for: now) / 60
        builder.date = MIMEDate.format(secondsSince1970: Int64(now.timeIntervalSince1970.rounded(.down)), offsetMinutes: offset)
        let prefix = reference.map { "\($0)." } ?? ""
        builder.messageID = "\(prefix)\(kind.rawValue).\(uniqueToken())@\(settings.messageIDDomain)"
        builder.addHeader("X-Liaison-Loop", settings.instanceID)
        if let reference { builder.addHeader("X-Liaison-Reference", reference.description) }
        return builder
    }

    /// Builds the bytes and the outbox entry.
    func finish(
        _ builder: MessageBuilder,
        kind: OutgoingKind,
        reference: StatementReference?,
        sender: String,
        recipients: [String]
    ) throws -> OutgoingMessage {
        let raw = try OutgoingHeaderText.clean(builder).build()
        return OutgoingMessage(
            messageID: builder.messageID ?? "",
            kind: kind,
            statement: reference,
            envelope: MailEnvelope(sender: sender, recipients: recipients),
            raw: raw
        )
    }

    /// The template context describing a statement: every field, named for the templates.
    public func context(for record: RecordedStatement, original: MIMEMessage, directory: Directory) -> TemplateValue {
        let statement = record.statement
        let attachments: [TemplateValue] = statement.attachments.map { attachment in
            .object([
                "filename": .string(attachment.filename),
                "content_type": .string(attachment.contentType),
                "size": .string(String(attachment.size)),
                "sha256": .string(attachment.sha256),
            ])
        }
        var fields = statementFields(reference: record.reference, statement: statement, routing: record.routing, directory: directory)
        let extra: [String: TemplateValue] = [
            "title": .string(statement.title ?? original.subject ?? "(no title)"),
            "has_attachments": .bool(!statement.attachments.isEmpty),
            "attachments": .list(attachments),
            "body": .string(statement.body),
            "needs_triage": .bool(record.state == .needsTriage),
            "missing": .list(statement.missing.map { .string($0.description) }),
            "triage_reasons": .list(statement.triageReasons.map { .string($0.description) }),
            "triage_why": .list(triageReasons(statement: statement, routing: record.routing).map { .string($0) }),
            "is_unaddressed": .bool(record.routing.isTriage || record.routing.groups.isEmpty),
            "routing_reasons": .list(record.routing.reasons.map { .string($0) }),
            "recipients": .list(record.routing.to.map { .string($0.description) }),
            "has_lead": .bool(record.routing.groups.count > 1),
            "lead": .string(record.routing.lead.flatMap { directory.groups[$0]?.acronym.uppercased() } ?? ""),
            "copies": .list(record.routing.cc.map { .string($0.description) }),
            "original_subject": .string(original.subject ?? "(no subject)"),
            "original_sender": .string(record.sender?.description ?? "(unknown)"),
        ]
        fields.merge(extra) { _, new in new }
        if let date = statement.submissionDate { fields["submission_date"] = .string(date.description) }
        return .object(fields)
    }
}

extension MailAddress {
    /// The MIME form of a contact.
    init(_ contact: Contact) {
        self.init(address: contact.address, displayName: contact.name)
    }
}
