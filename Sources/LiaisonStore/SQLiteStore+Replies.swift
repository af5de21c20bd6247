import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// The recorded statements a new one answers, found by its clues (see ``StatementStore``).
    public func statements(answering clues: [ResponseReference]) async throws -> [StatementReference] {
        try await read("find the statements a reply answers") { db in
            var found: [String] = []
            for clue in clues {
                let rows: [String]
                switch clue.kind {
                case .identifier:
                    rows = try String.fetchAll(
                        db,
                        sql: """
                            SELECT DISTINCT statement.reference FROM statement, json_each(statement.statement_json, '$.identifiers')
                            WHERE json_each.value = ? COLLATE NOCASE
                            """,
                        arguments: [clue.value])
                case .title:
                    rows = try String.fetchAll(
                        db, sql: "SELECT reference FROM statement WHERE title = ? COLLATE NOCASE", arguments: [clue.value])
                case .messageID:
                    rows = try String.fetchAll(
                        db,
                        sql: """
                            SELECT reference FROM statement WHERE message_id = ?
                            UNION SELECT statement_reference FROM outgoing_message
                            WHERE message_id = ? AND statement_reference IS NOT NULL
                            """,
                        arguments: [clue.value, clue.value])
                case .url:
                    rows = []
                }
                for reference in rows where !found.contains(reference) { found.append(reference) }
            }
            return found.compactMap(StatementReference.init)
        }
    }

    /// Links a new statement's answers inside the intake transaction: each answered statement gets
    /// an `answered` event and leaves "action required".
    static func recordAnswers(_ answers: [StatementReference], by reference: String, db: Database, at date: Date) throws {
        for answered in answers where answered.description != reference {
            guard try StatementRecord.exists(db, key: answered.description) else { continue }
            try markOutgoingReplied(answered.description, by: reference, db: db, at: date)
            try apply(.close(reason: "answered by \(reference)"), to: answered.description, db: db, at: date)
            var event = StatementEventRecord(
                statementReference: answered.description, kind: "answered", detail: "answered by \(reference)", at: date)
            try event.insert(db)
        }
    }
}
