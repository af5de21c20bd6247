import Foundation
import LiaisonCore
import Logging
import ServiceLifecycle

/// Sends what is due in the outbox: at once when woken (the intake or reminder service queued
/// mail), else every poll interval (retries come due), until a graceful shutdown.
///
/// On SIGTERM or SIGINT the run in progress completes and records every result; the wait is cut
/// short. A run that fails is retried with the intake's backoff, but a wake-up still starts the
/// next run at once.
struct OutboxService: Service {
    let live: LiveRuntime
    let wakeup: Wakeup
    let logger: Logger
    let status: ServiceStatus?

    func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let runtime = live.current.runtime
            let dispatcher = runtime.dispatcher(sending: LoggedMailSender(base: runtime.sender, logger: logger))
            let ok = await DaemonSteps.send(dispatcher, logger: logger, status: status)
            failures = ok ? 0 : failures + 1
            let delay = DaemonSteps.delay(interval: .seconds(runtime.configuration.imap.pollInterval), failures: failures)
            await cancelWhenGracefulShutdown { await wakeup.wait(upTo: delay) }
        }
        logger.info("outbox service stopped")
    }
}
