import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore: ReminderStore {
    /// Statements with a deadline that are not closed, oldest first.
    public func openStatements() async throws -> [OpenStatement] {
        try await read("read open statements") { db in
            try StatementRecord
                .filter(sql: "deadline IS NOT NULL AND closed_at IS NULL")
                // An outgoing statement waiting for approval was not sent: nothing to remind of yet.
                .filter(sql: "reference NOT IN (SELECT reference FROM outgoing_statement WHERE state = 'pending-approval')")
                .order(sql: "recorded_at, reference")
                .fetchAll(db)
                .map { row in
                    let recorded = try row.recorded()
                    return OpenStatement(
                        reference: recorded.reference, statement: recorded.statement, routing: recorded.routing,
                        recordedAt: recorded.recordedAt)
                }
        }
    }

    /// Records a reminder and puts its message in the outbox, once per statement, deadline and
    /// kind. Returns `false` (and stores nothing) when that reminder, or a later one of the same
    /// deadline (after the clock was set back), was already recorded.
    public func recordReminder(_ reminder: PlannedReminder, deadline: CalendarDate, message: OutgoingMessage, at date: Date) async throws -> Bool {
        let reference = reminder.reference.description
        return try await write("record reminder \(reminder.kind.key) of \(reference)") { db in
            let exists = try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM reminder WHERE statement_reference = ? AND deadline = ? AND kind = ?)",
                arguments: [reference, deadline.description, reminder.kind.key]) ?? false
            guard !exists else { return false }
            // A clock set back days after a jump forward would bring back an earlier reminder of
            // the deadline ("in four days" after "tomorrow"): a later one recorded supersedes it.
            let recordedKinds = try String.fetchAll(
                db, sql: "SELECT kind FROM reminder WHERE statement_reference = ? AND deadline = ?",
                arguments: [reference, deadline.description])
            let position = reminder.kind.daysAfterDeadline
            if recordedKinds.contains(where: { (ReminderKind(key: $0)?.daysAfterDeadline ?? .min) > position }) { return false }
            try Self.insert(db, outgoing: message, at: date)
            let outgoingID = try Int64.fetchOne(
                db, sql: "SELECT id FROM outgoing_message WHERE message_id = ?", arguments: [message.messageID])
            try db.execute(
                sql: """
                    INSERT INTO reminder (statement_reference, deadline, kind, day, outgoing_message_id, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [reference, deadline.description, reminder.kind.key, reminder.day.description, outgoingID, date])
            var event = StatementEventRecord(
                statementReference: reference, kind: "reminded",
                detail: "\(reminder.kind) to " + (reminder.to + reminder.cc).map(\.address).joined(separator: ", "),
                at: date)
            try event.insert(db)
            return true
        }
    }

    /// The reminders recorded for a statement, as `(day, kind key)` pairs in the order they were recorded.
    public func reminders(reference: StatementReference) async throws -> [(day: String, kind: String)] {
        try await read("read reminders of \(reference)") { db in
            try Row.fetchAll(
                db, sql: "SELECT day, kind FROM reminder WHERE statement_reference = ? ORDER BY recorded_at, rowid",
                arguments: [reference.description]
            ).map { (day: $0["day"], kind: $0["kind"]) }
        }
    }
}
