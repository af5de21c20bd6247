import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// The lifecycle of an outgoing statement, or `nil` when `reference` is not one.
    public func outgoingStatement(reference: StatementReference) async throws -> OutgoingStatementRecord? {
        try await read("read outgoing statement \(reference)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outgoing_statement WHERE reference = ?", arguments: [reference.description])
                .flatMap(Self.outgoingRecord)
        }
    }

    /// The outgoing statement whose approval request had this Message-ID, or `nil`.
    public func outgoingStatement(approvalMessageID: String) async throws -> OutgoingStatementRecord? {
        try await read("find the outgoing statement of approval request <\(approvalMessageID)>") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outgoing_statement WHERE approval_message_id = ?", arguments: [approvalMessageID])
                .flatMap(Self.outgoingRecord)
        }
    }

    /// Every outgoing statement, newest first (for tools and tests; `liaison show` prints one).
    public func outgoingStatements() async throws -> [OutgoingStatementRecord] {
        try await read("list outgoing statements") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outgoing_statement ORDER BY submitted_at DESC, reference DESC")
                .compactMap(Self.outgoingRecord)
        }
    }

    /// The exact bytes of a committed message, or `nil`.
    public func receivedMessage(sha256: String) async throws -> [UInt8]? {
        try await read("read message \(sha256)") { db in
            try Data.fetchOne(db, sql: "SELECT raw FROM received_message WHERE sha256 = ?", arguments: [sha256]).map { [UInt8]($0) }
        }
    }

    /// Applies an outgoing statement change inside the intake transaction.
    static func apply(_ change: OutgoingStatementChange, db: Database, at date: Date) throws {
        switch change {
        case .submitted(let record):
            try db.execute(
                sql: """
                    INSERT INTO outgoing_statement
                        (reference, state, submitter, from_groups, peer_organization, profile, approvers, submission_sha256,
                         approval_message_id, approved_by, approved_at, sent_message_id, sent_at, submitted_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.reference.description, record.state.rawValue, record.submitter, record.fromGroups.joined(separator: ","),
                    record.peerOrganization, record.profile, record.approvers.joined(separator: ","), record.submissionSHA256,
                    record.approvalMessageID, record.approvedBy, record.approvedAt, record.sentMessageID, record.sentAt,
                    record.submittedAt,
                ])
        case .approved(let reference, let by, let messageID):
            // Only a statement still pending moves: a second approval changes nothing.
            try db.execute(
                sql: """
                    UPDATE outgoing_statement SET state = 'sent', approved_by = ?, approved_at = ?, sent_message_id = ?, sent_at = ?
                    WHERE reference = ? AND state = 'pending-approval'
                    """,
                arguments: [by, date, messageID, date, reference.description])
            guard db.changesCount == 1 else {
                throw StoreError.invalidRecord(reason: "\(reference) is not an outgoing statement pending approval")
            }
        }
    }

    /// Marks an outgoing statement awaiting its reply as replied by `reference` (called when a
    /// new statement answers it, in the same transaction).
    static func markOutgoingReplied(_ answered: String, by reference: String, db: Database, at date: Date) throws {
        try db.execute(
            sql: "UPDATE outgoing_statement SET state = 'replied', replied_by = ?, replied_at = ? WHERE reference = ? AND state = 'sent'",
            arguments: [reference, date, answered])
    }

    /// Marks an outgoing statement closed by hand (`liaison close`, `Action: taken`).
    static func markOutgoingClosed(_ reference: String, db: Database) throws {
        try db.execute(
            sql: "UPDATE outgoing_statement SET state = 'closed' WHERE reference = ? AND state IN ('pending-approval', 'sent')",
            arguments: [reference])
    }

    private static func outgoingRecord(_ row: Row) -> OutgoingStatementRecord? {
        guard let reference = StatementReference(row["reference"] as String? ?? ""),
            let state = OutgoingState(rawValue: row["state"] as String? ?? "")
        else { return nil }
        func list(_ column: String) -> [String] {
            (row[column] as String? ?? "").split(separator: ",").map(String.init)
        }
        return OutgoingStatementRecord(
            reference: reference, state: state, submitter: (row["submitter"] as String?) ?? "", fromGroups: list("from_groups"),
            peerOrganization: row["peer_organization"] as String?, profile: (row["profile"] as String?) ?? "", approvers: list("approvers"),
            submissionSHA256: (row["submission_sha256"] as String?) ?? "", approvalMessageID: row["approval_message_id"] as String?,
            approvedBy: row["approved_by"] as String?, approvedAt: row["approved_at"] as Date?, sentMessageID: row["sent_message_id"] as String?,
            sentAt: row["sent_at"] as Date?, repliedBy: (row["replied_by"] as String?).flatMap { StatementReference($0) },
            submittedAt: (row["submitted_at"] as Date?) ?? Date(timeIntervalSince1970: 0))
    }
}
