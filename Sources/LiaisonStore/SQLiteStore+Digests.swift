import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore: DigestStore {
    /// Every statement that is not closed, oldest first.
    public func unclosedStatements() async throws -> [RecordedStatement] {
        try await read("read unclosed statements") { db in
            try StatementRecord
                .filter(sql: "closed_at IS NULL")
                .order(sql: "recorded_at, reference")
                .fetchAll(db)
                .map { try $0.recorded() }
        }
    }

    /// The addresses (lowercased) with a digest recorded for `week` or a later one.
    public func digestRecipients(recordedFrom week: ISOWeek) async throws -> Set<String> {
        try await read("read digests from \(week)") { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT recipient FROM digest WHERE week >= ?", arguments: [week.description]))
        }
    }

    /// Records a digest and puts its message in the outbox, once per recipient and week; `false`
    /// (storing nothing) when the recipient has a digest for this week or a later one.
    public func recordDigest(_ digest: PlannedDigest, message: OutgoingMessage?, at date: Date) async throws -> Bool {
        let recipient = digest.recipient.contact.address.lowercased()
        let week = digest.week.description
        return try await write("record digest \(week)") { db in
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM digest WHERE recipient = ? AND week >= ?)", arguments: [recipient, week]) ?? false
            guard !exists else { return false }
            var outgoingID: Int64?
            if let message {
                try Self.insert(db, outgoing: message, at: date)
                outgoingID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM outgoing_message WHERE message_id = ?", arguments: [message.messageID])
            }
            try db.execute(
                sql: """
                    INSERT INTO digest (recipient, week, day, statement_count, outgoing_message_id, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [recipient, week, digest.day.description, digest.count, outgoingID, date])
            return true
        }
    }

    /// The digests recorded, as `(recipient, week, statement count, sent)` in the order they were recorded.
    public func digests() async throws -> [(recipient: String, week: String, count: Int, sent: Bool)] {
        try await read("read digests") { db in
            try Row.fetchAll(
                db, sql: "SELECT recipient, week, statement_count, outgoing_message_id FROM digest ORDER BY recorded_at, rowid"
            ).map { row in
                let outgoing: Int64? = row["outgoing_message_id"]
                return (recipient: row["recipient"], week: row["week"], count: row["statement_count"], sent: outgoing != nil)
            }
        }
    }
}
