import Foundation

/// Why Liaison sends a message.
public enum OutgoingKind: String, Sendable, Codable, CaseIterable {
    /// A statement's copy to its routed recipients.
    case forward
    /// The thank-you to the statement's sender.
    case acknowledgement
    /// A notice to the liaison manager about a quarantined message.
    case quarantineNotice = "quarantine-notice"
    /// A deadline reminder.
    case reminder
    /// A notice to the liaison manager that a message could not be delivered.
    case deliveryFailure = "delivery-failure"
    /// The weekly digest of open statements to a liaison manager.
    case digest
    /// A notice that a statement was closed (action taken, answered), to those it reminded.
    case closedNotice = "closed-notice"
    /// The courteous notice to a peer that its statement's deadline was extended (RFC 4053).
    case extensionNotice = "extension-notice"
    /// An invitation to comment, to one community (docs/engagement.md).
    case invitation
    /// The problems of an invitation request, back to the engagement manager.
    case invitationProblems = "invitation-problems"
    /// A reminder to an engagement manager that an invitation closes soon.
    case invitationReminder = "invitation-reminder"
    /// The summary of the replies to an invitation, to the working groups.
    case invitationSummary = "invitation-summary"
    /// The list of problems of a draft statement, back to its submitter (nothing was sent).
    case draftProblems = "draft-problems"
    /// The request to an outgoing statement's approvers.
    case approvalRequest = "approval-request"
    /// A statement the IETF sends, to the peer organization.
    case outgoingStatement = "outgoing-statement"
}

/// A rendered outgoing message, stored in the outbox before any attempt to send it.
///
/// A retry sends exactly these bytes again, so the Message-ID never changes.
public struct OutgoingMessage: Sendable, Equatable {
    /// The Message-ID, without angle brackets.
    public var messageID: String
    /// Why it is sent.
    public var kind: OutgoingKind
    /// The statement it is about, if any.
    public var statement: StatementReference?
    /// The SMTP envelope.
    public var envelope: MailEnvelope
    /// The complete message, CRLF line endings.
    public var raw: [UInt8]

    /// Creates an outgoing message.
    public init(messageID: String, kind: OutgoingKind, statement: StatementReference?, envelope: MailEnvelope, raw: [UInt8]) {
        self.messageID = messageID
        self.kind = kind
        self.statement = statement
        self.envelope = envelope
        self.raw = raw
    }
}

/// An outbox entry that still has recipients to try.
public struct OutboxEntry: Sendable, Equatable {
    /// The store's identifier of the entry.
    public var id: Int64
    /// The stored message.
    public var message: OutgoingMessage
    /// The recipients not yet delivered nor permanently failed.
    public var pendingRecipients: [String]
    /// How many attempts were made so far.
    public var attempts: Int
    /// When the entry was created (stored).
    public var createdAt: Date
    /// When an operator last made it due again (`liaison outbox retry`), if ever.
    public var retriedAt: Date?

    /// Creates an entry.
    public init(
        id: Int64, message: OutgoingMessage, pendingRecipients: [String], attempts: Int, createdAt: Date, retriedAt: Date? = nil
    ) {
        self.id = id
        self.message = message
        self.pendingRecipients = pendingRecipients
        self.attempts = attempts
        self.createdAt = createdAt
        self.retriedAt = retriedAt
    }

    /// Where the give-up time counts from: storing, or the last retry by hand, so that a retried
    /// entry gets the full retry period again instead of being given up after one attempt.
    public var retryWindowStart: Date { max(createdAt, retriedAt ?? createdAt) }
}
