import Foundation
import GRDB

/// The tables of the `v6-engagement` migration (see ``Schema``).
enum EngagementSchema {
    static func migrate(_ db: Database) throws {
        try allowInvitationDisposition(db)
        try db.create(table: "invitation") { t in
            t.primaryKey("reference", .text)
            t.column("manager_name", .text)
            t.column("manager_address", .text).notNull()
            t.column("title", .text).notNull()
            t.column("communities", .text).notNull()
            t.column("groups", .text).notNull()
            t.column("work", .text).notNull()
            t.column("closing", .text).notNull()
            t.column("body", .text).notNull()
            t.column("message_id", .text)
            t.column("created_at", .datetime).notNull()
            t.column("summary_outgoing_message_id", .integer).references("outgoing_message")
            t.column("summarized_at", .datetime)
            t.column("reply_count", .integer)
        }
        try db.create(table: "invitation_delivery") { t in
            t.column("invitation_reference", .text).notNull().references("invitation", onDelete: .restrict)
            t.column("community", .text).notNull()
            t.column("message_id", .text).notNull().unique()
            t.primaryKey(["invitation_reference", "community"])
        }
        try db.create(table: "invitation_reply") { t in
            t.column("statement_reference", .text).primaryKey().references("statement", column: "reference", onDelete: .restrict)
            t.column("invitation_reference", .text).notNull().references("invitation", onDelete: .restrict)
            t.column("community", .text)
            t.column("sender_name", .text)
            t.column("sender_address", .text)
            t.column("received_at", .datetime).notNull()
            t.column("excerpt", .text).notNull()
        }
        try db.create(index: "invitation_reply_on_invitation_reference", on: "invitation_reply", columns: ["invitation_reference"])
        try db.create(table: "invitation_reminder") { t in
            t.column("invitation_reference", .text).notNull().references("invitation", onDelete: .restrict)
            t.column("days_before", .integer).notNull()
            t.column("outgoing_message_id", .integer).references("outgoing_message")
            t.column("recorded_at", .datetime).notNull()
            t.primaryKey(["invitation_reference", "days_before"])
        }
    }

    /// Rebuilds `received_message` so its disposition CHECK also accepts `invitation` (SQLite
    /// cannot change a CHECK constraint). The table is recreated from its own stored definition
    /// with only the disposition list extended, so whatever columns or dispositions earlier
    /// migrations added are kept; then SQLite's documented copy, drop, rename.
    private static func allowInvitationDisposition(_ db: Database) throws {
        guard
            let definition = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'received_message'")
        else { throw DatabaseError(message: "v6-engagement: no received_message table") }
        guard !definition.contains("'invitation'") else { return }
        var rebuilt = definition.replacingOccurrences(of: "disposition IN (", with: "disposition IN ('invitation', ")
        guard rebuilt != definition, let name = rebuilt.range(of: "received_message") else {
            throw DatabaseError(message: "v6-engagement: the disposition CHECK of received_message was not found")
        }
        rebuilt.replaceSubrange(name, with: "received_message_v6")
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO received_message_v6 SELECT * FROM received_message")
        try db.drop(table: "received_message")
        try db.rename(table: "received_message_v6", to: "received_message")
        try db.create(index: "received_message_on_statement_reference", on: "received_message", columns: ["statement_reference"])
    }
}
