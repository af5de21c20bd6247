import Foundation

/// What a delivery report was found to be about.
public enum ReportTarget: Sendable, Equatable {
    /// A message from Liaison's outbox (a forward, acknowledgement, reminder or notice), found by
    /// its Message-ID, with its recipients.
    case sent(SentMessage)
    /// A recorded statement, found by `clue` (the Message-ID of the mail it came in, or its
    /// reference in the returned subject).
    case statement(StatementReference, clue: String)

    /// The statement the report is attached to, if any.
    public var statement: StatementReference? {
        switch self {
        case .sent(let sent): sent.message.statement
        case .statement(let reference, _): reference
        }
    }
}

/// A message Liaison sent, as a delivery report finds it in the outbox.
public struct SentMessage: Sendable, Equatable {
    /// The stored message; its envelope lists every recipient.
    public var message: OutgoingMessage
    /// The recipients already recorded as failed for good (lowercased), so a report about them
    /// changes nothing and sends no second notice.
    public var failedRecipients: Set<String>

    /// Creates a sent message.
    public init(message: OutgoingMessage, failedRecipients: Set<String>) {
        self.message = message
        self.failedRecipients = failedRecipients
    }
}

/// A recipient of a sent message that a delivery report says failed for good: the store marks
/// its outbox row `permanent-failure` in the intake transaction.
public struct BouncedRecipient: Sendable, Equatable {
    /// The Message-ID of the outgoing message.
    public var messageID: String
    /// The recipient's address, as in the outbox.
    public var address: String
    /// The SMTP reply code of the report's diagnostic, if it had one.
    public var code: Int?
    /// What the report said, for the record.
    public var detail: String

    /// Creates a bounced recipient.
    public init(messageID: String, address: String, code: Int?, detail: String) {
        self.messageID = messageID
        self.address = address
        self.code = code
        self.detail = detail
    }
}
