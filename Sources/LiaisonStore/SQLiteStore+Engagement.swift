import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore: EngagementStore {
    /// Stores the invitation or the invitation reply an intake record carries, inside the
    /// caller's commit transaction.
    static func commitEngagement(_ record: IntakeRecord, db: Database) throws {
        if let recorded = record.invitation {
            let invitation = recorded.invitation
            guard case .invitation(let reference) = record.disposition, reference == invitation.reference else {
                throw StoreError.invalidRecord(
                    reason: "invitation \(invitation.reference) does not match the disposition of \(describe(record.location))")
            }
            try db.execute(
                sql: """
                    INSERT INTO invitation (reference, manager_name, manager_address, title, communities, groups, work, closing,
                        body, message_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    invitation.reference.description, invitation.manager.name, invitation.manager.address, invitation.title,
                    try json(invitation.communities), try json(invitation.groups), try json(invitation.work),
                    invitation.closing.description, invitation.body, invitation.messageID, invitation.createdAt,
                ])
            for delivery in recorded.deliveries {
                try db.execute(
                    sql: "INSERT INTO invitation_delivery (invitation_reference, community, message_id) VALUES (?, ?, ?)",
                    arguments: [invitation.reference.description, delivery.community, delivery.messageID])
            }
        }
        if let reply = record.invitationReply {
            guard case .statement(let reference) = record.disposition, reference == reply.statement else {
                throw StoreError.invalidRecord(
                    reason: "the reply to \(reply.invitation) does not match the disposition of \(describe(record.location))")
            }
            try db.execute(
                sql: """
                    INSERT INTO invitation_reply (statement_reference, invitation_reference, community, sender_name, sender_address,
                        received_at, excerpt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    reply.statement.description, reply.invitation.description, reply.community, reply.sender?.name,
                    reply.sender?.address, reply.receivedAt, reply.excerpt,
                ])
        }
    }

    /// The invitation recorded under `reference`, or `nil`.
    public func invitation(reference: StatementReference) async throws -> Invitation? {
        try await read("read invitation \(reference)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM invitation WHERE reference = ?", arguments: [reference.description])
                .map(Self.invitation(from:))
        }
    }

    /// Every invitation, newest first, with whether its summary was sent (`liaison invitations`).
    public func invitations() async throws -> [(invitation: Invitation, replies: Int, summarizedAt: Date?)] {
        try await read("read invitations") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT invitation.*, (SELECT COUNT(*) FROM invitation_reply WHERE invitation_reference = reference) AS replies
                    FROM invitation ORDER BY created_at DESC, reference DESC
                    """
            ).map { row -> (invitation: Invitation, replies: Int, summarizedAt: Date?) in
                let replies: Int = row["replies"]
                let summarizedAt: Date? = row["summarized_at"]
                return (invitation: try Self.invitation(from: row), replies: replies, summarizedAt: summarizedAt)
            }
        }
    }

    /// The invitation and community of the first of `messageIDs` that is an invitation we sent.
    public func invitationDelivery(messageIDs: [String]) async throws -> (invitation: StatementReference, community: String)? {
        try await read("find an invitation by Message-ID") { db in
            for id in messageIDs {
                if let row = try Row.fetchOne(
                    db, sql: "SELECT invitation_reference, community FROM invitation_delivery WHERE message_id = ?", arguments: [id]),
                    let reference = StatementReference(row["invitation_reference"] as String)
                {
                    let community: String = row["community"]
                    return (invitation: reference, community: community)
                }
            }
            return nil
        }
    }

    /// The invitations whose summary was not sent yet, oldest first.
    public func unsummarizedInvitations() async throws -> [Invitation] {
        try await read("read open invitations") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM invitation WHERE summarized_at IS NULL ORDER BY created_at, reference")
                .map(Self.invitation(from:))
        }
    }

    /// The replies linked to an invitation, in the order they arrived.
    public func invitationReplies(to reference: StatementReference) async throws -> [InvitationReply] {
        try await read("read the replies to \(reference)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM invitation_reply WHERE invitation_reference = ? ORDER BY received_at, rowid",
                arguments: [reference.description]
            ).compactMap { row in
                guard let statement = StatementReference(row["statement_reference"] as String) else { return nil }
                let address: String? = row["sender_address"]
                return InvitationReply(
                    invitation: reference, statement: statement, community: row["community"],
                    sender: address.map { Contact(name: row["sender_name"], address: $0) }, receivedAt: row["received_at"],
                    excerpt: row["excerpt"])
            }
        }
    }

    /// Records a reminder to the engagement manager with its outbox entry, once per invitation and day count.
    public func recordInvitationReminder(
        _ reference: StatementReference, daysBefore: Int, message: OutgoingMessage, at date: Date
    ) async throws -> Bool {
        try await write("record reminder \(daysBefore) days before \(reference) closes") { db in
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM invitation_reminder WHERE invitation_reference = ? AND days_before = ?)",
                arguments: [reference.description, daysBefore]) ?? false
            guard !exists else { return false }
            try Self.insert(db, outgoing: message, at: date)
            let outgoingID = try Int64.fetchOne(db, sql: "SELECT id FROM outgoing_message WHERE message_id = ?", arguments: [message.messageID])
            try db.execute(
                sql: "INSERT INTO invitation_reminder (invitation_reference, days_before, outgoing_message_id, recorded_at) VALUES (?, ?, ?, ?)",
                arguments: [reference.description, daysBefore, outgoingID, date])
            return true
        }
    }

    /// Records an invitation's summary with its outbox entry, once per invitation.
    public func recordInvitationSummary(_ reference: StatementReference, replies: Int, message: OutgoingMessage, at date: Date) async throws
        -> Bool
    {
        try await write("record the summary of \(reference)") { db in
            let open = try Bool.fetchOne(
                db, sql: "SELECT summarized_at IS NULL FROM invitation WHERE reference = ?", arguments: [reference.description]) ?? false
            guard open else { return false }
            try Self.insert(db, outgoing: message, at: date)
            let outgoingID = try Int64.fetchOne(db, sql: "SELECT id FROM outgoing_message WHERE message_id = ?", arguments: [message.messageID])
            try db.execute(
                sql: "UPDATE invitation SET summarized_at = ?, summary_outgoing_message_id = ?, reply_count = ? WHERE reference = ?",
                arguments: [date, outgoingID, replies, reference.description])
            return true
        }
    }

    /// The reminders recorded for an invitation, as day counts in the order they were recorded.
    public func invitationReminders(_ reference: StatementReference) async throws -> [Int] {
        try await read("read the reminders of \(reference)") { db in
            try Int.fetchAll(
                db, sql: "SELECT days_before FROM invitation_reminder WHERE invitation_reference = ? ORDER BY recorded_at, rowid",
                arguments: [reference.description])
        }
    }

    private static func json(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }

    private static func list(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    private static func invitation(from row: Row) throws -> Invitation {
        let text: String = row["reference"]
        guard let reference = StatementReference(text), let closing = CalendarDate(iso: row["closing"] as String) else {
            throw StoreError.invalidRecord(reason: "invitation \(text) has an unreadable reference or closing date")
        }
        return Invitation(
            reference: reference, manager: Contact(name: row["manager_name"], address: row["manager_address"]), title: row["title"],
            communities: try list(row["communities"]), groups: try list(row["groups"]), work: try list(row["work"]), closing: closing,
            body: row["body"], createdAt: row["created_at"], messageID: row["message_id"])
    }
}
