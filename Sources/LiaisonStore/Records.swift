import Foundation
import GRDB
import LiaisonCore

// One record type per table, as GRDB's "Recommended Practices for Designing Record Types"
// advise: plain Codable structs whose properties are the columns (snake_case through
// `CodingKeys`), with `FetchableRecord` to read and `PersistableRecord` /
// `MutablePersistableRecord` to write. They stay internal: the rest of Liaison sees only the
// domain types of LiaisonCore. Dates are stored by GRDB as UTC text `yyyy-MM-dd HH:mm:ss.SSS`
// (millisecond precision), which sorts and compares correctly as text.

/// A row of `mailbox_cursor`: how far intake has read one mailbox.
struct MailboxCursorRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "mailbox_cursor"

    /// The mailbox name (primary key).
    var mailbox: String
    /// The UIDVALIDITY `lastUID` belongs to.
    var uidValidity: Int64
    /// The highest UID committed under `uidValidity`.
    var lastUID: Int64
    /// When the cursor last changed.
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case mailbox
        case uidValidity = "uid_validity"
        case lastUID = "last_uid"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let mailbox = Column(CodingKeys.mailbox)
    }

    /// The domain value.
    var cursor: MailboxCursor {
        MailboxCursor(mailbox: mailbox, uidValidity: UInt32(truncatingIfNeeded: uidValidity), lastUID: UInt32(truncatingIfNeeded: lastUID))
    }
}

/// A row of `received_message`: one committed message and its exact bytes.
struct ReceivedMessageRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "received_message"

    /// What became of a received message, as stored in `disposition`.
    enum Disposition: String, Codable {
        case statement
        case quarantined
        /// A delivery, disposition or feedback report about a statement's mail (schema v4).
        case report
        /// An engagement manager's request, recorded as an invitation to comment (schema v6-engagement).
        case invitation
    }

    /// Auto-incremented identifier; `nil` before insertion.
    var id: Int64?
    /// SHA-256 of `raw`, lowercase hex (unique).
    var sha256: String
    /// The Message-ID header, if any.
    var messageID: String?
    /// The bytes as received.
    var raw: Data
    /// `raw.count`.
    var size: Int
    /// When the message was received.
    var receivedAt: Date
    /// Statement, quarantine or report.
    var disposition: Disposition
    /// Why it was quarantined (set exactly when `disposition` is `quarantined`).
    var quarantineReason: String?
    /// The statement it carried (or was added to), if any.
    var statementReference: String?

    enum CodingKeys: String, CodingKey {
        case id
        case sha256
        case messageID = "message_id"
        case raw
        case size
        case receivedAt = "received_at"
        case disposition
        case quarantineReason = "quarantine_reason"
        case statementReference = "statement_reference"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let sha256 = Column(CodingKeys.sha256)
        static let messageID = Column(CodingKeys.messageID)
        static let size = Column(CodingKeys.size)
        static let receivedAt = Column(CodingKeys.receivedAt)
        static let disposition = Column(CodingKeys.disposition)
        static let quarantineReason = Column(CodingKeys.quarantineReason)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `message_location`: one place a message was seen on the server, and its move.
struct MessageLocationRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "message_location"

    /// Auto-incremented identifier; `nil` before insertion.
    var id: Int64?
    /// The `received_message` seen here.
    var receivedMessageID: Int64
    /// The mailbox it was read from.
    var mailbox: String
    /// The mailbox's UIDVALIDITY when it was read.
    var uidValidity: Int64
    /// Its UID there.
    var uid: Int64
    /// The folder it must be moved to.
    var destination: String
    /// When this location was recorded.
    var recordedAt: Date
    /// When the move was confirmed done (or moot); `nil` while it is pending.
    var movedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case receivedMessageID = "received_message_id"
        case mailbox
        case uidValidity = "uid_validity"
        case uid
        case destination
        case recordedAt = "recorded_at"
        case movedAt = "moved_at"
    }

    enum Columns {
        static let receivedMessageID = Column(CodingKeys.receivedMessageID)
        static let mailbox = Column(CodingKeys.mailbox)
        static let uidValidity = Column(CodingKeys.uidValidity)
        static let uid = Column(CodingKeys.uid)
        static let movedAt = Column(CodingKeys.movedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The domain value of the location.
    var location: ServerLocation {
        ServerLocation(mailbox: mailbox, uidValidity: UInt32(truncatingIfNeeded: uidValidity), uid: UInt32(truncatingIfNeeded: uid))
    }
}

/// A row of `reference_counter`: the last number handed out for a prefix and year.
struct ReferenceCounterRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "reference_counter"

    /// The reference prefix, e.g. `LS`.
    var prefix: String
    /// The year.
    var year: Int
    /// The last number allocated; the next one is `lastNumber + 1`.
    var lastNumber: Int

    enum CodingKeys: String, CodingKey {
        case prefix
        case year
        case lastNumber = "last_number"
    }
}

/// A row of `statement`: a recorded statement.
///
/// `statement_json` and `routing_json` hold the complete domain values; the other columns
/// repeat what lists and queries need so that they can be read (and indexed) without JSON.
struct StatementRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "statement"

    /// The reference as text, `LS-2026-0007` (primary key).
    var reference: String
    /// The reference's year.
    var year: Int
    /// The reference's number within the year.
    var number: Int
    /// The title, if found.
    var title: String?
    /// The sending organization, if known.
    var fromOrganization: String?
    /// `Purpose` raw value, if found.
    var purpose: String?
    /// The deadline, `YYYY-MM-DD`, if any.
    var deadline: String?
    /// `StatementState` raw value.
    var state: String
    /// When it was recorded.
    var recordedAt: Date
    /// The Message-ID of the mail it came in.
    var messageID: String?
    /// The display name of the mail's `From`.
    var senderName: String?
    /// The address of the mail's `From`.
    var senderAddress: String?
    /// `StatementLayout` raw value.
    var layout: String
    /// The routed groups as a JSON array of strings.
    var groups: String
    /// The `Statement` as JSON.
    var statementJSON: String
    /// The `RoutingDecision` as JSON.
    var routingJSON: String

    enum CodingKeys: String, CodingKey {
        case reference
        case year
        case number
        case title
        case fromOrganization = "from_organization"
        case purpose
        case deadline
        case state
        case recordedAt = "recorded_at"
        case messageID = "message_id"
        case senderName = "sender_name"
        case senderAddress = "sender_address"
        case layout
        case groups
        case statementJSON = "statement_json"
        case routingJSON = "routing_json"
    }

    enum Columns {
        static let reference = Column(CodingKeys.reference)
        static let year = Column(CodingKeys.year)
        static let number = Column(CodingKeys.number)
        static let recordedAt = Column(CodingKeys.recordedAt)
    }

    /// The row for a recorded statement.
    init(_ recorded: RecordedStatement) throws {
        reference = recorded.reference.description
        year = recorded.reference.year
        number = recorded.reference.number
        title = recorded.statement.title
        fromOrganization = recorded.statement.fromOrganization
        purpose = recorded.statement.purpose?.rawValue
        deadline = recorded.statement.deadline?.description
        state = recorded.state.rawValue
        recordedAt = recorded.recordedAt
        messageID = recorded.messageID
        senderName = recorded.sender?.name
        senderAddress = recorded.sender?.address
        layout = recorded.statement.layout.rawValue
        groups = try JSONColumn.encode(recorded.routing.groups)
        statementJSON = try JSONColumn.encode(recorded.statement)
        routingJSON = try JSONColumn.encode(recorded.routing)
    }

    /// The domain value; throws when a column cannot be decoded.
    func recorded() throws -> RecordedStatement {
        guard let parsed = StatementReference(reference) else {
            throw JSONColumn.Failure("statement.reference \"\(reference)\" is not a reference")
        }
        guard let parsedState = StatementState(rawValue: state) else {
            throw JSONColumn.Failure("statement \(reference): unknown state \"\(state)\"")
        }
        return RecordedStatement(
            reference: parsed,
            statement: try JSONColumn.decode(Statement.self, from: statementJSON, what: "statement \(reference) statement_json"),
            state: parsedState,
            routing: try JSONColumn.decode(RoutingDecision.self, from: routingJSON, what: "statement \(reference) routing_json"),
            recordedAt: recordedAt,
            messageID: messageID,
            sender: senderAddress.map { Contact(name: senderName, address: $0) }
        )
    }
}

/// A row of `statement_event`: one entry of a statement's history.
struct StatementEventRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "statement_event"

    /// Auto-incremented identifier; `nil` before insertion.
    var id: Int64?
    /// The statement the event belongs to.
    var statementReference: String
    /// What happened, e.g. `received`, `mail-sent`.
    var kind: String
    /// A one-line description.
    var detail: String
    /// When it happened.
    var at: Date

    enum CodingKeys: String, CodingKey {
        case id
        case statementReference = "statement_reference"
        case kind
        case detail
        case at
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let statementReference = Column(CodingKeys.statementReference)
        static let at = Column(CodingKeys.at)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The domain value.
    var event: StatementEvent {
        StatementEvent(kind: kind, detail: detail, at: at)
    }
}

/// A row of `outgoing_message`: one message of the outbox.
struct OutgoingMessageRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outgoing_message"

    /// Where an outbox entry stands, as stored in `state`.
    enum State: String, Codable, DatabaseValueConvertible {
        /// Some recipients are still to be tried.
        case pending
        /// Every recipient was delivered.
        case done
        /// Every recipient is settled and at least one failed permanently (or was given up).
        case failed
    }

    /// Auto-incremented identifier; `nil` before insertion.
    var id: Int64?
    /// The Message-ID, without angle brackets (unique).
    var messageID: String
    /// `OutgoingKind` raw value.
    var kind: String
    /// The statement the message is about, if any.
    var statementReference: String?
    /// The SMTP reverse path; empty for the null sender.
    var envelopeSender: String
    /// The complete message.
    var raw: Data
    /// When it was put in the outbox.
    var createdAt: Date
    /// How many attempts were made.
    var attempts: Int
    /// When the last attempt was made.
    var lastAttemptAt: Date?
    /// When the next attempt is due; `nil` once settled.
    var nextAttemptAt: Date?
    /// Pending, done or failed.
    var state: State
    /// When it was last made due again by hand; the give-up window starts here (schema v4).
    var retriedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case messageID = "message_id"
        case kind
        case statementReference = "statement_reference"
        case envelopeSender = "envelope_sender"
        case raw
        case createdAt = "created_at"
        case attempts
        case lastAttemptAt = "last_attempt_at"
        case nextAttemptAt = "next_attempt_at"
        case state
        case retriedAt = "retried_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let messageID = Column(CodingKeys.messageID)
        static let statementReference = Column(CodingKeys.statementReference)
        static let createdAt = Column(CodingKeys.createdAt)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        static let state = Column(CodingKeys.state)
    }

    /// `retried_at` is written only once set, so that inserting a row works on every schema
    /// that has an outbox (the migration tests write through v1-v3 before migrating).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(statementReference, forKey: .statementReference)
        try container.encode(envelopeSender, forKey: .envelopeSender)
        try container.encode(raw, forKey: .raw)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeIfPresent(lastAttemptAt, forKey: .lastAttemptAt)
        try container.encodeIfPresent(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(state, forKey: .state)
        if let retriedAt { try container.encode(retriedAt, forKey: .retriedAt) }
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The domain message, with the envelope recipients given in order.
    func message(recipients: [String]) throws -> OutgoingMessage {
        guard let parsedKind = OutgoingKind(rawValue: kind) else {
            throw JSONColumn.Failure("outgoing message <\(messageID)>: unknown kind \"\(kind)\"")
        }
        var reference: StatementReference?
        if let statementReference {
            guard let parsed = StatementReference(statementReference) else {
                throw JSONColumn.Failure("outgoing message <\(messageID)>: bad reference \"\(statementReference)\"")
            }
            reference = parsed
        }
        return OutgoingMessage(
            messageID: messageID,
            kind: parsedKind,
            statement: reference,
            envelope: MailEnvelope(sender: envelopeSender, recipients: recipients),
            raw: [UInt8](raw)
        )
    }
}

/// A row of `outgoing_recipient`: one envelope recipient of an outgoing message.
struct OutgoingRecipientRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outgoing_recipient"

    /// Auto-incremented identifier; `nil` before insertion. Gives the envelope order.
    var id: Int64?
    /// The `outgoing_message` this recipient belongs to.
    var outgoingMessageID: Int64
    /// The forward path.
    var address: String
    /// Pending, delivered, temporary-failure or permanent-failure.
    var state: OutgoingRecipientStatus.State
    /// The last SMTP reply code (0: no reply), `nil` before the first attempt.
    var code: Int?
    /// The last reply text or local error, `nil` before the first attempt.
    var detail: String?
    /// When the state last changed.
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case outgoingMessageID = "outgoing_message_id"
        case address
        case state
        case code
        case detail
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let outgoingMessageID = Column(CodingKeys.outgoingMessageID)
        static let state = Column(CodingKeys.state)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Whether the recipient is still to be tried.
    var isOpen: Bool { state == .pending || state == .temporaryFailure }

    /// The public status.
    var status: OutgoingRecipientStatus {
        OutgoingRecipientStatus(address: address, state: state, code: code, detail: detail, updatedAt: updatedAt)
    }
}

extension OutgoingRecipientStatus.State: Codable, DatabaseValueConvertible {}

/// JSON encoding of the columns that hold domain values.
enum JSONColumn {
    /// A column that cannot be decoded; the message names the row, never its bytes.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw Failure("\(what): \(describe(error))")
        }
    }

    /// A short account of a decoding error: the coding path and the decoder's explanation.
    static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return "cannot decode"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    }
}
