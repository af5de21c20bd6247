import Foundation
import LiaisonCore
import Logging
import ServiceLifecycle

/// Records the reminders and weekly digests that are due, every poll interval, until a graceful
/// shutdown; wakes the outbox service when it queued mail.
///
/// Each reminder and digest is recorded once with its outbox entry, so running often (or after a
/// restart, or twice) never sends one twice. Failures are retried with the intake's backoff.
struct ReminderService: Service {
    let live: LiveRuntime
    let outboxWakeup: Wakeup?
    let logger: Logger

    func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let runtime = live.current.runtime
            let (ok, queued) = await DaemonSteps.remind(runtime.reminders, digests: runtime.digests, logger: logger)
            if queued > 0 { outboxWakeup?.signal() }
            failures = ok ? 0 : failures + 1
            let delay = DaemonSteps.delay(interval: .seconds(runtime.configuration.imap.pollInterval), failures: failures)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            } catch {
                break
            }
        }
        logger.info("reminder service stopped")
    }
}
