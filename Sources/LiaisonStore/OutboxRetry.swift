import Foundation
public import LiaisonCore

/// What ``SQLiteStore/retryOutgoing(ids:at:by:)`` did to one outbox entry.
public struct OutboxRetry: Sendable, Equatable {
    /// The entry's identifier.
    public var id: Int64
    /// Its Message-ID, without angle brackets (unchanged by the retry).
    public var messageID: String
    /// `OutgoingKind` raw value, e.g. `forward`.
    public var kind: String
    /// The statement it is about, if any.
    public var statement: StatementReference?
    /// Its state before the retry.
    public var previousState: OutgoingRecord.State
    /// The recipients now due, in envelope order; empty when every recipient was already
    /// delivered (nothing to retry).
    public var recipients: [String]

    /// Creates a result.
    public init(
        id: Int64, messageID: String, kind: String, statement: StatementReference?, previousState: OutgoingRecord.State,
        recipients: [String]
    ) {
        self.id = id
        self.messageID = messageID
        self.kind = kind
        self.statement = statement
        self.previousState = previousState
        self.recipients = recipients
    }
}
