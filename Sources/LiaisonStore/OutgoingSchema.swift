import GRDB

/// The table of the `v5-outgoing` migration (see ``Schema``): the lifecycle of each statement the
/// IETF sends, next to its `statement` row (docs/store.md, docs/outgoing.md).
enum OutgoingSchema {
    static func migrate(_ db: Database) throws {
        try db.create(table: "outgoing_statement") { t in
            t.primaryKey("reference", .text).references("statement", column: "reference", onDelete: .restrict)
            t.column("state", .text).notNull()
                .check(sql: "state IN ('pending-approval', 'sent', 'replied', 'closed')")
            t.column("submitter", .text).notNull()
            // Directory acronyms, comma-separated; the first decides the approvers.
            t.column("from_groups", .text).notNull()
            t.column("peer_organization", .text)
            t.column("profile", .text).notNull()
            // The addresses the approval request went to, comma-separated.
            t.column("approvers", .text).notNull()
            t.column("submission_sha256", .text).notNull()
            t.column("approval_message_id", .text)
            t.column("approved_by", .text)
            t.column("approved_at", .datetime)
            t.column("sent_message_id", .text)
            t.column("sent_at", .datetime)
            t.column("replied_by", .text)
            t.column("replied_at", .datetime)
            t.column("submitted_at", .datetime).notNull()
        }
        try db.create(index: "outgoing_statement_on_approval_message_id", on: "outgoing_statement", columns: ["approval_message_id"])
    }
}
