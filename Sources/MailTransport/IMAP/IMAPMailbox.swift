import LiaisonCore
import Logging

/// One IMAP mailbox, read through libcurl: the daemon's ``MailSource``.
///
/// Each instance owns one libcurl handle, so one connection and one login that are reused for
/// every call; the connection is re-established (and the operation retried once) when the
/// server has dropped it. All blocking libcurl work runs on the instance's own serial queue,
/// never on Swift's cooperative thread pool, and calls are executed one at a time in the order
/// they were made. Cancelling a caller's task aborts its transfer at libcurl's next progress
/// check; the handle is never used by two threads.
///
/// The UID sequence of ``uids(after:)`` is only meaningful under one UIDVALIDITY, which
/// ``status()`` reports and ``fetch(uid:uidValidity:)`` checks.
public final class IMAPMailbox: MailSource {
    /// The polled mailbox's name, as configured.
    public let mailbox: String
    /// The configuration the mailbox was opened with (its description redacts the password).
    public let configuration: IMAPConfiguration

    private let executor: BlockingExecutor<IMAPSession>

    /// Validates `configuration` and prepares the connection; nothing is sent until the first call.
    ///
    /// - Parameter logger: receives debug and info events with `imap.mailbox` and `imap.uid`
    ///   metadata; never message bodies or credentials.
    /// - Throws: ``TransportError/invalidConfiguration(_:)`` for unusable settings,
    ///   ``TransportError/libcurlUnavailable(reason:)`` when libcurl is too old or lacks IMAP.
    public init(configuration: IMAPConfiguration, logger: Logger) throws {
        let server = try configuration.validated()
        var logger = logger
        logger[metadataKey: "imap.mailbox"] = "\(configuration.mailbox)"
        let session = try IMAPSession(configuration: configuration, server: server, logger: logger)
        self.mailbox = configuration.mailbox
        self.configuration = configuration
        self.executor = BlockingExecutor(label: "liaison.imap.\(server.host).\(server.port)", state: session)
    }

    /// Reads UIDVALIDITY, UIDNEXT and the message count with `STATUS`, without changing the
    /// connection's selected mailbox.
    ///
    /// - Throws: ``TransportError/mailboxUnavailable(server:mailbox:response:)`` when the mailbox
    ///   does not exist, or another ``TransportError``.
    public func status() async throws -> MailboxStatus {
        try await executor.run { session, token in try session.status(of: session.intake, token) }
    }

    /// Returns the UIDs greater than `uid`, ascending.
    ///
    /// Sends `NOOP` (so the server notices new mail), then `UID SEARCH RETURN (ALL COUNT) UID
    /// n+1:*` (ESEARCH: a compact reply, immune to libcurl 7.88's silent 64 KiB line truncation),
    /// falling back to plain `UID SEARCH` over bounded windows when the server lacks ESEARCH. The
    /// cost depends on the new messages only, and UIDs `<= uid` that `n:*` reports are dropped.
    public func uids(after uid: UInt32) async throws -> [UInt32] {
        try await executor.run { session, token in try session.uids(in: session.intake, after: uid, token) }
    }

    /// Returns the exact raw bytes of message `uid`.
    ///
    /// Checks UIDVALIDITY with `STATUS`, learns the size and flags with `UID FETCH (RFC822.SIZE
    /// FLAGS)`, downloads through libcurl's URL form (`…;UIDVALIDITY=v/;UID=n`, any size), compares
    /// the byte count with RFC822.SIZE and clears `\Seen` again if the message was unseen before.
    ///
    /// - Throws: ``MailSourceError/uidValidityChanged(mailbox:expected:)``,
    ///   ``MailSourceError/messageNotFound(uid:)``,
    ///   ``MailSourceError/sizeMismatch(uid:expected:received:)`` (never a partial message),
    ///   ``TransportError/fetchFailed(mailbox:uid:reason:)`` when the connection was cut or the
    ///   transfer failed part-way, or another ``TransportError``.
    public func fetch(uid: UInt32, uidValidity: UInt32) async throws -> [UInt8] {
        do {
            return try await executor.run { session, token in
                try session.fetch(uid: uid, uidValidity: uidValidity, token)
            }
        } catch let error as TransportError {
            // libcurl's text alone ("partial file", "connection failed") does not say which message.
            throw error.duringFetch(mailbox: mailbox, uid: uid)
        }
    }

    /// Moves message `uid` into `folder`, creating the folder when the server says it is missing.
    ///
    /// Uses `UID MOVE` when the server has MOVE, otherwise `UID COPY` + `UID STORE +FLAGS.SILENT
    /// (\Deleted)` + `UID EXPUNGE` (UIDPLUS), which expunges this message only.
    ///
    /// - Throws: ``MailSourceError/messageNotFound(uid:)`` when nothing was moved,
    ///   ``TransportError/missingCapability(server:capability:)`` without MOVE or UIDPLUS, or
    ///   another ``TransportError``.
    public func move(uid: UInt32, to folder: String) async throws {
        let target = try IMAPMailboxName(folder)
        try await executor.run { session, token in try session.move(uid: uid, to: target, token) }
    }

    /// Uploads a message into `mailbox` (IMAP APPEND) and returns its UID when the server reports
    /// one (`APPENDUID`, UIDPLUS).
    ///
    /// libcurl 7.88 always stores appended messages with `\Seen`.
    ///
    /// - Parameter raw: the message; every line must end with CRLF.
    /// - Throws: ``TransportError/invalidMessage(offset:reason:)`` before sending for a bare CR, a
    ///   bare LF or a NUL; ``TransportError/commandFailed(server:command:mailbox:uid:response:)``
    ///   when the server refuses (e.g. the mailbox does not exist).
    public func append(_ raw: [UInt8], to mailbox: String) async throws -> UInt32? {
        let target = try IMAPMailboxName(mailbox)
        try MessageValidation.requireCanonicalLineEndings(raw)
        return try await executor.run { session, token in try session.append(raw, to: target, token) }
    }

    /// Creates `name`; succeeds without change when it already exists.
    public func createMailbox(_ name: String) async throws {
        let target = try IMAPMailboxName(name)
        try await executor.run { session, token in try session.ensureExists(target, token) }
    }

    /// The names of all mailboxes of the account (`LIST "" "*"`), decoded from modified UTF-7.
    public func listMailboxes() async throws -> [String] {
        try await executor.run { session, token in try session.list(token) }
    }

    /// All UIDs in another mailbox, ascending.
    ///
    /// libcurl SELECTs that mailbox for this call and re-SELECTs the polled one on the next call
    /// that needs it; the selection it remembers is its own, so this does not disturb intake.
    public func uids(in mailbox: String) async throws -> [UInt32] {
        let target = try IMAPMailboxName(mailbox)
        return try await executor.run { session, token in try session.uids(in: target, after: 0, token) }
    }

    // MARK: - Internal, for tests

    /// Deletes a mailbox (`DELETE`).
    func deleteMailbox(_ name: String) async throws {
        let target = try IMAPMailboxName(name)
        try await executor.run { session, token in try session.delete(target, token) }
    }

    /// The flags of `uid` in `mailbox` (default: the polled one); `nil` when the UID is gone.
    func flags(uid: UInt32, in mailbox: String? = nil) async throws -> [String]? {
        let target = try IMAPMailboxName(mailbox ?? self.mailbox)
        return try await executor.run { session, token in try session.flags(uid: uid, in: target, token) }
    }

    /// Applies `UID STORE uid <change>` in `mailbox` (default: the polled one).
    func store(uid: UInt32, _ change: String, in mailbox: String? = nil) async throws {
        let target = try IMAPMailboxName(mailbox ?? self.mailbox)
        try await executor.run { session, token in try session.store(uid: uid, in: target, change, token) }
    }

    /// Only the URL-form download (no size FETCH before it).
    func download(uid: UInt32, uidValidity: UInt32) async throws -> [UInt8] {
        try await executor.run { session, token in try session.download(uid: uid, uidValidity: uidValidity, token) }
    }

    /// How many connections (and so logins) this mailbox has opened.
    var connectionsOpened: Int {
        get async throws { try await executor.run { session, _ in session.connectionsOpened } }
    }

    /// Switches off ESEARCH and/or MOVE to exercise the fallbacks; sets the plain-search window.
    func setFallbacks(useESearch: Bool, useMove: Bool, searchWindow: UInt32 = 5000) async throws {
        try await executor.run { session, _ in
            session.useESearch = useESearch
            session.useMove = useMove
            session.searchWindow = searchWindow
        }
    }
}
