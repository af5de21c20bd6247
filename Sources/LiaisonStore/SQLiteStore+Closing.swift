import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// Whether a statement was closed (left "action required"); `false` for an unknown reference.
    public func isClosed(_ reference: StatementReference) async throws -> Bool {
        try await read("read whether \(reference) is closed") { db in
            try Bool.fetchOne(
                db, sql: "SELECT closed_at IS NOT NULL FROM statement WHERE reference = ?", arguments: [reference.description]
            ) ?? false
        }
    }

    /// Closes a statement like ``close(_:reason:at:)`` and, in the same transaction, puts the
    /// closed notice in the outbox — only when the statement was open, so closing twice tells
    /// nobody twice.
    ///
    /// - Returns: `nil` when no statement has that reference, else whether the notice was queued.
    public func close(_ reference: StatementReference, reason: String, notice: OutgoingMessage?, at date: Date) async throws -> Bool? {
        try await write("close \(reference) with notice") { db in
            guard let wasClosed = try Bool.fetchOne(
                db, sql: "SELECT closed_at IS NOT NULL FROM statement WHERE reference = ?", arguments: [reference.description])
            else { return nil }
            try Self.apply(.close(reason: reason), to: reference.description, db: db, at: date)
            var event = StatementEventRecord(statementReference: reference.description, kind: "closed", detail: reason, at: date)
            try event.insert(db)
            guard !wasClosed, let notice else { return false }
            try Self.insert(db, outgoing: notice, at: date)
            return true
        }
    }

    /// The exact bytes of the message a statement was recorded from (the first one stored for
    /// it; replies about it come later), or `nil`.
    public func originalMessage(of reference: StatementReference) async throws -> [UInt8]? {
        try await read("read the original message of \(reference)") { db in
            try Data.fetchOne(
                db, sql: "SELECT raw FROM received_message WHERE statement_reference = ? ORDER BY id LIMIT 1",
                arguments: [reference.description]
            ).map { [UInt8]($0) }
        }
    }
}
