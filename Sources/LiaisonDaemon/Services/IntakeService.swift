import Foundation
import LiaisonCore
import Logging
import ServiceLifecycle

/// Polls the intake mailbox, then waits (``PollWaiter``), until a graceful shutdown.
///
/// On SIGTERM or SIGINT the poll in progress ends after the message in hand — committed and
/// moved — and the wait is cut short. A failing server is retried with backoff (the poll
/// interval, doubling up to 15 minutes); nothing is lost, because nothing is marked processed on
/// the server before it is committed locally. A poll that handled mail wakes the outbox service.
struct IntakeService: Service {
    let live: LiveRuntime
    let outboxWakeup: Wakeup?
    let logger: Logger
    let status: ServiceStatus?

    func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let generation = live.current
            let runtime = generation.runtime
            let outcome = await DaemonSteps.poll(
                runtime.poller, store: runtime.store, logger: logger, status: status,
                shouldStop: { Task.isShuttingDownGracefully })
            if outcome.handledMail { outboxWakeup?.signal() }
            failures = outcome.ok ? 0 : failures + 1
            let delay = DaemonSteps.delay(interval: .seconds(runtime.configuration.imap.pollInterval), failures: failures)
            if !outcome.ok { logger.warning("will retry", metadata: ["retry.in_seconds": "\(delay.components.seconds)"]) }
            do {
                try await cancelWhenGracefulShutdown {
                    try await generation.waiter.waitForNextPoll(upTo: delay, lastPollFailed: !outcome.ok)
                }
            } catch is CancellationError {
                break
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("waiting for the next poll failed; polling now", metadata: ["error": "\(error)"])
            }
        }
        logger.info("intake service stopped")
    }
}
