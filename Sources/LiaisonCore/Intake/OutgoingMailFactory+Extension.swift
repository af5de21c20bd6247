import Foundation
import MIME

extension OutgoingMailFactory {
    /// The courteous notice to the peer that the IETF needs more time (RFC 4053 §2.3, "offer a
    /// more doable deadline"): the statement's deadline moved to `newDeadline`.
    ///
    /// To the statement's response contacts, else its From contacts, else the sender of the mail
    /// it came in; copied to the sending organization's liaison managers (the IETF side of the
    /// relationship). `Auto-Submitted: auto-generated`, `References` the original statement, and
    /// the reference in the subject so an answer finds the statement again. Replies go to the
    /// liaison manager. Per-organization versions of `extension-notice` apply.
    ///
    /// - Returns: `nil` when there is nobody to tell, or when the statement's sender was not
    ///   authenticated (nothing automatic goes back to a claimed sender).
    public func extensionNotice(
        _ record: RecordedStatement, previous: CalendarDate?, newDeadline: CalendarDate, by who: String, directory: Directory,
        now: Date
    ) throws -> OutgoingMessage? {
        let statement = record.statement
        guard statement.senderAuthentication?.verified != false else { return nil }
        var seen = Set<String>()
        let candidates = [statement.responseContacts, statement.fromContacts, record.sender.map { [$0] } ?? []]
        let to = (candidates.first { !$0.isEmpty } ?? [])
            .filter { !settings.allOwnAddresses.contains($0.address.lowercased()) }
            .filter { seen.insert($0.address.lowercased()).inserted }
        guard !to.isEmpty else { return nil }
        let organization = organization(of: statement, directory: directory)
        let managers = (organization.flatMap { directory.organization(named: $0)?.liaisonManagers } ?? [])
            .filter { seen.insert($0.address.lowercased()).inserted }

        var builder = base(kind: .extensionNotice, reference: record.reference, now: now)
        builder.to = to.map(MailAddress.init)
        builder.cc = managers.map(MailAddress.init)
        builder.replyTo = [MailAddress(settings.liaisonManager)]
        builder.subject = "[\(record.reference)] New reply date \(newDeadline): \(statement.title ?? "(no title)")"
        if let id = record.messageID, OutgoingHeaderText.isUsableMessageID(id) { builder.references = [id] }
        builder.addHeader("Auto-Submitted", "auto-generated")

        var fields = statementFields(reference: record.reference, statement: statement, routing: record.routing, directory: directory)
        fields["new_deadline"] = .string(newDeadline.description)
        fields["has_previous_deadline"] = .bool(previous != nil)
        fields["previous_deadline"] = .string(previous?.description ?? "")
        fields["previous_deadline_text"] = .string(previous?.description ?? "none given")
        fields["extended_by"] = .string(who)
        fields["extended_on"] = .string(CalendarDate(now, in: settings.timeZone)?.description ?? "")
        fields["recipients"] = .list(to.map { .string($0.description) })
        builder.textBody = try renderText("extension-notice", organization: organization, context: .object(fields))
        return try finish(
            builder, kind: .extensionNotice, reference: record.reference, sender: settings.serviceAddress.address,
            recipients: (to + managers).map(\.address))
    }
}
