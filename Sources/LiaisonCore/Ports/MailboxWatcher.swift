/// Something that can tell, cheaply, that the intake mailbox may have new mail: IMAP IDLE.
///
/// The daemon polls after each wake-up and still polls at least every poll interval (the
/// `timeout`), so a watcher only ever shortens the wait; it never decides what is processed.
/// A `true` that turns out to be nothing costs one poll; a missed change costs at most one
/// interval. Implementations should therefore err towards `true`.
public protocol MailboxWatcher: Sendable {
    /// Waits until the mailbox may have changed (`true`) or `timeout` has passed (`false`).
    ///
    /// - Throws: ``MailboxWatcherError/notSupported(_:)`` when the server cannot be watched (no
    ///   IDLE), `CancellationError` when the task is cancelled, or a transport error; the caller
    ///   then falls back to waiting out the interval.
    func waitForChange(timeout: Duration) async throws -> Bool
}

/// Why a ``MailboxWatcher`` cannot watch at all (as opposed to a failure that may pass).
public enum MailboxWatcherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server does not offer what watching needs (e.g. the IMAP IDLE capability); the text
    /// names the server and what is missing.
    case notSupported(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notSupported(let reason): "mailbox watching is not supported: \(reason)"
        }
    }
}
