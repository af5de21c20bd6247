import Foundation
import MIME

/// The part of a poll that needs the store for outgoing statements: it finds what an approval
/// reply is about, allocates references for accepted drafts, reads the submitted mail back when
/// a statement is approved, and recognises the peer's reply to a statement sent.
struct SubmissionIntake: Sendable {
    let store: any StatementStore
    let processor: IntakeProcessor

    /// How a mail naming an outgoing statement in its subject is handled.
    enum ReplyHandling {
        /// Recorded as this (an approval reply).
        case handled(IntakeRecord, PollReport.Outcome)
        /// The peer's reply: a new statement answering the outgoing one.
        case answer(Statement)
    }

    /// The record of a mail to the submission address.
    func record(
        _ message: MIMEMessage, _ mail: SubmissionMail, location: ServerLocation, sha256: String, now: Date
    ) async throws -> (IntakeRecord, PollReport.Outcome) {
        switch mail {
        case .draft(let draft):
            return try await draftRecord(message, draft, location: location, sha256: sha256, now: now)
        case .approval(let reply):
            var target: OutgoingStatementRecord?
            if let reference = reply.reference {
                target = try await store.outgoingStatement(reference: reference)
            } else {
                for id in reply.answers where target == nil {
                    target = try await store.outgoingStatement(approvalMessageID: id)
                }
            }
            guard let target else {
                if let reference = reply.reference {
                    return quarantine(message, "mail to the submission address about \(reference), which is not an outgoing statement", location, sha256, now)
                }
                // A reply to something else (a discussion thread) carrying a new draft.
                return try await draftRecord(message, processor.draft(of: message), location: location, sha256: sha256, now: now)
            }
            return try await approval(message, reply, target, location: location, sha256: sha256, now: now)
        }
    }

    /// A mail whose subject names `reply.reference`: for an outgoing statement pending approval it
    /// is an approval reply; for one sent, from outside the IETF side, it is the peer's reply and
    /// becomes a new statement answering it. `nil`: handle it as any reply.
    func reply(
        _ message: MIMEMessage, _ reply: StatementReply, statement: Statement, location: ServerLocation, sha256: String, now: Date
    ) async throws -> ReplyHandling? {
        guard let outgoing = try await store.outgoingStatement(reference: reply.reference) else { return nil }
        switch outgoing.state {
        case .pendingApproval:
            let approval = ApprovalReply.parse(message, prefix: processor.settings.referencePrefix)
                ?? ApprovalReply(reference: reply.reference, answers: [], approved: false, sender: reply.sender)
            let (record, outcome) = try await self.approval(message, approval, outgoing, location: location, sha256: sha256, now: now)
            return .handled(record, outcome)
        case .sent:
            guard let sender = reply.sender, !processor.isIETFSide(sender, of: outgoing) else { return nil }
            var answer = statement
            let clue = ResponseReference(kind: .identifier, value: outgoing.reference.description)
            if !answer.inResponseTo.contains(clue) { answer.inResponseTo.append(clue) }
            if answer.purpose == nil { answer.purpose = .response }
            return .answer(answer)
        case .replied, .closed:
            return nil
        }
    }

    private func draftRecord(
        _ message: MIMEMessage, _ draft: OutgoingDraft, location: ServerLocation, sha256: String, now: Date
    ) async throws -> (IntakeRecord, PollReport.Outcome) {
        let (profile, problems) = processor.check(draft, now: now)
        guard problems.isEmpty else {
            let record = processor.rejectedDraftRecord(
                message: message, draft: draft, profile: profile, problems: problems, location: location, sha256: sha256, now: now)
            let reason: String
            if case .quarantined(let text) = record.disposition { reason = text } else { reason = "draft statement not sent" }
            return (record, .quarantined(uid: location.uid, reason: reason))
        }
        let reference = try await store.nextReference(
            prefix: processor.settings.referencePrefix, year: processor.settings.year(of: now))
        do {
            let record = try processor.submissionRecord(
                message: message, draft: draft, profile: profile, reference: reference, location: location, sha256: sha256, now: now)
            return (record, .recorded(uid: location.uid, reference: reference, state: .routed))
        } catch {
            return quarantine(message, "outgoing statement \(reference) could not be processed: \(error)", location, sha256, now)
        }
    }

    private func approval(
        _ message: MIMEMessage, _ reply: ApprovalReply, _ outgoing: OutgoingStatementRecord, location: ServerLocation,
        sha256: String, now: Date
    ) async throws -> (IntakeRecord, PollReport.Outcome) {
        guard let raw = try await store.receivedMessage(sha256: outgoing.submissionSHA256) else {
            return quarantine(message, "the submitted mail of \(outgoing.reference) is not stored", location, sha256, now)
        }
        do {
            let record = try processor.approvalRecord(
                message: message, reply: reply, outgoing: outgoing, submission: MIMEMessage(bytes: raw, limits: processor.limits),
                location: location, sha256: sha256, now: now)
            return (record, .reply(uid: location.uid, reference: outgoing.reference))
        } catch {
            return quarantine(message, "approval of \(outgoing.reference) could not be processed: \(error)", location, sha256, now)
        }
    }

    private func quarantine(
        _ message: MIMEMessage, _ reason: String, _ location: ServerLocation, _ sha256: String, _ now: Date
    ) -> (IntakeRecord, PollReport.Outcome) {
        (processor.quarantineRecord(message: message, reason: reason, location: location, sha256: sha256, now: now),
         .quarantined(uid: location.uid, reason: reason))
    }
}
