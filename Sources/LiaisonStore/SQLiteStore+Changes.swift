import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// Closes a statement (it leaves "action required"; its reminders stop) and records why.
    ///
    /// - Returns: `false` when no statement has that reference.
    public func close(_ reference: StatementReference, reason: String, at date: Date) async throws -> Bool {
        try await write("close \(reference)") { db in
            guard try StatementRecord.exists(db, key: reference.description) else { return false }
            try Self.apply(.close(reason: reason), to: reference.description, db: db, at: date)
            var event = StatementEventRecord(statementReference: reference.description, kind: "closed", detail: reason, at: date)
            try event.insert(db)
            return true
        }
    }

    /// Moves a statement's deadline (its reminders start again for the new date) and records it.
    ///
    /// `notices` (the courtesy extension notice to the peer) go into the outbox and `events` into
    /// the history in the same transaction.
    ///
    /// - Returns: `false` when no statement has that reference.
    public func extend(
        _ reference: StatementReference, to deadline: CalendarDate, by who: String, at date: Date,
        notices: [OutgoingMessage] = [], events: [StatementEvent] = []
    ) async throws -> Bool {
        try await write("extend \(reference)") { db in
            guard let row = try StatementRecord.fetchOne(db, key: reference.description) else { return false }
            let previous = try row.recorded().statement.deadline
            try Self.apply(.extend(deadline: deadline), to: reference.description, db: db, at: date)
            var event = StatementEventRecord(
                statementReference: reference.description, kind: "extended",
                detail: "deadline moved\(previous.map { " from \($0)" } ?? "") to \(deadline) by \(who)", at: date)
            try event.insert(db)
            for extra in events {
                var row = StatementEventRecord(statementReference: reference.description, kind: extra.kind, detail: extra.detail, at: extra.at)
                try row.insert(db)
            }
            for notice in notices { try Self.insert(db, outgoing: notice, at: date) }
            return true
        }
    }

    /// Applies a change inside the caller's transaction.
    static func apply(_ change: StatementChange, to reference: String, db: Database, at date: Date) throws {
        switch change {
        case .close(let reason):
            try db.execute(
                sql: "UPDATE statement SET closed_at = ?, closed_reason = ? WHERE reference = ?",
                arguments: [date, reason, reference])
            try markOutgoingClosed(reference, db: db)
        case .extend(let deadline):
            guard let row = try StatementRecord.fetchOne(db, key: reference) else {
                throw StoreError.unknownStatement(reference: reference)
            }
            var recorded = try row.recorded()
            recorded.statement.deadline = deadline
            try StatementRecord(recorded).update(db)
            // A new deadline means action is required again.
            try db.execute(sql: "UPDATE statement SET closed_at = NULL, closed_reason = NULL WHERE reference = ?", arguments: [reference])
        }
    }
}
