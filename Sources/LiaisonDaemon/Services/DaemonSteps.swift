import Foundation
import LiaisonCore
import Logging

/// The daemon's steps, each logged and recorded in the ``ServiceStatus`` for `/healthz` and
/// `/metrics`; the services (``IntakeService``, ``ReminderService``, ``OutboxService``) repeat
/// them, `cycle` runs all of them once.
enum DaemonSteps {
    /// What a poll did, as far as the other services care.
    struct PollOutcome {
        /// Whether the poll succeeded.
        var ok: Bool
        /// Whether it handled a message (and so may have queued mail).
        var handledMail: Bool
    }

    /// One poll of the intake mailbox. `shouldStop` ends it after the message in hand.
    static func poll(
        _ poller: MailboxPoller, store: (any StatementStore)? = nil, logger: Logger, status: ServiceStatus?,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async -> PollOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let report = try await poller.pollOnce(stoppingWhen: shouldStop)
            status?.recordPoll(at: Date(), duration: seconds(clock.now - started), error: nil)
            await log(report, logger: logger, messageIDs: messageIDs(of: report, store: store))
            return PollOutcome(ok: true, handledMail: !report.outcomes.isEmpty)
        } catch {
            status?.recordPoll(at: Date(), duration: seconds(clock.now - started), error: "\(error)")
            logger.warning("poll failed", metadata: ["error": "\(error)"])
            return PollOutcome(ok: false, handledMail: false)
        }
    }

    /// One reminder run and one digest run; returns whether both succeeded and how many mails they queued.
    static func remind(_ reminders: ReminderRun, digests: DigestRun?, logger: Logger) async -> (ok: Bool, queued: Int) {
        var ok = true
        var queued = 0
        do {
            for reminder in try await reminders.run() {
                queued += 1
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
                if !digest.isEmpty { queued += 1 }
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
        return (ok, queued)
    }

    /// One outbox run; returns whether it succeeded.
    static func send(_ dispatcher: OutboxDispatcher, logger: Logger, status: ServiceStatus?) async -> Bool {
        let clock = ContinuousClock()
        let started = clock.now
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
            if summary.failed > 0 {
                logger.error("some recipients failed permanently", metadata: ["outbox.failed": "\(summary.failed)"])
            }
            return true
        } catch {
            status?.recordSend(at: Date(), duration: seconds(clock.now - started), error: "\(error)")
            logger.warning("outbox run failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// The wait after `failures` failed runs in a row: the interval, then doubling up to 15 minutes.
    static func delay(interval: Duration, failures: Int) -> Duration {
        failures == 0 ? interval : min(interval * (1 << min(failures, 10)), .seconds(900))
    }

    /// The Message-IDs of the statements a poll recorded, for their log lines.
    static func messageIDs(of report: PollReport, store: (any StatementStore)?) async -> [StatementReference: String] {
        guard let store else { return [:] }
        var ids: [StatementReference: String] = [:]
        for case .recorded(_, let reference, _) in report.outcomes {
            if let id = try? await store.statement(reference: reference)?.messageID { ids[reference] = id }
        }
        return ids
    }

    /// A duration in seconds, for ``ServiceStatus``.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// One poll, one reminder run, one digest run and one outbox run, logged; returns whether all
/// succeeded. What `liaison run`'s services do between them, in one call (tests walk days with it).
func cycle(
    poller: MailboxPoller, reminders: ReminderRun, digests: DigestRun? = nil, dispatcher: OutboxDispatcher, logger: Logger,
    status: ServiceStatus? = nil
) async -> Bool {
    let polled = await DaemonSteps.poll(poller, logger: logger, status: status)
    let reminded = await DaemonSteps.remind(reminders, digests: digests, logger: logger)
    let sent = await DaemonSteps.send(dispatcher, logger: logger, status: status)
    return polled.ok && reminded.ok && sent
}

/// Logs what a poll did: one line per message, with `imap.uid`, `statement.id` and, for a
/// recorded statement, the `message.id` it came in.
func log(_ report: PollReport, logger: Logger, messageIDs: [StatementReference: String] = [:]) {
    let base: Logger.Metadata = ["imap.mailbox": "\(report.mailbox)", "imap.uidvalidity": "\(report.uidValidity)"]
    if report.uidValidityChanged {
        logger.warning("UIDVALIDITY changed: messages are matched by content, nothing is processed twice", metadata: base)
    }
    for outcome in report.outcomes {
        var metadata = base
        switch outcome {
        case .recorded(let uid, let reference, let state):
            metadata["imap.uid"] = "\(uid)"
            metadata["statement.id"] = "\(reference)"
            metadata["statement.state"] = "\(state.rawValue)"
            if let id = messageIDs[reference] { metadata["message.id"] = "<\(id)>" }
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
