import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// Whether the reminder `kind` of `reference` for `deadline` was recorded (and so sent or queued).
    public func isReminderRecorded(_ reference: StatementReference, deadline: CalendarDate, kind: ReminderKind) async throws -> Bool {
        try await read("check reminder \(kind.key) of \(reference)") { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM reminder WHERE statement_reference = ? AND deadline = ? AND kind = ?)",
                arguments: [reference.description, deadline.description, kind.key]) ?? false
        }
    }
}
