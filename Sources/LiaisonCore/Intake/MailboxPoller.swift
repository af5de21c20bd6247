import Foundation
import MIME

/// Polls the intake mailbox once: finds new messages incrementally, commits each one locally,
/// and only then moves it on the server.
///
/// Order per message (the reliability rules): fetch the exact bytes → recognise a duplicate by
/// SHA-256 (so a UIDVALIDITY change never causes reprocessing) → extract, route and render →
/// commit everything in one transaction → move to the processed or quarantine folder. A crash at
/// any point leaves either nothing committed (the message is fetched again) or a committed record
/// with a pending move (the move is retried first thing on the next poll).
public struct MailboxPoller: Sendable {
    private let source: any MailSource
    private let store: any StatementStore
    private let processor: IntakeProcessor
    private let clock: any WallClock
    private let crashPoints: CrashPoints

    /// Creates a poller.
    ///
    /// - Parameter crashPoints: test-only hook told of each durable step (``CrashPoint``).
    public init(
        source: any MailSource, store: any StatementStore, processor: IntakeProcessor, clock: any WallClock,
        crashPoints: CrashPoints = .none
    ) {
        self.source = source
        self.store = store
        self.processor = processor
        self.clock = clock
        self.crashPoints = crashPoints
    }

    /// Polls once.
    ///
    /// - Throws: when the server or the store fails; whatever was committed before stays
    ///   committed, and the next poll carries on from there.
    /// - Parameter shouldStop: asked before each new message; when it answers true (the daemon is
    ///   shutting down gracefully) the poll ends after the message in hand, which is finished.
    public func pollOnce(stoppingWhen shouldStop: @Sendable () -> Bool = { false }) async throws -> PollReport {
        let mailbox = source.mailbox
        var report = PollReport(mailbox: mailbox)
        let status = try await source.status()
        report.uidValidity = status.uidValidity

        var cursor = try await store.cursor(mailbox: mailbox)
        if cursor?.uidValidity != status.uidValidity {
            report.uidValidityChanged = cursor != nil
            cursor = MailboxCursor(mailbox: mailbox, uidValidity: status.uidValidity, lastUID: 0)
            try await store.saveCursor(MailboxCursor(mailbox: mailbox, uidValidity: status.uidValidity, lastUID: 0))
        }
        let lastUID = cursor?.lastUID ?? 0

        try await completePendingMoves(mailbox: mailbox, uidValidity: status.uidValidity, report: &report)

        // UIDNEXT tells without a search whether anything arrived since the last committed UID.
        guard status.uidNext > lastUID &+ 1 || status.uidNext == 0 else { return report }
        let uids = try await source.uids(after: lastUID).filter { $0 > lastUID }.sorted()
        report.newUIDs = uids
        for uid in uids {
            if Task.isCancelled || shouldStop() { break }
            let location = ServerLocation(mailbox: mailbox, uidValidity: status.uidValidity, uid: uid)
            guard let outcome = try await handle(location, report: &report) else { continue }
            report.outcomes.append(outcome)
        }
        return report
    }

    private func handle(_ location: ServerLocation, report: inout PollReport) async throws -> PollReport.Outcome? {
        let raw: [UInt8]
        do {
            raw = try await source.fetch(uid: location.uid, uidValidity: location.uidValidity)
        } catch MailSourceError.messageNotFound {
            return .vanished(uid: location.uid)
        }
        crashPoints.reached(.afterFetch)
        let sha256 = SHA256.hex(of: raw)
        let now = clock.now()
        if try await store.containsMessage(sha256: sha256) {
            try await store.commitDuplicate(
                location: location, sha256: sha256, destination: processor.settings.processedFolder, at: now)
            crashPoints.reached(.afterCommit)
            await move(location, to: processor.settings.processedFolder, report: &report)
            return .duplicate(uid: location.uid)
        }

        let record: IntakeRecord
        let outcome: PollReport.Outcome
        switch processor.triage(raw) {
        case .quarantine(let message, let reason):
            record = processor.quarantineRecord(message: message, reason: reason, location: location, sha256: sha256, now: now)
            outcome = .quarantined(uid: location.uid, reason: reason)
        case .reply(let message, let reply, let statement, let noAcknowledgementReason):
            // About an outgoing statement: an approval reply, or the peer's answer (docs/outgoing.md).
            let outgoing = try await SubmissionIntake(store: store, processor: processor).reply(
                message, reply, statement: statement, location: location, sha256: sha256, now: now)
            if case .handled(let handled, let handledOutcome)? = outgoing {
                (record, outcome) = (handled, handledOutcome)
            } else if case .answer(let answer)? = outgoing {
                (record, outcome) = try await newStatement(
                    message, answer, noAcknowledgementReason, location: location, sha256: sha256, now: now)
            } else if let recorded = try await store.statement(reference: reply.reference) {
                record = processor.replyRecord(
                    message: message, reply: reply, recorded: recorded, location: location, sha256: sha256, now: now,
                    alreadyClosed: try await store.isClosed(reply.reference))
                outcome = .reply(uid: location.uid, reference: reply.reference)
            } else {
                (record, outcome) = try await newStatement(
                    message, statement, noAcknowledgementReason, location: location, sha256: sha256, now: now)
            }
        case .statement(let message, let statement, let noAcknowledgementReason):
            (record, outcome) = try await newStatement(
                message, statement, noAcknowledgementReason, location: location, sha256: sha256, now: now)
        case .engagement(let message, let mail, let statement, let noAcknowledgementReason):
            // An invitation request, or a reply to an invitation; a reply to no known invitation is a statement.
            if let handled = try await EngagementIntake(store: store, processor: processor).record(
                message, mail, statement: statement, noAcknowledgementReason: noAcknowledgementReason, location: location,
                sha256: sha256, now: now)
            {
                (record, outcome) = handled
            } else {
                (record, outcome) = try await newStatement(
                    message, statement, noAcknowledgementReason, location: location, sha256: sha256, now: now)
            }
        case .submission(let message, let mail):
            (record, outcome) = try await SubmissionIntake(store: store, processor: processor).record(
                message, mail, location: location, sha256: sha256, now: now)
        case .report(let message, let report):
            let target = try await reportTarget(of: report)
            record = processor.reportRecord(
                message: message, report: report, target: target, location: location, sha256: sha256, now: now)
            switch record.disposition {
            case .report(let reference):
                outcome = .report(uid: location.uid, reference: reference, summary: report.resolved(against: target).summary)
            case .quarantined(let reason): outcome = .quarantined(uid: location.uid, reason: reason)
            case .statement(let reference), .invitation(let reference): outcome = .reply(uid: location.uid, reference: reference)
            }
        }
        try await store.commit(record)
        crashPoints.reached(.afterCommit)
        await move(location, to: record.destination, report: &report)
        return outcome
    }

    private func newStatement(
        _ message: MIMEMessage,
        _ statement: Statement,
        _ noAcknowledgementReason: String?,
        location: ServerLocation,
        sha256: String,
        now: Date
    ) async throws -> (IntakeRecord, PollReport.Outcome) {
        let record: IntakeRecord
        let outcome: PollReport.Outcome
        var noAcknowledgementReason = noAcknowledgementReason
        if noAcknowledgementReason == nil {
            noAcknowledgementReason = try await store.acknowledgementRateLimitReason(
                for: message, limit: processor.settings.acknowledgementsPerSenderPerDay, now: now)
        }
        // Clues to earlier statements (identifiers, titles, Message-IDs) link the reply to them.
        // An unauthenticated sender's statement closes nothing (closing is a privileged action).
        let answered =
            statement.inResponseTo.isEmpty || statement.senderAuthentication?.verified == false
            ? [] : try await store.statements(answering: statement.inResponseTo)
        // Those still open get the closed notice when the answer closes them.
        var closing: [RecordedStatement] = []
        for reference in answered where try await !store.isClosed(reference) {
            if let recorded = try await store.statement(reference: reference) { closing.append(recorded) }
        }
        let reference = try await store.nextReference(
            prefix: processor.settings.referencePrefix, year: processor.settings.year(of: now))
        crashPoints.reached(.afterReference)
        do {
            var built = try processor.statementRecord(
                message: message,
                statement: statement,
                noAcknowledgementReason: noAcknowledgementReason,
                reference: reference,
                location: location,
                sha256: sha256,
                now: now,
                answers: answered
            )
            built.outgoing += processor.closedNotices(
                for: closing.filter { $0.reference != reference }, reason: "answered by \(reference)", now: now)
            record = built
            outcome = .recorded(uid: location.uid, reference: reference, state: built.statement?.state ?? .needsTriage)
        } catch {
            let reason = "statement \(reference) could not be processed: \(error)"
            record = processor.quarantineRecord(message: message, reason: reason, location: location, sha256: sha256, now: now)
            outcome = .quarantined(uid: location.uid, reason: reason)
        }
        return (record, outcome)
    }

    /// What a report is about: the first of its original Message-IDs that Liaison sent or
    /// recorded, else the statement whose reference the returned headers or subject name.
    private func reportTarget(of report: DeliveryReport) async throws -> ReportTarget? {
        for messageID in report.originalMessageIDs {
            if let target = try await store.reportTarget(messageID: messageID) { return target }
        }
        if let reference = report.reference(prefix: processor.settings.referencePrefix),
            try await store.statement(reference: reference) != nil
        {
            return .statement(reference, clue: "\(reference), named in the returned headers or subject")
        }
        return nil
    }

    private func completePendingMoves(mailbox: String, uidValidity: UInt32, report: inout PollReport) async throws {
        for pending in try await store.pendingMoves(mailbox: mailbox, uidValidity: uidValidity) {
            await move(pending.location, to: pending.destination, report: &report)
        }
    }

    /// Moves a committed message; a failure leaves the move pending for the next poll.
    private func move(_ location: ServerLocation, to folder: String, report: inout PollReport) async {
        do {
            crashPoints.reached(.beforeMove)
            try await source.move(uid: location.uid, to: folder)
            crashPoints.reached(.afterMove)
            try await store.completeMove(location, at: clock.now())
            report.moved += 1
        } catch MailSourceError.messageNotFound {
            // Already gone (moved by an earlier run that crashed before recording it): nothing left to do.
            try? await store.completeMove(location, at: clock.now())
        } catch {
            report.warnings.append("move of UID \(location.uid) to \(folder) will be retried: \(error)")
        }
    }
}
