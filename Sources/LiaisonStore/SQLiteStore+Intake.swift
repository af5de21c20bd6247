import Foundation
import GRDB
import LiaisonCore

extension SQLiteStore {
    // MARK: - Cursors

    /// The cursor of a mailbox, or `nil` before its first poll.
    public func cursor(mailbox: String) async throws -> MailboxCursor? {
        try await read("read the cursor of \(mailbox)") { db in
            try MailboxCursorRecord.fetchOne(db, key: mailbox)?.cursor
        }
    }

    /// Stores a cursor as given, replacing the mailbox's previous one.
    ///
    /// Saving a cursor with another UIDVALIDITY is how a UIDVALIDITY change resets `lastUID`.
    /// `updated_at` is set from the system clock (the value is informative only).
    public func saveCursor(_ cursor: MailboxCursor) async throws {
        try await write("save the cursor of \(cursor.mailbox)") { db in
            try MailboxCursorRecord(
                mailbox: cursor.mailbox,
                uidValidity: Int64(cursor.uidValidity),
                lastUID: Int64(cursor.lastUID),
                updatedAt: Date()
            ).save(db)
        }
    }

    /// Advances the mailbox's cursor to `location.uid` when that is higher, creating the cursor
    /// if the mailbox has none.
    ///
    /// A cursor under another UIDVALIDITY is left alone: changing the UIDVALIDITY is
    /// ``saveCursor(_:)``'s job, and the stale commit must not move the current cursor.
    static func advanceCursor(_ db: Database, to location: ServerLocation, at date: Date) throws {
        if var existing = try MailboxCursorRecord.fetchOne(db, key: location.mailbox) {
            guard existing.uidValidity == Int64(location.uidValidity), existing.lastUID < Int64(location.uid) else { return }
            existing.lastUID = Int64(location.uid)
            existing.updatedAt = date
            try existing.update(db)
        } else {
            try MailboxCursorRecord(
                mailbox: location.mailbox,
                uidValidity: Int64(location.uidValidity),
                lastUID: Int64(location.uid),
                updatedAt: date
            ).insert(db)
        }
    }

    // MARK: - Messages

    /// Whether a message with these exact bytes (by SHA-256) was already committed.
    public func containsMessage(sha256: String) async throws -> Bool {
        try await read("look up message \(sha256)") { db in
            try ReceivedMessageRecord.filter(ReceivedMessageRecord.Columns.sha256 == sha256).fetchCount(db) > 0
        }
    }

    /// Allocates the next reference number of a prefix and year, in its own transaction.
    ///
    /// A number is never handed out twice, even when the intake commit that should have used
    /// it fails afterwards (the number is then skipped), and even across processes sharing
    /// the database. Numbers restart at 1 each year.
    public func nextReference(prefix: String, year: Int) async throws -> StatementReference {
        guard !prefix.isEmpty, prefix.allSatisfy({ $0.isASCII && $0.isLetter }), (1000...9999).contains(year) else {
            throw StoreError.invalidReference(prefix: prefix, year: year)
        }
        return try await write("allocate a reference number for \(prefix)-\(year)") { db in
            var counter = try ReferenceCounterRecord.fetchOne(db, key: ["prefix": prefix, "year": year])
                ?? ReferenceCounterRecord(prefix: prefix, year: year, lastNumber: 0)
            counter.lastNumber += 1
            try counter.save(db)
            return StatementReference(prefix: prefix, year: year, number: counter.lastNumber)
        }
    }

    /// Commits everything one received message changes, in one transaction, and advances the
    /// mailbox cursor to its UID.
    ///
    /// Stored together: the message's bytes (`received_message`), its location with the
    /// pending move to `record.destination` (`message_location`), the statement and its
    /// events, the outgoing messages with one `pending` row per envelope recipient (due at
    /// `record.receivedAt`), and the cursor. When a message with the same SHA-256 is already
    /// stored (a replay, or a race with another poll) nothing is inserted twice: the call
    /// behaves as ``commitDuplicate(location:sha256:destination:at:)``.
    ///
    /// Events are added to `record.statement`, or, when the record carries no statement, to
    /// the recorded statement its disposition names. Throws ``StoreError/invalidRecord(reason:)``
    /// for a record that contradicts itself, ``StoreError/duplicateReference(reference:)``,
    /// ``StoreError/duplicateMessageID(messageID:)``, ``StoreError/unknownStatement(reference:)``
    /// or ``StoreError/locationConflict(mailbox:uidValidity:uid:recordedSHA256:)``; nothing is
    /// stored then.
    public func commit(_ record: IntakeRecord) async throws {
        let eventReference = try Self.validate(record)
        let statementRow = try record.statement.map { recorded in
            do {
                return try StatementRecord(recorded)
            } catch {
                throw storeError(error, operation: "encode statement \(recorded.reference)")
            }
        }
        var about: [String] = []
        if let messageID = record.messageID { about.append("Message-ID <\(messageID)>") }
        if case .statement(let reference) = record.disposition { about.append(reference.description) }
        let operation = "commit message \(Self.describe(record.location))"
            + (about.isEmpty ? "" : " (\(about.joined(separator: ", ")))")
        try await write(operation) { db in
            if let existing = try ReceivedMessageRecord
                .filter(ReceivedMessageRecord.Columns.sha256 == record.sha256)
                .fetchOne(db), let existingID = existing.id
            {
                try Self.addLocation(db, messageID: existingID, sha256: record.sha256, location: record.location, destination: record.destination, at: record.receivedAt)
                try Self.advanceCursor(db, to: record.location, at: record.receivedAt)
                return
            }

            if let statementRow {
                guard try StatementRecord.exists(db, key: statementRow.reference) == false else {
                    throw StoreError.duplicateReference(reference: statementRow.reference)
                }
                try statementRow.insert(db)
            }
            var referenced = Set(record.outgoing.compactMap { $0.statement?.description })
            if let eventReference { referenced.insert(eventReference) }
            for reference in referenced.sorted() {
                guard try StatementRecord.exists(db, key: reference) else {
                    throw StoreError.unknownStatement(reference: reference)
                }
            }
            if !record.answers.isEmpty, let eventReference {
                try Self.recordAnswers(record.answers, by: eventReference, db: db, at: record.receivedAt)
            }
            if let outgoing = record.outgoingStatement {
                try Self.apply(outgoing, db: db, at: record.receivedAt)
            }
            if let change = record.change {
                guard let eventReference else {
                    throw StoreError.invalidRecord(reason: "a statement change in \(Self.describe(record.location)) without a statement")
                }
                try Self.apply(change, to: eventReference, db: db, at: record.receivedAt)
            }
            if let eventReference {
                for event in record.events {
                    var row = StatementEventRecord(statementReference: eventReference, kind: event.kind, detail: event.detail, at: event.at)
                    try row.insert(db)
                }
            }

            var message = ReceivedMessageRecord(
                sha256: record.sha256,
                messageID: record.messageID,
                raw: Data(record.raw),
                size: record.raw.count,
                receivedAt: record.receivedAt,
                disposition: .statement,
                quarantineReason: nil,
                statementReference: nil
            )
            switch record.disposition {
            case .statement(let reference):
                message.statementReference = reference.description
            case .report(let reference):
                message.disposition = .report
                message.statementReference = reference.description
            case .quarantined(let reason):
                message.disposition = .quarantined
                message.quarantineReason = reason
            case .invitation:
                message.disposition = .invitation
            }
            try message.insert(db)
            try Self.commitEngagement(record, db: db)
            try Self.markBounced(record.bouncedRecipients, db: db, at: record.receivedAt)
            guard let messageID = message.id else { throw StoreError.invalidRecord(reason: "no row id after insert") }
            try Self.addLocation(db, messageID: messageID, sha256: record.sha256, location: record.location, destination: record.destination, at: record.receivedAt)

            for outgoing in record.outgoing {
                try Self.insert(db, outgoing: outgoing, at: record.receivedAt)
            }
            try Self.advanceCursor(db, to: record.location, at: record.receivedAt)
        }
    }

    /// Checks that a record is consistent; returns the statement its events belong to.
    private static func validate(_ record: IntakeRecord) throws -> String? {
        if let statement = record.statement {
            guard case .statement(let reference) = record.disposition, reference == statement.reference else {
                throw StoreError.invalidRecord(reason: "statement \(statement.reference) does not match the disposition of \(describe(record.location))")
            }
        }
        guard record.sha256.count == 64, record.sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw StoreError.invalidRecord(reason: "the SHA-256 of \(describe(record.location)) is not 64 lowercase hex digits")
        }
        var reference: String?
        if case .statement(let disposed) = record.disposition {
            reference = disposed.description
        }
        if case .report(let disposed) = record.disposition {
            reference = disposed.description
        }
        if reference == nil, !record.events.isEmpty {
            throw StoreError.invalidRecord(reason: "\(describe(record.location)) has events but no statement")
        }
        var seen = Set<String>()
        for outgoing in record.outgoing where !seen.insert(outgoing.messageID).inserted {
            throw StoreError.duplicateMessageID(messageID: outgoing.messageID)
        }
        return reference
    }

    /// Records that a message already committed under other UIDs was seen again at `location`,
    /// schedules its move to `destination` and advances the cursor, in one transaction.
    ///
    /// Seeing the same location of the same message again changes nothing (the call is
    /// idempotent). Throws ``StoreError/unknownMessage(sha256:)`` when no message has that
    /// SHA-256, and ``StoreError/locationConflict(mailbox:uidValidity:uid:recordedSHA256:)``
    /// when the location is recorded for another message.
    public func commitDuplicate(location: ServerLocation, sha256: String, destination: String, at date: Date) async throws {
        try await write("record duplicate \(sha256) at \(Self.describe(location))") { db in
            guard let existing = try ReceivedMessageRecord.filter(ReceivedMessageRecord.Columns.sha256 == sha256).fetchOne(db),
                let messageID = existing.id
            else {
                throw StoreError.unknownMessage(sha256: sha256)
            }
            try Self.addLocation(db, messageID: messageID, sha256: sha256, location: location, destination: destination, at: date)
            try Self.advanceCursor(db, to: location, at: date)
        }
    }

    /// Inserts a location row unless the same location of the same message exists.
    private static func addLocation(
        _ db: Database, messageID: Int64, sha256: String, location: ServerLocation, destination: String, at date: Date
    ) throws {
        if let existing = try MessageLocationRecord.filter(locationKey(location)).fetchOne(db) {
            guard existing.receivedMessageID == messageID else {
                let other = try ReceivedMessageRecord.fetchOne(db, key: existing.receivedMessageID)
                throw StoreError.locationConflict(
                    mailbox: location.mailbox, uidValidity: location.uidValidity, uid: location.uid,
                    recordedSHA256: other?.sha256 ?? "?")
            }
            return
        }
        var row = MessageLocationRecord(
            receivedMessageID: messageID,
            mailbox: location.mailbox,
            uidValidity: Int64(location.uidValidity),
            uid: Int64(location.uid),
            destination: destination,
            recordedAt: date,
            movedAt: nil
        )
        try row.insert(db)
    }

    /// Puts one outgoing message in the outbox, with one pending row per distinct recipient.
    static func insert(_ db: Database, outgoing: OutgoingMessage, at date: Date) throws {
        guard try OutgoingMessageRecord.filter(OutgoingMessageRecord.Columns.messageID == outgoing.messageID).fetchCount(db) == 0 else {
            throw StoreError.duplicateMessageID(messageID: outgoing.messageID)
        }
        var seen = Set<String>()
        let recipients = outgoing.envelope.recipients.filter { seen.insert($0.lowercased()).inserted }
        var row = OutgoingMessageRecord(
            messageID: outgoing.messageID,
            kind: outgoing.kind.rawValue,
            statementReference: outgoing.statement?.description,
            envelopeSender: outgoing.envelope.sender,
            raw: Data(outgoing.raw),
            createdAt: date,
            attempts: 0,
            lastAttemptAt: nil,
            // Due at once; an envelope without recipients has nothing to send.
            nextAttemptAt: recipients.isEmpty ? nil : date,
            state: recipients.isEmpty ? .done : .pending
        )
        try row.insert(db)
        guard let id = row.id else { throw StoreError.invalidRecord(reason: "no row id after insert") }
        for address in recipients {
            var recipient = OutgoingRecipientRecord(
                outgoingMessageID: id, address: address, state: .pending, code: nil, detail: nil, updatedAt: date)
            try recipient.insert(db)
        }
    }

    // MARK: - Moves

    /// The committed moves not yet confirmed done for a mailbox under a UIDVALIDITY, by UID.
    public func pendingMoves(mailbox: String, uidValidity: UInt32) async throws -> [PendingMove] {
        try await read("list pending moves of \(mailbox) UIDVALIDITY \(uidValidity)") { db in
            try MessageLocationRecord
                .filter(MessageLocationRecord.Columns.mailbox == mailbox)
                .filter(MessageLocationRecord.Columns.uidValidity == Int64(uidValidity))
                .filter(MessageLocationRecord.Columns.movedAt == nil)
                .order(MessageLocationRecord.Columns.uid)
                .fetchAll(db)
                .map { PendingMove(location: $0.location, destination: $0.destination) }
        }
    }

    /// Marks a move as done (or moot, when the message was already gone). Completing a move
    /// that is already complete, or a location never recorded, changes nothing.
    public func completeMove(_ location: ServerLocation, at date: Date) async throws {
        try await write("complete the move of \(Self.describe(location))") { db in
            _ = try MessageLocationRecord
                .filter(Self.locationKey(location))
                .filter(MessageLocationRecord.Columns.movedAt == nil)
                .updateAll(db, MessageLocationRecord.Columns.movedAt.set(to: date))
        }
    }

    private static func locationKey(_ location: ServerLocation) -> SQLExpression {
        MessageLocationRecord.Columns.mailbox == location.mailbox
            && MessageLocationRecord.Columns.uidValidity == Int64(location.uidValidity)
            && MessageLocationRecord.Columns.uid == Int64(location.uid)
    }

    /// `INBOX UIDVALIDITY 7 UID 42`.
    static func describe(_ location: ServerLocation) -> String {
        "\(location.mailbox) UIDVALIDITY \(location.uidValidity) UID \(location.uid)"
    }
}
