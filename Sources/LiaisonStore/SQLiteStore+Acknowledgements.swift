import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// How many acknowledgements were stored for `address` since `date`.
    public func acknowledgementCount(to address: String, since date: Date) async throws -> Int {
        try await read("count acknowledgements") { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM outgoing_message JOIN outgoing_recipient
                      ON outgoing_recipient.outgoing_message_id = outgoing_message.id
                    WHERE outgoing_message.kind = ? AND outgoing_recipient.address = ? COLLATE NOCASE
                      AND outgoing_message.created_at >= ?
                    """,
                arguments: [OutgoingKind.acknowledgement.rawValue, address, date]) ?? 0
        }
    }
}
