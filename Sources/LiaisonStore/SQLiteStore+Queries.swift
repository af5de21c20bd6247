import Foundation
import GRDB
import LiaisonCore

extension SQLiteStore {
    /// The recorded statements, newest first (by recording time, then reference).
    public func statements() async throws -> [StatementSummary] {
        try await read("list the statements") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT reference, title, from_organization, groups, purpose, deadline, state, recorded_at
                    FROM statement
                    ORDER BY recorded_at DESC, year DESC, number DESC, reference DESC
                    """)
            return try rows.map { row in
                let text: String = try row.decode(forColumn: "reference")
                guard let reference = StatementReference(text) else {
                    throw JSONColumn.Failure("statement.reference \"\(text)\" is not a reference")
                }
                let stateText: String = try row.decode(forColumn: "state")
                guard let state = StatementState(rawValue: stateText) else {
                    throw JSONColumn.Failure("statement \(text): unknown state \"\(stateText)\"")
                }
                let purposeText: String? = try row.decode(forColumn: "purpose")
                let deadlineText: String? = try row.decode(forColumn: "deadline")
                return StatementSummary(
                    reference: reference,
                    title: try row.decode(forColumn: "title"),
                    fromOrganization: try row.decode(forColumn: "from_organization"),
                    groups: try JSONColumn.decode([String].self, from: row.decode(forColumn: "groups"), what: "statement \(text) groups"),
                    purpose: purposeText.flatMap(Purpose.init(rawValue:)),
                    deadline: deadlineText.flatMap { CalendarDate(iso: $0) },
                    state: state,
                    recordedAt: try row.decode(forColumn: "recorded_at")
                )
            }
        }
    }

    /// The statement recorded under `reference`, or `nil`.
    public func statement(reference: StatementReference) async throws -> RecordedStatement? {
        try await read("read statement \(reference)") { db in
            try StatementRecord.fetchOne(db, key: reference.description)?.recorded()
        }
    }

    /// The history of a statement, oldest first (empty for an unknown reference).
    public func events(reference: StatementReference) async throws -> [StatementEvent] {
        try await read("read the history of \(reference)") { db in
            try StatementEventRecord
                .filter(StatementEventRecord.Columns.statementReference == reference.description)
                .order(StatementEventRecord.Columns.at, StatementEventRecord.Columns.id)
                .fetchAll(db)
                .map(\.event)
        }
    }

    /// How many distinct messages (by content) intake committed.
    public func receivedMessageCount() async throws -> Int {
        try await read("count the received messages") { db in
            try ReceivedMessageRecord.fetchCount(db)
        }
    }

    /// How many received messages each disposition holds (`statement`, `quarantined`, `report`).
    public func receivedMessageCounts() async throws -> [String: Int] {
        try await read("count the received messages by disposition") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT disposition, COUNT(*) AS n FROM received_message GROUP BY disposition")
            return Dictionary(uniqueKeysWithValues: rows.map { (row: Row) in (row["disposition"] as String, row["n"] as Int) })
        }
    }

    /// The quarantined messages, newest first.
    public func quarantined() async throws -> [QuarantinedMessage] {
        try await read("list the quarantined messages") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT sha256, message_id, quarantine_reason, received_at, size
                    FROM received_message
                    WHERE disposition = 'quarantined'
                    ORDER BY received_at DESC, id DESC
                    """)
            return try rows.map { row in
                QuarantinedMessage(
                    sha256: try row.decode(forColumn: "sha256"),
                    messageID: try row.decode(forColumn: "message_id"),
                    reason: try row.decode(String?.self, forColumn: "quarantine_reason") ?? "",
                    receivedAt: try row.decode(forColumn: "received_at"),
                    size: try row.decode(forColumn: "size")
                )
            }
        }
    }

    /// The exact bytes of a committed message, or `nil` when no message has that SHA-256.
    public func rawMessage(sha256: String) async throws -> [UInt8]? {
        try await read("read message \(sha256)") { db in
            try Data.fetchOne(db, sql: "SELECT raw FROM received_message WHERE sha256 = ?", arguments: [sha256])
                .map { [UInt8]($0) }
        }
    }
}
