import LiaisonCore
import Logging
import MailTransport
import Synchronization

/// Waits between polls on the intake mailbox with IMAP IDLE (``MailboxWatcher``): the next poll
/// starts as soon as the server reports new mail, and after the poll interval at the latest.
///
/// IDLE only ever shortens the wait; the poll itself is unchanged, so no mail depends on it:
/// - while polls fail (backoff), it just sleeps, staying out of the failing server's way;
/// - a server without IDLE: polling from then on (a warning when `imap.idle: true` asked for
///   IDLE, a notice when it was only the default);
/// - any other IDLE failure (connection, TLS, login): a warning, the rest of the interval is
///   slept, and the next wait tries IDLE again — at most one attempt per interval.
final class IdlePollWaiter: PollWaiter {
    private let watcher: any MailboxWatcher
    private let requested: Bool
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    private let state = Mutex(State())

    private struct State {
        /// The server lacks IDLE: poll only, for the rest of this runtime.
        var unsupported = false
        /// The last IDLE attempt failed (repeats are logged at info level only).
        var failing = false
    }

    /// Creates the waiter.
    ///
    /// - Parameters:
    ///   - requested: `imap.idle: true` was configured (a server without IDLE is then a warning).
    ///   - sleep: how the fallback waits; tests pass one that records instead of sleeping.
    init(
        watcher: any MailboxWatcher, requested: Bool, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.watcher = watcher
        self.requested = requested
        self.logger = logger
        self.sleep = sleep
    }

    /// An IDLE waiter for `runtime`, or `nil` when `imap.idle: false` or the watcher cannot be
    /// created (then logged; the caller sleeps instead).
    static func make(for runtime: Runtime, logger: Logger) -> IdlePollWaiter? {
        let idle = runtime.configuration.imap.idle
        guard idle != false else { return nil }
        do {
            let watcher = try IMAPIdleWatcher(
                configuration: Runtime.imapConfiguration(runtime.configuration), logger: logger)
            return IdlePollWaiter(watcher: watcher, requested: idle == true, logger: logger)
        } catch {
            logger.warning("IMAP IDLE cannot be used; polling only", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Whether the server turned out to lack IDLE (the waiter only sleeps from then on).
    var isPollingOnly: Bool { state.withLock { $0.unsupported } }

    func waitForNextPoll(upTo delay: Duration, lastPollFailed: Bool) async throws {
        let (unsupported, failing) = state.withLock { ($0.unsupported, $0.failing) }
        if unsupported || lastPollFailed {
            try await sleep(delay)
            return
        }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let changed = try await watcher.waitForChange(timeout: delay)
            if failing {
                state.withLock { $0.failing = false }
                logger.notice("IMAP IDLE works again")
            }
            if changed { logger.debug("IMAP IDLE: the intake mailbox may have new mail; polling now") }
            return
        } catch is CancellationError {
            throw CancellationError()
        } catch let MailboxWatcherError.notSupported(reason) {
            state.withLock { $0.unsupported = true }
            let metadata: Logger.Metadata = [
                "reason": "\(reason)", "poll.interval_seconds": "\(delay.components.seconds)",
            ]
            if requested {
                logger.warning("imap.idle is on, but the server cannot be watched with IDLE; polling instead", metadata: metadata)
            } else {
                logger.notice("the IMAP server offers no IDLE; polling", metadata: metadata)
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            state.withLock { $0.failing = true }
            let message: Logger.Message = "IMAP IDLE failed; waiting out the poll interval, IDLE is tried again at the next wait"
            if failing {
                logger.info(message, metadata: ["error": "\(error)"])
            } else {
                logger.warning(message, metadata: ["error": "\(error)"])
            }
        }
        let remaining = delay - (clock.now - started)
        if remaining > .zero { try await sleep(remaining) }
    }
}
