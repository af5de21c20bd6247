import Foundation
import LiaisonCore

/// Where one envelope recipient of an outgoing message stands.
public struct OutgoingRecipientStatus: Sendable, Equatable {
    /// The delivery state of a recipient, as stored in `outgoing_recipient.state`.
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Not tried yet.
        case pending
        /// The server accepted it (2xx).
        case delivered
        /// The last attempt failed temporarily (4xx, no connection); it will be tried again.
        case temporaryFailure = "temporary-failure"
        /// Refused (5xx) or given up after the last retry; never tried again.
        case permanentFailure = "permanent-failure"
    }

    /// The recipient's address (forward path).
    public var address: String
    /// Its state.
    public var state: State
    /// The last SMTP reply code (0 when no reply was received), `nil` before any attempt.
    public var code: Int?
    /// The last reply text or local error, `nil` before any attempt.
    public var detail: String?
    /// When the state last changed.
    public var updatedAt: Date

    /// Creates a status.
    public init(address: String, state: State, code: Int?, detail: String?, updatedAt: Date) {
        self.address = address
        self.state = state
        self.code = code
        self.detail = detail
        self.updatedAt = updatedAt
    }
}

/// An outgoing message as the outbox holds it, with the state of each recipient.
///
/// Returned by ``SQLiteStore/outgoing(reference:)`` for `liaison show` and tests.
public struct OutgoingRecord: Sendable, Equatable {
    /// Where an outbox entry stands, as stored in `outgoing_message.state`.
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Some recipients are still to be tried.
        case pending
        /// Every recipient was delivered.
        case done
        /// Every recipient is settled and at least one failed permanently or was given up.
        case failed
    }

    /// The store's identifier of the entry (the `outboxID` of
    /// ``SQLiteStore/recordAttempt(outboxID:results:at:nextAttempt:)``).
    public var id: Int64
    /// The stored message; its envelope lists every recipient in order.
    public var message: OutgoingMessage
    /// Pending, done or failed.
    public var state: State
    /// How many attempts were made.
    public var attempts: Int
    /// When it was put in the outbox.
    public var createdAt: Date
    /// When the last attempt was made, if any.
    public var lastAttemptAt: Date?
    /// When the next attempt is due; `nil` once the entry is settled.
    public var nextAttemptAt: Date?
    /// Each envelope recipient's state, in envelope order.
    public var recipients: [OutgoingRecipientStatus]

    /// Creates a record.
    public init(
        id: Int64,
        message: OutgoingMessage,
        state: State,
        attempts: Int,
        createdAt: Date,
        lastAttemptAt: Date?,
        nextAttemptAt: Date?,
        recipients: [OutgoingRecipientStatus]
    ) {
        self.id = id
        self.message = message
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.lastAttemptAt = lastAttemptAt
        self.nextAttemptAt = nextAttemptAt
        self.recipients = recipients
    }
}

/// A message that intake quarantined, for `liaison quarantine`-style listings.
public struct QuarantinedMessage: Sendable, Equatable {
    /// SHA-256 of the raw message, lowercase hex: how to find it again
    /// (``SQLiteStore/rawMessage(sha256:)``).
    public var sha256: String
    /// Its Message-ID header, if any.
    public var messageID: String?
    /// Why it was quarantined.
    public var reason: String
    /// When it was received.
    public var receivedAt: Date
    /// Its size in bytes.
    public var size: Int

    /// Creates an entry.
    public init(sha256: String, messageID: String?, reason: String, receivedAt: Date, size: Int) {
        self.sha256 = sha256
        self.messageID = messageID
        self.reason = reason
        self.receivedAt = receivedAt
        self.size = size
    }
}

/// The settings in force on the store's write connection, for `liaison status` and tests.
public struct StoreDiagnostics: Sendable, Equatable {
    /// The database file, or `:memory:`.
    public var path: String
    /// `PRAGMA journal_mode`: `wal` for a file database.
    public var journalMode: String
    /// `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. Liaison requires 2.
    public var synchronous: Int
    /// `PRAGMA foreign_keys`.
    public var foreignKeys: Bool
    /// `PRAGMA busy_timeout`, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// The applied migrations, oldest first; the last is the schema version.
    public var appliedMigrations: [String]

    /// Creates diagnostics.
    public init(
        path: String,
        journalMode: String,
        synchronous: Int,
        foreignKeys: Bool,
        busyTimeoutMilliseconds: Int,
        appliedMigrations: [String]
    ) {
        self.path = path
        self.journalMode = journalMode
        self.synchronous = synchronous
        self.foreignKeys = foreignKeys
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.appliedMigrations = appliedMigrations
    }
}
