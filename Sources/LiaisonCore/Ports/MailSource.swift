/// The state of an IMAP mailbox that matters for incremental intake.
public struct MailboxStatus: Sendable, Equatable {
    /// The mailbox's UIDVALIDITY; UIDs are only comparable under the same value.
    public var uidValidity: UInt32
    /// The UID the server will give the next message that arrives.
    public var uidNext: UInt32
    /// The number of messages in the mailbox.
    public var messages: Int

    /// Creates a status from the values a `STATUS` command reported.
    public init(uidValidity: UInt32, uidNext: UInt32, messages: Int) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messages = messages
    }
}

/// Where incoming statements come from: one mailbox of an IMAP account.
///
/// Adapters throw ``MailSourceError`` for the conditions the intake pipeline reacts to, and any
/// other error for transient trouble (the cycle is abandoned and retried later).
public protocol MailSource: Sendable {
    /// The name of the mailbox polled, e.g. `INBOX`.
    var mailbox: String { get }

    /// Reads UIDVALIDITY, UIDNEXT and the message count without changing the selection.
    func status() async throws -> MailboxStatus

    /// Returns the UIDs greater than `uid`, ascending; the cost depends on the new messages only.
    func uids(after uid: UInt32) async throws -> [UInt32]

    /// Returns the exact raw bytes of one message, checked against the size the server reports.
    ///
    /// - Throws: ``MailSourceError/uidValidityChanged(mailbox:expected:)`` when the mailbox was
    ///   re-created, ``MailSourceError/messageNotFound(uid:)`` when the UID no longer exists.
    func fetch(uid: UInt32, uidValidity: UInt32) async throws -> [UInt8]

    /// Moves one message into `folder`, creating the folder if needed.
    ///
    /// - Throws: ``MailSourceError/messageNotFound(uid:)`` when the UID no longer exists.
    func move(uid: UInt32, to folder: String) async throws
}

/// The mail-source failures the intake pipeline handles specifically.
public enum MailSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The mailbox's UIDVALIDITY is not the one the UIDs were read under.
    case uidValidityChanged(mailbox: String, expected: UInt32)
    /// The message with this UID does not exist (any more).
    case messageNotFound(uid: UInt32)
    /// The server sent a different number of bytes than its RFC822.SIZE said.
    case sizeMismatch(uid: UInt32, expected: Int, received: Int)

    public var description: String {
        switch self {
        case .uidValidityChanged(let mailbox, let expected):
            "UIDVALIDITY of mailbox \(mailbox) is no longer \(expected)"
        case .messageNotFound(let uid):
            "message UID \(uid) not found"
        case .sizeMismatch(let uid, let expected, let received):
            "message UID \(uid): server announced \(expected) bytes, received \(received)"
        }
    }
}
