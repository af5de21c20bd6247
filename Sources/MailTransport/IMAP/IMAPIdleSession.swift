import LiaisonCore
import Logging
import Synchronization

/// The IDLE watcher's connection and the IMAP dialogue on it, all blocking (RFC 2177).
///
/// libcurl connects, negotiates TLS and logs in (``IMAPRawConnection``); then, on the raw
/// connection: `CAPABILITY` (IDLE must be offered), `EXAMINE` the intake mailbox (read-only, so
/// watching never changes flags or `\Recent` for the poller), and per wait `IDLE` … `DONE`.
/// The connection stays open between waits, so an `EXISTS` sent while the daemon polls arrives
/// with the next `IDLE` and wakes it at once. Lives in a ``BlockingExecutor``.
final class IMAPIdleSession {
    /// RFC 2177: clients should re-issue IDLE at least every 29 minutes, or the server may log
    /// them out as inactive. We stay well below.
    static let reissueInterval: Duration = .seconds(25 * 60)

    let server: ServerAddress
    let mailbox: IMAPMailboxName
    /// New connections made so far (each one a login).
    private(set) var connectionsOpened = 0
    /// Test knob: the longest one IDLE lasts before DONE and a new IDLE.
    var idleSlice: Duration = IMAPIdleSession.reissueInterval
    /// Counters readable from any thread while a wait runs (tests).
    final class Counters: Sendable {
        /// IDLE commands sent.
        let idleCommands = Atomic<Int>(0)
    }

    /// This session's counters.
    let counters = Counters()

    private let configuration: IMAPConfiguration
    private let logger: Logger
    private var connection: IMAPRawConnection?
    private var tracker = IMAPIdleTracker()
    private var tagNumber = 0
    private let clock = ContinuousClock()

    /// Prepares the session; nothing connects until the first wait.
    init(configuration: IMAPConfiguration, server: ServerAddress, logger: Logger) throws(TransportError) {
        self.configuration = configuration
        self.server = server
        self.mailbox = try IMAPMailboxName(configuration.mailbox)
        self.logger = logger
    }

    /// Waits for new mail in the mailbox or the timeout.
    ///
    /// Returns `true` at once after (re)connecting: what arrived while nobody watched is unknown,
    /// so the caller polls. Any failure closes the connection; the next call reconnects.
    func waitForChange(timeout: Duration, _ token: CancellationToken) throws -> Bool {
        let deadline = clock.now + timeout
        do {
            guard let connection else {
                try open(token)
                return true
            }
            while true {
                let sliceEnd = min(deadline, clock.now + idleSlice)
                if try idle(on: connection, until: sliceEnd, token) { return true }
                if clock.now >= deadline { return false }
            }
        } catch {
            close()
            throw error
        }
    }

    /// Drops the connection (libcurl sends LOGOUT).
    func close() {
        connection = nil
        tracker = IMAPIdleTracker()
    }

    // MARK: - The dialogue

    /// Connects, checks for IDLE and EXAMINEs the mailbox (the baseline count).
    private func open(_ token: CancellationToken) throws {
        let connection = try IMAPRawConnection(configuration: configuration, server: server, token: token)
        connectionsOpened += 1
        let capabilities = try command("CAPABILITY", on: connection, token).capabilities
        guard capabilities.contains("IDLE") else {
            throw MailboxWatcherError.notSupported("\(server) does not offer the IDLE capability")
        }
        let examine = try command("EXAMINE \(mailbox.quoted)", on: connection, token)
        guard examine.tagged.isOK else {
            throw TransportError.mailboxUnavailable(
                server: server.description, mailbox: mailbox.display, response: scrub(examine.tagged.line))
        }
        tracker.setBaseline(examine.events)
        self.connection = connection
        logger.debug(
            "IDLE connection ready",
            metadata: ["imap.mailbox": "\(mailbox.display)", "imap.messages": "\(tracker.messages ?? 0)"])
    }

    /// One `IDLE` … `DONE` until `end`; returns whether new mail was signalled.
    private func idle(on connection: IMAPRawConnection, until end: ContinuousClock.Instant, _ token: CancellationToken)
        throws -> Bool
    {
        let tag = nextTag()
        try connection.send("\(tag) IDLE", until: commandDeadline(), token: token)
        counters.idleCommands.add(1, ordering: .relaxed)
        var changed = false
        // Until the continuation: pending EXISTS may come first; a tagged reply means no IDLE.
        while true {
            guard let line = try connection.readLine(until: commandDeadline(), token: token) else {
                throw timeout("IDLE was not accepted")
            }
            let event = IMAPIdleEvent(line: line)
            changed = try handle(event) || changed
            if event == .continuation { break }
            if case .tagged(tag, let reply) = event {
                throw MailboxWatcherError.notSupported("\(server) refused IDLE: \(scrub(reply.line))")
            }
        }
        // Idling: wait for new mail, the slice's end or cancellation.
        var ended = false
        while !changed {
            do {
                guard let line = try connection.readLine(until: end, token: token) else { break }
                let event = IMAPIdleEvent(line: line)
                changed = try handle(event) || changed
                if case .tagged(tag, _) = event {
                    ended = true  // the server ended the IDLE itself; no DONE needed
                    break
                }
            } catch is CancellationError {
                // Leave IDLE before the connection is dropped, so libcurl's LOGOUT is answered.
                _ = try? finish(tag: tag, on: connection, token: nil)
                throw CancellationError()
            }
        }
        if !ended { changed = try finish(tag: tag, on: connection, token: token) || changed }
        return changed
    }

    /// Sends `DONE` and reads up to the IDLE's tagged reply; returns whether new mail was signalled.
    private func finish(tag: String, on connection: IMAPRawConnection, token: CancellationToken?) throws -> Bool {
        try connection.send("DONE", until: commandDeadline(), token: token)
        var changed = false
        while true {
            guard let line = try connection.readLine(until: commandDeadline(), token: token) else {
                throw timeout("IDLE did not end after DONE")
            }
            let event = IMAPIdleEvent(line: line)
            changed = try handle(event) || changed
            if case .tagged(tag, let reply) = event {
                guard reply.isOK else {
                    throw TransportError.commandFailed(
                        server: server.description, command: "IDLE", mailbox: mailbox.display, uid: nil,
                        response: scrub(reply.line))
                }
                return changed
            }
        }
    }

    /// Sends a command and collects its events up to the tagged reply.
    private func command(_ text: String, on connection: IMAPRawConnection, _ token: CancellationToken) throws
        -> (events: [IMAPIdleEvent], tagged: IMAPTaggedLine, capabilities: Set<String>)
    {
        let tag = nextTag()
        try connection.send("\(tag) \(text)", until: commandDeadline(), token: token)
        var events: [IMAPIdleEvent] = []
        var capabilities: Set<String> = []
        while true {
            guard let line = try connection.readLine(until: commandDeadline(), token: token) else {
                throw timeout("no reply to \(text.split(separator: " ").first ?? "")")
            }
            let event = IMAPIdleEvent(line: line)
            if case .bye(let text) = event { throw closed(text) }
            if case .capabilities(let found) = event { capabilities = found }
            if case .tagged(tag, let reply) = event {
                // CAPABILITY may also come as a response code of the tagged OK.
                if let found = IMAPResponse.capabilities(in: [reply.line]), capabilities.isEmpty {
                    capabilities = found
                }
                return (events, reply, capabilities)
            }
            events.append(event)
        }
    }

    /// Applies an event to the tracker; a BYE ends the connection.
    private func handle(_ event: IMAPIdleEvent) throws -> Bool {
        if case .bye(let text) = event { throw closed(text) }
        return tracker.apply(event)
    }

    private func nextTag() -> String {
        tagNumber += 1
        return "W\(tagNumber)"
    }

    private func commandDeadline() -> ContinuousClock.Instant {
        clock.now + configuration.transferTimeout
    }

    private func timeout(_ what: String) -> TransportError {
        .timedOut(server: server.description, code: 28, message: "\(what) within the transfer timeout")
    }

    private func closed(_ text: String) -> TransportError {
        .connectionFailed(server: server.description, code: 0, message: "the server closed the connection: \(scrub(text))")
    }

    private func scrub(_ text: String) -> String {
        Redaction.scrub(text, secret: configuration.password)
    }
}
