import LiaisonCore

/// Why the store could not do what it was asked.
///
/// Every case names what the operator needs to act: the file or directory, the operation that
/// failed, and the reference, Message-ID or location involved. No case carries message bytes.
/// The store never crashes on a database problem: SQLite errors are mapped to these cases.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory that should hold the database (or the lock file) does not exist or is not
    /// a directory.
    case directoryMissing(path: String)
    /// The directory or database file cannot be written by this process.
    case notWritable(path: String, reason: String)
    /// SQLite could not open the database file.
    case cannotOpen(path: String, reason: String)
    /// The database was migrated by a newer Liaison: this version does not know its schema.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// A migration failed; the database stays at the previous schema version.
    case migrationFailed(path: String, reason: String)
    /// The disk (or the file system quota) is full; the operation was rolled back.
    case diskFull(path: String, operation: String)
    /// Another connection held the database longer than the busy timeout; rolled back.
    case busy(path: String, operation: String)
    /// SQLite reports the database file as damaged.
    case corrupt(path: String, operation: String, reason: String)
    /// Reading or writing the file failed at the operating-system level (I/O error, read-only
    /// file system, permission).
    case ioFailure(path: String, operation: String, reason: String)
    /// Any other SQLite error; `code` is SQLite's extended result code.
    case database(path: String, operation: String, code: Int32, reason: String)
    /// A stored row could not be turned back into domain values (bad JSON, unknown enum value).
    case corruptData(path: String, operation: String, reason: String)
    /// Another process (or another holder in this process) holds the state directory's lock.
    case alreadyLocked(path: String)
    /// The lock file could not be created or locked.
    case lockFailed(path: String, reason: String)
    /// ``SQLiteStore/commitDuplicate(location:sha256:destination:at:)`` named a message that was
    /// never committed.
    case unknownMessage(sha256: String)
    /// No statement is recorded under this reference (events or outgoing mail point to it).
    case unknownStatement(reference: String)
    /// ``SQLiteStore/recordAttempt(outboxID:results:at:nextAttempt:)`` named no outbox entry.
    case unknownOutboxEntry(id: Int64)
    /// A statement with this reference is already recorded (a reference was used twice).
    case duplicateReference(reference: String)
    /// An outgoing message with this Message-ID is already in the outbox.
    case duplicateMessageID(messageID: String)
    /// The server location is already recorded for a different message (same mailbox,
    /// UIDVALIDITY and UID but other bytes): the server broke the UID rules.
    case locationConflict(mailbox: String, uidValidity: UInt32, uid: UInt32, recordedSHA256: String)
    /// The record handed to ``SQLiteStore/commit(_:)`` contradicts itself; nothing was stored.
    case invalidRecord(reason: String)
    /// A reference prefix or year that cannot form a valid ``StatementReference``.
    case invalidReference(prefix: String, year: Int)

    /// One line for the operator: what failed, where, and what to do when that is clear.
    public var description: String {
        switch self {
        case .directoryMissing(let path):
            "state directory \(path) does not exist or is not a directory; create it first"
        case .notWritable(let path, let reason):
            "\(path) is not writable: \(reason)"
        case .cannotOpen(let path, let reason):
            "cannot open database \(path): \(reason)"
        case .schemaTooNew(let path, let unknown):
            "database \(path) was migrated by a newer Liaison (unknown migrations: \(unknown.joined(separator: ", "))); "
                + "upgrade Liaison instead of running this version"
        case .migrationFailed(let path, let reason):
            "migrating database \(path) failed, nothing changed: \(reason)"
        case .diskFull(let path, let operation):
            "disk full while trying to \(operation) in \(path); nothing was stored"
        case .busy(let path, let operation):
            "database \(path) stayed locked by another connection while trying to \(operation); nothing was stored"
        case .corrupt(let path, let operation, let reason):
            "database \(path) is damaged (while trying to \(operation)): \(reason)"
        case .ioFailure(let path, let operation, let reason):
            "I/O failure on \(path) while trying to \(operation): \(reason)"
        case .database(let path, let operation, let code, let reason):
            "SQLite error \(code) on \(path) while trying to \(operation): \(reason)"
        case .corruptData(let path, let operation, let reason):
            "unreadable data in \(path) while trying to \(operation): \(reason)"
        case .alreadyLocked(let path):
            "\(path) is locked by another Liaison process; only one may use a state directory"
        case .lockFailed(let path, let reason):
            "cannot lock \(path): \(reason)"
        case .unknownMessage(let sha256):
            "no committed message has SHA-256 \(sha256)"
        case .unknownStatement(let reference):
            "no statement is recorded as \(reference)"
        case .unknownOutboxEntry(let id):
            "no outbox entry has id \(id)"
        case .duplicateReference(let reference):
            "a statement is already recorded as \(reference)"
        case .duplicateMessageID(let messageID):
            "an outgoing message with Message-ID <\(messageID)> is already in the outbox"
        case .locationConflict(let mailbox, let uidValidity, let uid, let recorded):
            "\(mailbox) UIDVALIDITY \(uidValidity) UID \(uid) is already recorded for another message "
                + "(SHA-256 \(recorded)); the server reused a UID"
        case .invalidRecord(let reason):
            "invalid intake record: \(reason)"
        case .invalidReference(let prefix, let year):
            "cannot allocate a reference with prefix \"\(prefix)\" for year \(year): "
                + "the prefix must be ASCII letters and the year four digits"
        }
    }
}
