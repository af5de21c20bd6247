import GRDB

/// The database schema, as a sequence of named migrations.
///
/// A migration that has shipped is never edited: a later schema change is a new migration
/// appended here (`v2`, `v3`, …). GRDB records the applied migrations in its `grdb_migrations`
/// table, and each migration runs in its own transaction. docs/store.md describes every column.
enum Schema {
    /// The migrator holding every migration.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        // v1: the first schema. Mailbox cursors, received messages and where they were seen,
        // reference counters, statements and their history, the outbox with one row per
        // recipient.
        migrator.registerMigration("v1") { db in
            try createV1(db)
        }

        // v2: deadline reminders, each recorded once per statement, deadline and kind; statements
        // can be closed.
        migrator.registerMigration("v2") { db in
            try db.alter(table: "statement") { t in
                t.add(column: "closed_at", .datetime)
                t.add(column: "closed_reason", .text)
            }
            try db.create(table: "reminder") { t in
                t.column("statement_reference", .text).notNull().references("statement", onDelete: .cascade)
                t.column("deadline", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("day", .text).notNull()
                t.column("outgoing_message_id", .integer).references("outgoing_message")
                t.column("recorded_at", .datetime).notNull()
                t.primaryKey(["statement_reference", "deadline", "kind"])
            }
        }

        // v3: weekly digests to liaison managers, each recorded once per recipient address
        // (lowercased) and ISO week (`2026-W48`), in the transaction that stores its outbox entry;
        // an empty digest is recorded without one (nothing was sent).
        migrator.registerMigration("v3") { db in
            try db.create(table: "digest") { t in
                t.column("recipient", .text).notNull()
                t.column("week", .text).notNull()
                t.column("day", .text).notNull()
                t.column("statement_count", .integer).notNull()
                t.column("outgoing_message_id", .integer).references("outgoing_message")
                t.column("recorded_at", .datetime).notNull()
                t.primaryKey(["recipient", "week"])
            }
        }

        // v4: delivery reports are stored as such (`report`, linked to their statement) instead of
        // as `statement`; an outbox entry retried by hand (`liaison outbox retry`) starts a new
        // give-up window at `retried_at`. SQLite cannot change a CHECK constraint, so
        // `received_message` is rebuilt (SQLite's documented twelve-step way; the migrator checks
        // foreign keys once the migration is done).
        migrator.registerMigration("v4") { db in
            try createReceivedMessage(db, named: "received_message_v4", dispositions: ["statement", "quarantined", "report"])
            try db.execute(
                sql: """
                    INSERT INTO received_message_v4
                        (id, sha256, message_id, raw, size, received_at, disposition, quarantine_reason, statement_reference)
                    SELECT id, sha256, message_id, raw, size, received_at, disposition, quarantine_reason, statement_reference
                    FROM received_message
                    """)
            try db.drop(table: "received_message")
            try db.rename(table: "received_message_v4", to: "received_message")
            try db.create(index: "received_message_on_statement_reference", on: "received_message", columns: ["statement_reference"])
            try db.alter(table: "outgoing_message") { t in
                t.add(column: "retried_at", .datetime)
            }
        }

        // v5-outgoing: statements the IETF sends (docs/outgoing.md): each one's approval and
        // sending, next to its `statement` row. Registered after v6-engagement (both were added
        // at once; a migration's place in this list, not its name, sets the order).
        migrator.registerMigration("v5-outgoing") { db in
            try OutgoingSchema.migrate(db)
        }

        // v6-engagement: invitations to comment (docs/engagement.md): the invitation, the
        // Message-ID of its mail to each community, the replies linked to it (each recorded as a
        // statement), its reminders to the engagement manager and its summary, each once.
        // `received_message` accepts the disposition `invitation` (an engagement manager's request).
        migrator.registerMigration("v6-engagement") { db in
            try EngagementSchema.migrate(db)
        }

        return migrator
    }()

    /// `received_message`: every message committed by intake, with its exact bytes.
    private static func createReceivedMessage(_ db: Database, named name: String, dispositions: [String]) throws {
        try db.create(table: name) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("sha256", .text).notNull().unique()
            t.column("message_id", .text)
            t.column("raw", .blob).notNull()
            t.column("size", .integer).notNull()
            t.column("received_at", .datetime).notNull()
            t.column("disposition", .text).notNull()
                .check(sql: "disposition IN (\(dispositions.map { "'\($0)'" }.joined(separator: ", ")))")
            t.column("quarantine_reason", .text)
            t.column("statement_reference", .text)
                .references("statement", column: "reference", onDelete: .restrict)
            t.check(sql: "(disposition = 'quarantined') = (quarantine_reason IS NOT NULL)")
        }
    }

    private static func createV1(_ db: Database) throws {
        // How far intake has read each mailbox.
        try db.create(table: "mailbox_cursor") { t in
            t.primaryKey("mailbox", .text)
            t.column("uid_validity", .integer).notNull()
            t.column("last_uid", .integer).notNull()
            t.column("updated_at", .datetime).notNull()
        }

        // Every message committed by intake, with its exact bytes.
        try createReceivedMessage(db, named: "received_message", dispositions: ["statement", "quarantined"])
        try db.create(index: "received_message_on_statement_reference", on: "received_message", columns: ["statement_reference"])

        // Every place a message was seen on the server, and its move to its destination folder.
        try db.create(table: "message_location") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("received_message_id", .integer).notNull()
                .references("received_message", onDelete: .restrict)
            t.column("mailbox", .text).notNull()
            t.column("uid_validity", .integer).notNull()
            t.column("uid", .integer).notNull()
            t.column("destination", .text).notNull()
            t.column("recorded_at", .datetime).notNull()
            t.column("moved_at", .datetime)
            t.uniqueKey(["mailbox", "uid_validity", "uid"])
        }
        try db.create(index: "message_location_on_received_message_id", on: "message_location", columns: ["received_message_id"])

        // The last reference number handed out per prefix and year.
        try db.create(table: "reference_counter") { t in
            t.column("prefix", .text).notNull()
            t.column("year", .integer).notNull()
            t.column("last_number", .integer).notNull()
            t.primaryKey(["prefix", "year"])
        }

        // Recorded statements: the full extraction as JSON plus the columns lists filter on.
        try db.create(table: "statement") { t in
            t.primaryKey("reference", .text)
            t.column("year", .integer).notNull()
            t.column("number", .integer).notNull()
            t.column("title", .text)
            t.column("from_organization", .text)
            t.column("purpose", .text)
            t.column("deadline", .text)
            t.column("state", .text).notNull()
            t.column("recorded_at", .datetime).notNull()
            t.column("message_id", .text)
            t.column("sender_name", .text)
            t.column("sender_address", .text)
            t.column("layout", .text).notNull()
            t.column("groups", .text).notNull()
            t.column("statement_json", .text).notNull()
            t.column("routing_json", .text).notNull()
        }
        try db.create(index: "statement_on_recorded_at", on: "statement", columns: ["recorded_at"])
        try db.create(index: "statement_on_deadline", on: "statement", columns: ["deadline"])

        // A statement's history.
        try db.create(table: "statement_event") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("statement_reference", .text).notNull()
                .references("statement", column: "reference", onDelete: .restrict)
            t.column("kind", .text).notNull()
            t.column("detail", .text).notNull()
            t.column("at", .datetime).notNull()
        }
        try db.create(index: "statement_event_on_statement_reference", on: "statement_event", columns: ["statement_reference"])

        // The outbox: messages rendered and stored before any attempt to send them.
        try db.create(table: "outgoing_message") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("message_id", .text).notNull().unique()
            t.column("kind", .text).notNull()
            t.column("statement_reference", .text)
                .references("statement", column: "reference", onDelete: .restrict)
            t.column("envelope_sender", .text).notNull()
            t.column("raw", .blob).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("last_attempt_at", .datetime)
            t.column("next_attempt_at", .datetime)
            t.column("state", .text).notNull()
                .check(sql: "state IN ('pending', 'done', 'failed')")
        }
        try db.create(index: "outgoing_message_on_state_next_attempt_at", on: "outgoing_message", columns: ["state", "next_attempt_at"])
        try db.create(index: "outgoing_message_on_statement_reference", on: "outgoing_message", columns: ["statement_reference"])

        // One row per envelope recipient of an outgoing message: its delivery state.
        try db.create(table: "outgoing_recipient") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("outgoing_message_id", .integer).notNull()
                .references("outgoing_message", onDelete: .restrict)
            t.column("address", .text).notNull()
            t.column("state", .text).notNull()
                .check(sql: "state IN ('pending', 'delivered', 'temporary-failure', 'permanent-failure')")
            t.column("code", .integer)
            t.column("detail", .text)
            t.column("updated_at", .datetime).notNull()
            t.uniqueKey(["outgoing_message_id", "address"])
        }
    }
}
