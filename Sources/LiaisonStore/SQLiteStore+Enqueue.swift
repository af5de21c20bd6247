import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// Stores one more outgoing message (a notice), due at once.
    public func enqueue(_ message: OutgoingMessage, at date: Date) async throws {
        try await write("enqueue \(message.kind.rawValue) <\(message.messageID)>") { db in
            if let reference = message.statement, try !StatementRecord.exists(db, key: reference.description) {
                throw StoreError.unknownStatement(reference: reference.description)
            }
            try Self.insert(db, outgoing: message, at: date)
        }
    }
}
