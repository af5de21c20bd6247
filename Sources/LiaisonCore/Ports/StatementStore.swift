import Foundation

/// How far intake has read a mailbox: the UIDVALIDITY and the highest UID handled under it.
public struct MailboxCursor: Sendable, Equatable {
    /// The mailbox name.
    public var mailbox: String
    /// The UIDVALIDITY the UIDs belong to.
    public var uidValidity: UInt32
    /// The highest UID committed (processed, quarantined or recognised as a duplicate).
    public var lastUID: UInt32

    /// Creates a cursor.
    public init(mailbox: String, uidValidity: UInt32, lastUID: UInt32) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.lastUID = lastUID
    }
}

/// Where one fetched message sits on the server, and where it must be moved once committed.
public struct ServerLocation: Sendable, Equatable, Hashable {
    /// The mailbox it was read from.
    public var mailbox: String
    /// The mailbox's UIDVALIDITY when it was read.
    public var uidValidity: UInt32
    /// The message's UID.
    public var uid: UInt32

    /// Creates a location.
    public init(mailbox: String, uidValidity: UInt32, uid: UInt32) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.uid = uid
    }
}

/// A server-side move that was decided in a committed transaction but not yet confirmed done.
public struct PendingMove: Sendable, Equatable {
    /// The message to move.
    public var location: ServerLocation
    /// The folder to move it to.
    public var destination: String

    /// Creates a pending move.
    public init(location: ServerLocation, destination: String) {
        self.location = location
        self.destination = destination
    }
}

/// An entry of a statement's history.
public struct StatementEvent: Sendable, Equatable {
    /// What happened, e.g. `received`, `routed`, `acknowledged`, `triage`, `mail-sent`.
    public var kind: String
    /// A one-line human description.
    public var detail: String
    /// When it happened.
    public var at: Date

    /// Creates an event.
    public init(kind: String, detail: String, at: Date) {
        self.kind = kind
        self.detail = detail
        self.at = at
    }
}

/// A statement as it is recorded.
public struct RecordedStatement: Sendable, Equatable {
    /// Its reference number.
    public var reference: StatementReference
    /// The extracted fields.
    public var statement: Statement
    /// Whether it was routed or waits for triage.
    public var state: StatementState
    /// Where its copy was sent.
    public var routing: RoutingDecision
    /// When it was recorded.
    public var recordedAt: Date
    /// The Message-ID of the mail it came in, if it had one.
    public var messageID: String?
    /// The sender of the mail it came in (`From`).
    public var sender: Contact?

    /// Creates a record.
    public init(
        reference: StatementReference,
        statement: Statement,
        state: StatementState,
        routing: RoutingDecision,
        recordedAt: Date,
        messageID: String?,
        sender: Contact?
    ) {
        self.reference = reference
        self.statement = statement
        self.state = state
        self.routing = routing
        self.recordedAt = recordedAt
        self.messageID = messageID
        self.sender = sender
    }
}

/// What became of a received message.
public enum ReceivedDisposition: Sendable, Equatable {
    /// It carried a statement, recorded under this reference.
    case statement(StatementReference)
    /// It could not be handled as a statement and was quarantined for this reason.
    case quarantined(reason: String)
    /// It was a delivery or disposition report (DSN, MDN, ARF, bounce) about this statement's mail.
    case report(StatementReference)
    /// It was an engagement manager's request, recorded as this invitation to comment.
    case invitation(StatementReference)
}

/// A change to an existing statement that a received message (a reply command) brings.
public enum StatementChange: Sendable, Equatable {
    /// The statement leaves "action required" for this reason (e.g. "action taken, said by …").
    case close(reason: String)
    /// The statement's deadline moves to this date.
    case extend(deadline: CalendarDate)
}

/// Everything one received message changes, committed in one transaction.
public struct IntakeRecord: Sendable, Equatable {
    /// Where the message was read.
    public var location: ServerLocation
    /// The exact bytes received.
    public var raw: [UInt8]
    /// SHA-256 of `raw`, lowercase hex: how a message is recognised again after a UIDVALIDITY change.
    public var sha256: String
    /// The message's Message-ID header, if any.
    public var messageID: String?
    /// When it was received.
    public var receivedAt: Date
    /// What became of it.
    public var disposition: ReceivedDisposition
    /// The statement recorded from it, if any.
    public var statement: RecordedStatement?
    /// The history entries to add to the statement.
    public var events: [StatementEvent]
    /// The messages to put in the outbox.
    public var outgoing: [OutgoingMessage]
    /// The folder the message moves to on the server once this record is committed.
    public var destination: String
    /// A change to the statement of `disposition` (a reply command), applied in the same transaction.
    public var change: StatementChange?
    /// Earlier statements the new one answers: each is linked and leaves "action required".
    public var answers: [StatementReference]
    /// Recipients of sent mail that a delivery report says failed for good: marked
    /// `permanent-failure` in the outbox in the same transaction.
    public var bouncedRecipients: [BouncedRecipient]
    /// The invitation to comment recorded from the message (disposition ``ReceivedDisposition/invitation(_:)``).
    public var invitation: InvitationRecord? = nil
    /// The invitation the recorded statement answers (a community's reply), linked in the same transaction.
    public var invitationReply: InvitationReply? = nil
    /// A change to an outgoing statement (submitted, approved), applied in the same transaction.
    public var outgoingStatement: OutgoingStatementChange? = nil

    /// Creates a record.
    public init(
        location: ServerLocation,
        raw: [UInt8],
        sha256: String,
        messageID: String?,
        receivedAt: Date,
        disposition: ReceivedDisposition,
        statement: RecordedStatement?,
        events: [StatementEvent],
        outgoing: [OutgoingMessage],
        destination: String,
        change: StatementChange? = nil,
        answers: [StatementReference] = [],
        bouncedRecipients: [BouncedRecipient] = []
    ) {
        self.location = location
        self.raw = raw
        self.sha256 = sha256
        self.messageID = messageID
        self.receivedAt = receivedAt
        self.disposition = disposition
        self.statement = statement
        self.events = events
        self.outgoing = outgoing
        self.destination = destination
        self.change = change
        self.answers = answers
        self.bouncedRecipients = bouncedRecipients
    }
}

/// A line of the statement list (`liaison list`).
public struct StatementSummary: Sendable, Equatable {
    /// The reference number.
    public var reference: StatementReference
    /// The title, if one was found.
    public var title: String?
    /// The sending organization, if known.
    public var fromOrganization: String?
    /// The groups it was routed to.
    public var groups: [String]
    /// The purpose, if found.
    public var purpose: Purpose?
    /// The deadline, if any.
    public var deadline: CalendarDate?
    /// Routed or in triage.
    public var state: StatementState
    /// When it was recorded.
    public var recordedAt: Date

    /// Creates a summary.
    public init(
        reference: StatementReference,
        title: String?,
        fromOrganization: String?,
        groups: [String],
        purpose: Purpose?,
        deadline: CalendarDate?,
        state: StatementState,
        recordedAt: Date
    ) {
        self.reference = reference
        self.title = title
        self.fromOrganization = fromOrganization
        self.groups = groups
        self.purpose = purpose
        self.deadline = deadline
        self.state = state
        self.recordedAt = recordedAt
    }
}

/// The durable state of Liaison: mailbox cursors, received messages, statements, the outbox.
///
/// Every method is a complete transaction; ``commit(_:)`` in particular stores a message, its
/// statement, events and outgoing mail and advances the cursor all at once, before anything is
/// sent or moved on the server.
public protocol StatementStore: Sendable {
    /// The cursor of a mailbox, or `nil` before its first poll.
    func cursor(mailbox: String) async throws -> MailboxCursor?

    /// Stores a cursor (used when a mailbox is first seen or its UIDVALIDITY changed).
    func saveCursor(_ cursor: MailboxCursor) async throws

    /// Whether a message with these exact bytes (by SHA-256) was already committed.
    func containsMessage(sha256: String) async throws -> Bool

    /// Allocates the next reference number of a year; numbers are never reused.
    func nextReference(prefix: String, year: Int) async throws -> StatementReference

    /// Commits everything one received message changes, and advances the cursor to its UID.
    func commit(_ record: IntakeRecord) async throws

    /// Records that a message already committed under other UIDs was seen again at `location`,
    /// advances the cursor, and schedules its move to `destination`.
    func commitDuplicate(location: ServerLocation, sha256: String, destination: String, at: Date) async throws

    /// The committed moves not yet confirmed done for a mailbox under a UIDVALIDITY.
    func pendingMoves(mailbox: String, uidValidity: UInt32) async throws -> [PendingMove]

    /// Marks a move as done (or as moot, when the message was already gone).
    func completeMove(_ location: ServerLocation, at: Date) async throws

    /// Outbox entries whose next attempt is due at `now`, oldest first.
    func dueOutgoing(at now: Date) async throws -> [OutboxEntry]

    /// Records the results of an attempt and when to try the remaining recipients again
    /// (`nil`: nothing left to try). Adds a `mail-sent`/`mail-failed` event to the statement.
    /// When `notice` is given (the delivery-failure notice to the liaison manager), it is stored
    /// in the outbox in the same transaction: a crash can never record the failure but lose it.
    func recordAttempt(outboxID: Int64, results: [RecipientResult], at: Date, nextAttempt: Date?, notice: OutgoingMessage?) async throws

    /// The recorded statements, newest first.
    func statements() async throws -> [StatementSummary]

    /// How many acknowledgements were stored for `address` since `date`.
    func acknowledgementCount(to address: String, since date: Date) async throws -> Int

    /// Stores one more outgoing message (a notice), due at once.
    func enqueue(_ message: OutgoingMessage, at date: Date) async throws

    /// The statement recorded under `reference`, or `nil`.
    func statement(reference: StatementReference) async throws -> RecordedStatement?

    /// The recorded statements a new one answers, found by its clues: identifiers of other bodies,
    /// titles, and Message-IDs of the statements' own mail or of the mail Liaison sent about them.
    func statements(answering clues: [ResponseReference]) async throws -> [StatementReference]

    /// What a delivery report naming `messageID` is about: a message in the outbox, else a
    /// statement whose received mail (or a reply attached to it) had that Message-ID; `nil` if none.
    func reportTarget(messageID: String) async throws -> ReportTarget?

    /// Whether the statement was closed (left "action required"); `false` for an unknown reference.
    func isClosed(_ reference: StatementReference) async throws -> Bool

    /// The lifecycle of a statement the IETF sends (submitted at `service.submission_address`), or `nil`.
    func outgoingStatement(reference: StatementReference) async throws -> OutgoingStatementRecord?

    /// The outgoing statement whose approval request had this Message-ID, or `nil`.
    func outgoingStatement(approvalMessageID: String) async throws -> OutgoingStatementRecord?

    /// The exact bytes of a committed message (by SHA-256), or `nil`.
    func receivedMessage(sha256: String) async throws -> [UInt8]?
}

extension StatementStore {
    /// Records the results of an attempt with no notice to store (see
    /// ``recordAttempt(outboxID:results:at:nextAttempt:notice:)``).
    public func recordAttempt(outboxID: Int64, results: [RecipientResult], at: Date, nextAttempt: Date?) async throws {
        try await recordAttempt(outboxID: outboxID, results: results, at: at, nextAttempt: nextAttempt, notice: nil)
    }
}
