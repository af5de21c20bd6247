/// What one poll of the intake mailbox did, for logs, metrics and the CLI.
public struct PollReport: Sendable, Equatable {
    /// What happened to one message.
    public enum Outcome: Sendable, Equatable {
        /// A statement was recorded under this reference, in this state.
        case recorded(uid: UInt32, reference: StatementReference, state: StatementState)
        /// The message was quarantined.
        case quarantined(uid: UInt32, reason: String)
        /// The message had been committed before (same bytes) and was only moved.
        case duplicate(uid: UInt32)
        /// The message disappeared from the server before it could be read.
        case vanished(uid: UInt32)
        /// The message was a reply about a recorded statement (a command, or just mail about it).
        case reply(uid: UInt32, reference: StatementReference)
        /// The message was a delivery or disposition report (DSN, MDN, ARF, bounce), attached to
        /// this statement; `summary` says what it reported.
        case report(uid: UInt32, reference: StatementReference, summary: String)
    }

    /// The mailbox polled.
    public var mailbox: String
    /// Its UIDVALIDITY during the poll.
    public var uidValidity: UInt32 = 0
    /// Set when the UIDVALIDITY differed from the stored one (the mailbox was re-created).
    public var uidValidityChanged = false
    /// The UIDs found new.
    public var newUIDs: [UInt32] = []
    /// One outcome per message handled, in order.
    public var outcomes: [Outcome] = []
    /// Messages moved on the server during the poll (including earlier pending moves).
    public var moved = 0
    /// Problems that did not stop the poll, one line each (e.g. a move to retry later).
    public var warnings: [String] = []

    /// Creates an empty report.
    public init(mailbox: String) {
        self.mailbox = mailbox
    }
}
