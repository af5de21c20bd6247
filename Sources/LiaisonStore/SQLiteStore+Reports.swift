import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// What a delivery report naming `messageID` is about (see ``StatementStore``): a message in
    /// the outbox (with the recipients already failed for good), else the statement whose mail,
    /// or a reply or report stored with it, had that Message-ID.
    public func reportTarget(messageID: String) async throws -> ReportTarget? {
        try await read("find what a report about <\(messageID)> concerns") { db in
            if let row = try OutgoingMessageRecord.filter(OutgoingMessageRecord.Columns.messageID == messageID).fetchOne(db),
                let id = row.id
            {
                let recipients = try Self.recipients(db, of: id)
                let failed = recipients.filter { $0.state == .permanentFailure }.map { $0.address.lowercased() }
                return .sent(SentMessage(message: try row.message(recipients: recipients.map(\.address)), failedRecipients: Set(failed)))
            }
            if let reference = try String.fetchOne(
                db, sql: "SELECT reference FROM statement WHERE message_id = ? ORDER BY recorded_at LIMIT 1", arguments: [messageID]),
                let parsed = StatementReference(reference)
            {
                return .statement(parsed, clue: "the mail of \(reference) (Message-ID <\(messageID)>)")
            }
            if let reference = try String.fetchOne(
                db,
                sql: "SELECT statement_reference FROM received_message WHERE message_id = ? AND statement_reference IS NOT NULL ORDER BY id LIMIT 1",
                arguments: [messageID]),
                let parsed = StatementReference(reference)
            {
                return .statement(parsed, clue: "mail stored with \(reference) (Message-ID <\(messageID)>)")
            }
            return nil
        }
    }

    /// Marks recipients a delivery report says failed for good, inside the intake transaction.
    ///
    /// A recipient already failed for good is left as it is. An entry whose recipients are all
    /// settled leaves the queue: `failed` (it was `done` or still `pending`), with no further
    /// attempt, so a bounced recipient is never tried again.
    static func markBounced(_ bounced: [BouncedRecipient], db: Database, at date: Date) throws {
        for item in bounced {
            guard var message = try OutgoingMessageRecord.filter(OutgoingMessageRecord.Columns.messageID == item.messageID).fetchOne(db),
                let id = message.id
            else { continue }
            var recipients = try recipients(db, of: id)
            guard let index = recipients.firstIndex(where: { $0.address.lowercased() == item.address.lowercased() }),
                recipients[index].state != .permanentFailure
            else { continue }
            recipients[index].state = .permanentFailure
            recipients[index].code = item.code
            recipients[index].detail = item.detail
            recipients[index].updatedAt = date
            try recipients[index].update(db)
            if !recipients.contains(where: \.isOpen) {
                message.state = .failed
                message.nextAttemptAt = nil
                try message.update(db)
            }
        }
    }
}
