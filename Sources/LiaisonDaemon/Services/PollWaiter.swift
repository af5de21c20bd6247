import Foundation
import LiaisonCore
import Logging

/// How the intake service waits between two polls: the one piece to replace to poll sooner than
/// the interval (an IMAP IDLE watcher ends the wait when mail arrives).
///
/// The wait is cancelled by a graceful shutdown (SIGTERM, SIGINT); an implementation must return
/// or throw promptly then.
protocol PollWaiter: Sendable {
    /// Returns when the next poll is due: after `delay` at the latest, earlier if the mailbox
    /// changed. `lastPollFailed` is true while polls fail (the delay then grows with backoff), so
    /// a waiter that talks to the server can stay out of its way.
    ///
    /// - Throws: `CancellationError` when cancelled; other errors are logged and the next poll
    ///   simply starts (a waiter failing never stops polling).
    func waitForNextPoll(upTo delay: Duration, lastPollFailed: Bool) async throws
}

/// The default waiter: sleeps for the whole delay.
struct SleepingPollWaiter: PollWaiter {
    func waitForNextPoll(upTo delay: Duration, lastPollFailed: Bool) async throws {
        try await Task.sleep(for: delay)
    }
}

/// Chooses the poll waiter for a runtime; called at start and after a reload that changed the
/// `imap:` settings.
enum PollWaiters {
    static func make(for runtime: Runtime, logger: Logger) -> any PollWaiter {
        // IMAP IDLE unless `imap.idle: false` (docs/transport.md); IdlePollWaiter falls back to sleeping.
        IdlePollWaiter.make(for: runtime, logger: logger) ?? SleepingPollWaiter()
    }
}
