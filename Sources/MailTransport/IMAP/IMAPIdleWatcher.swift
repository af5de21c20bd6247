import LiaisonCore
import Logging
import Synchronization

/// Watches the intake mailbox with IMAP IDLE (RFC 2177) on its own connection: the daemon's
/// ``MailboxWatcher``.
///
/// libcurl has no IDLE, so libcurl only connects, negotiates TLS and logs in
/// (`CURLOPT_CONNECT_ONLY`), with exactly the TLS settings and checks of ``IMAPMailbox``; the
/// watcher then speaks IMAP itself on that connection (`CAPABILITY`, `EXAMINE`, `IDLE`, `DONE`)
/// through `curl_easy_send`/`curl_easy_recv`, waiting with `poll()`. The mailbox is only
/// examined (read-only): watching changes no flags. IDLE is re-issued every 25 minutes, below
/// RFC 2177's 29. Blocking work runs on the watcher's own serial queue; cancelling the waiting
/// task ends the IDLE within about 200 ms.
public final class IMAPIdleWatcher: MailboxWatcher {
    /// The watched mailbox's name, as configured.
    public let mailbox: String

    private let executor: BlockingExecutor<IMAPIdleSession>
    /// The session's counters (tests); everything else goes through the executor.
    private let counters: IMAPIdleSession.Counters

    /// Validates `configuration` (as ``IMAPMailbox`` does); nothing connects until the first wait.
    ///
    /// - Throws: ``TransportError/invalidConfiguration(_:)`` or
    ///   ``TransportError/libcurlUnavailable(reason:)``.
    public init(configuration: IMAPConfiguration, logger: Logger) throws {
        let server = try configuration.validated()
        try CurlGlobal.initialize()
        var logger = logger
        logger[metadataKey: "imap.mailbox"] = "\(configuration.mailbox)"
        let session = try IMAPIdleSession(configuration: configuration, server: server, logger: logger)
        self.mailbox = configuration.mailbox
        self.counters = session.counters
        self.executor = BlockingExecutor(label: "liaison.imap-idle.\(server.host).\(server.port)", state: session)
    }

    /// Waits until the server reports new mail (`true`) or `timeout` passes (`false`).
    ///
    /// The first call (and the first after a failure) connects and returns `true` at once: mail
    /// that arrived while nothing watched is unknown, so the caller should poll.
    ///
    /// - Throws: ``MailboxWatcherError/notSupported(_:)`` when the server lacks IDLE,
    ///   `CancellationError`, or a ``TransportError`` (TLS, login, mailbox, connection); the
    ///   connection is then closed and the next call reconnects.
    public func waitForChange(timeout: Duration) async throws -> Bool {
        try await executor.run { session, token in try session.waitForChange(timeout: timeout, token) }
    }

    // MARK: - Internal, for tests

    /// How many connections (logins) the watcher has opened.
    var connectionsOpened: Int {
        get async throws { try await executor.run { session, _ in session.connectionsOpened } }
    }

    /// How many IDLE commands were sent; readable while a wait is running.
    var idleCommands: Int { counters.idleCommands.load(ordering: .relaxed) }

    /// Shortens the re-issue interval, to see IDLE re-issued within one wait.
    func setIdleSlice(_ slice: Duration) async throws {
        try await executor.run { session, _ in session.idleSlice = slice }
    }
}
