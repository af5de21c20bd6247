import Foundation
import GRDB
import LiaisonCore

extension SQLiteStore {
    /// A cheap round trip to the database (for `/healthz`): reads the schema version. Throws
    /// ``StoreError`` when the connection cannot answer.
    public func ping() async throws {
        _ = try await read("answer a health check") { db in
            try Int.fetchOne(db, sql: "PRAGMA schema_version")
        }
    }

    /// When each closed statement was closed, by reference text (`LS-2026-0001`); open statements
    /// are absent.
    public func closingDates() async throws -> [String: Date] {
        try await read("read when statements were closed") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT reference, closed_at FROM statement WHERE closed_at IS NOT NULL")
            var dates: [String: Date] = [:]
            for row in rows {
                let reference: String = try row.decode(forColumn: "reference")
                dates[reference] = try row.decode(forColumn: "closed_at")
            }
            return dates
        }
    }

    /// How many outgoing messages are in each state (`pending`, `done`, `failed`); a state with
    /// no message is absent.
    public func outgoingStateCounts() async throws -> [String: Int] {
        try await read("count the outgoing messages by state") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outgoing_message GROUP BY state")
            return Dictionary(uniqueKeysWithValues: rows.map { (row: Row) in (row["state"] as String, row["n"] as Int) })
        }
    }
}
