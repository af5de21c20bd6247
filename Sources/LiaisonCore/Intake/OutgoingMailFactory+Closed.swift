import Foundation
import MIME

extension OutgoingMailFactory {
    /// The notice that a statement was closed (`liaison close`, an `Action: taken` reply, a
    /// response statement), so its reminders stop: to the addressed contacts (the chairs; the
    /// routed recipients when it named none), copied to the liaison manager and the sending
    /// organization's liaison managers. `Auto-Submitted: auto-generated`, like every notice.
    ///
    /// - Parameter reason: why, as recorded, e.g. "action taken, said by chair@example.org".
    public func closedNotice(_ record: RecordedStatement, reason: String, directory: Directory, now: Date) throws -> OutgoingMessage {
        let statement = record.statement
        var builder = base(kind: .closedNotice, reference: record.reference, now: now)
        builder.addHeader("Auto-Submitted", "auto-generated")

        let organization = organization(of: statement, directory: directory)
        var seen = Set<String>()
        let to = (statement.toContacts.isEmpty ? record.routing.to : statement.toContacts)
            .filter { seen.insert($0.address.lowercased()).inserted }
        let managers = organization.flatMap { directory.organization(named: $0)?.liaisonManagers } ?? []
        let cc = ([settings.liaisonManager] + managers).filter { seen.insert($0.address.lowercased()).inserted }
        // With no addressed contact at all, the liaison manager is the one to tell.
        builder.to = (to.isEmpty ? cc : to).map(MailAddress.init)
        builder.cc = (to.isEmpty ? [] : cc).map(MailAddress.init)
        builder.subject = "[\(record.reference)] Closed: \(statement.title ?? "(no title)")"
        if let id = record.messageID { builder.references = [id] }

        var fields = statementFields(reference: record.reference, statement: statement, routing: record.routing, directory: directory)
        fields["reason"] = .string(reason)
        fields["closed_on"] = .string(CalendarDate(now, in: settings.timeZone)?.description ?? "")
        builder.textBody = try renderText("closed", organization: organization, context: .object(fields))
        return try finish(
            builder, kind: .closedNotice, reference: record.reference, sender: settings.serviceAddress.address,
            recipients: (to + cc).map(\.address))
    }
}
