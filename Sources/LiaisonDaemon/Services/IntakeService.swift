import Foundation
import LiaisonCore
import Logging
import ServiceLifecycle

/// The daemon's main loop as a swift-service-lifecycle service: poll the intake mailbox, send
/// what is due in the outbox, wait, repeat.
///
/// A graceful shutdown (SIGTERM, SIGINT) stops the loop between two steps: the message in hand is
/// committed and moved, the send in progress completes and is recorded. A failing server is
/// retried with backoff (the poll interval, doubling up to 15 minutes); nothing is lost, because
/// nothing is marked processed on the server before it is committed locally.
public struct IntakeService: Service {
    private let poller: MailboxPoller
    private let reminders: ReminderRun
    private let digests: DigestRun?
    private let dispatcher: OutboxDispatcher
    private let interval: Duration
    private let logger: Logger
    private let status: ServiceStatus?

    /// Creates the service; each poll and outbox run is recorded in `status` (for `/healthz`
    /// and `/metrics`) when one is given.
    public init(
        poller: MailboxPoller, reminders: ReminderRun, digests: DigestRun? = nil, dispatcher: OutboxDispatcher, interval: Duration,
        logger: Logger, status: ServiceStatus? = nil
    ) {
        self.status = status
        self.poller = poller
        self.reminders = reminders
        self.digests = digests
        self.dispatcher = dispatcher
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let ok = await cycle(
                poller: poller, reminders: reminders, digests: digests, dispatcher: dispatcher, logger: logger, status: status)
            failures = ok ? 0 : failures + 1
            let delay = ok ? interval : min(interval * (1 << min(failures, 10)), .seconds(900))
            if !ok { logger.warning("will retry", metadata: ["retry.in_seconds": "\(delay.components.seconds)"]) }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            } catch {
                break
            }
        }
        logger.info("intake service stopped")
    }
}

/// One poll, one reminder run, one digest run and one outbox run, logged; returns whether all succeeded.
func cycle(
    poller: MailboxPoller, reminders: ReminderRun, digests: DigestRun? = nil, dispatcher: OutboxDispatcher, logger: Logger,
    status: ServiceStatus? = nil
) async -> Bool {
    var ok = true
    let clock = ContinuousClock()
    var started = clock.now
    do {
        let report = try await poller.pollOnce()
        status?.recordPoll(at: Date(), duration: seconds(clock.now - started), error: nil)
        log(report, logger: logger)
    } catch {
        ok = false
        status?.recordPoll(at: Date(), duration: seconds(clock.now - started), error: "\(error)")
        logger.warning("poll failed", metadata: ["error": "\(error)"])
    }
    do {
        for reminder in try await reminders.run() {
            logger.notice(
                "reminder recorded",
                metadata: ["statement.id": "\(reminder.reference)", "reminder.kind": "\(reminder.kind.key)"])
        }
    } catch {
        ok = false
        logger.warning("reminder run failed", metadata: ["error": "\(error)"])
    }
    do {
        for digest in try await digests?.run() ?? [] {
            logger.notice(
                digest.isEmpty ? "digest skipped: nothing open" : "digest recorded",
                metadata: [
                    "digest.week": "\(digest.week)", "digest.recipient": "\(digest.recipient.contact.address)",
                    "digest.statements": "\(digest.count)",
                ])
        }
    } catch {
        ok = false
        logger.warning("digest run failed", metadata: ["error": "\(error)"])
    }
    started = clock.now
    do {
        let summary = try await dispatcher.dispatchDue()
        // A send that fails for every recipient as temporary is how an unreachable server shows.
        let unreachable = summary.deferred > 0 && summary.delivered == 0
        status?.recordSend(
            at: Date(), duration: seconds(clock.now - started),
            error: unreachable ? "\(summary.deferred) recipients deferred, none delivered" : nil)
        if summary.attempted > 0 {
            logger.notice(
                "outbox sent",
                metadata: [
                    "outbox.messages": "\(summary.attempted)", "outbox.delivered": "\(summary.delivered)",
                    "outbox.deferred": "\(summary.deferred)", "outbox.failed": "\(summary.failed)",
                ])
        }
        if summary.failed > 0 { logger.error("some recipients failed permanently", metadata: ["outbox.failed": "\(summary.failed)"]) }
    } catch {
        ok = false
        status?.recordSend(at: Date(), duration: seconds(clock.now - started), error: "\(error)")
        logger.warning("outbox run failed", metadata: ["error": "\(error)"])
    }
    return ok
}

/// A duration in seconds, for ``ServiceStatus``.
private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func log(_ report: PollReport, logger: Logger) {
    var metadata: Logger.Metadata = ["imap.mailbox": "\(report.mailbox)", "imap.uidvalidity": "\(report.uidValidity)"]
    if report.uidValidityChanged {
        logger.warning("UIDVALIDITY changed: messages are matched by content, nothing is processed twice", metadata: metadata)
    }
    for outcome in report.outcomes {
        switch outcome {
        case .recorded(let uid, let reference, let state):
            metadata["imap.uid"] = "\(uid)"
            metadata["statement.id"] = "\(reference)"
            metadata["statement.state"] = "\(state.rawValue)"
            logger.notice("statement recorded", metadata: metadata)
        case .quarantined(let uid, let reason):
            metadata["imap.uid"] = "\(uid)"
            metadata["quarantine.reason"] = "\(reason)"
            logger.error("message quarantined", metadata: metadata)
        case .duplicate(let uid):
            metadata["imap.uid"] = "\(uid)"
            logger.info("message already recorded; moved only", metadata: metadata)
        case .vanished(let uid):
            metadata["imap.uid"] = "\(uid)"
            logger.warning("message vanished before it could be read", metadata: metadata)
        case .reply(let uid, let reference):
            metadata["imap.uid"] = "\(uid)"
            metadata["statement.id"] = "\(reference)"
            logger.notice("reply about a recorded statement", metadata: metadata)
        case .report(let uid, let reference, let summary):
            metadata["imap.uid"] = "\(uid)"
            metadata["statement.id"] = "\(reference)"
            metadata["report.summary"] = "\(summary)"
            logger.notice("delivery report attached to a statement", metadata: metadata)
        }
    }
    for warning in report.warnings {
        logger.warning("\(warning)", metadata: ["imap.mailbox": "\(report.mailbox)"])
    }
}
