import Foundation
public import MIME

/// Handles the engagement mail ``IntakeProcessor/triage(_:)`` recognised, with the store: an
/// invitation request is checked and recorded (its invitations queued); a reply to a known
/// invitation is recorded as a statement from its community, linked to the invitation, and
/// collected by the engagement manager.
public struct EngagementIntake: Sendable {
    private let store: any StatementStore
    private let processor: IntakeProcessor

    /// Creates the handler; invitations need a store that is also an ``EngagementStore``.
    public init(store: any StatementStore, processor: IntakeProcessor) {
        self.store = store
        self.processor = processor
    }

    /// The record and outcome of an engagement mail, or `nil` when it is to be handled as a
    /// statement (a reply naming no recorded invitation).
    public func record(
        _ message: MIMEMessage, _ mail: EngagementMail, statement: Statement, noAcknowledgementReason: String?, location: ServerLocation,
        sha256: String, now: Date
    ) async throws -> (IntakeRecord, PollReport.Outcome)? {
        let engagement = store as? any EngagementStore
        switch mail {
        case .invitationRequest:
            return try await request(message, engagement: engagement, location: location, sha256: sha256, now: now)
        case .invitationReply(let reference):
            guard let engagement, let invitation = try await engagement.invitation(reference: reference) else { return nil }
            return try await reply(
                message, to: invitation, statement: statement, noAcknowledgementReason: noAcknowledgementReason,
                engagement: engagement, location: location, sha256: sha256, now: now)
        }
    }

    private func request(
        _ message: MIMEMessage, engagement: (any EngagementStore)?, location: ServerLocation, sha256: String, now: Date
    ) async throws -> (IntakeRecord, PollReport.Outcome) {
        let sender = message.from.first?.address ?? "an unknown sender"
        func refused(_ reason: String, problems: [String] = []) -> (IntakeRecord, PollReport.Outcome) {
            (
                processor.refusedInvitationRecord(
                    message: message, reason: reason, problems: problems, location: location, sha256: sha256, now: now),
                .quarantined(uid: location.uid, reason: reason)
            )
        }
        guard processor.isFromEngagementManager(message) else {
            return refused("invitation request from \(sender) ignored: not a configured (or not an authenticated) engagement manager")
        }
        guard engagement != nil else { return refused("invitation request from \(sender): this store keeps no invitations") }
        let parsed = InvitationRequest.parse(
            message, directory: processor.router.directory, dates: processor.extractor.dates,
            today: CalendarDate(now, in: processor.settings.timeZone))
        switch parsed {
        case .failure(let problems):
            return refused("invitation request from \(sender) not sent: \(problems)", problems: problems.problems)
        case .success(let request):
            let reference = try await store.nextReference(prefix: Invitation.referencePrefix, year: processor.settings.year(of: now))
            do {
                let record = try processor.invitationRecord(
                    message: message, request: request, reference: reference, location: location, sha256: sha256, now: now)
                return (record, .recorded(uid: location.uid, reference: reference, state: .routed))
            } catch {
                return refused("invitation \(reference) could not be built: \(error)")
            }
        }
    }

    private func reply(
        _ message: MIMEMessage, to invitation: Invitation, statement: Statement, noAcknowledgementReason: String?,
        engagement: any EngagementStore, location: ServerLocation, sha256: String, now: Date
    ) async throws -> (IntakeRecord, PollReport.Outcome) {
        let directory = processor.router.directory
        var statement = statement
        // The community: the one whose invitation it answers, else the sender's, when invited.
        var community = try await engagement.invitationDelivery(messageIDs: message.inReplyTo + message.references)
            .flatMap { $0.invitation == invitation.reference ? $0.community : nil }
        if community == nil, let name = statement.fromOrganization, let found = directory.community(named: name),
            invitation.communities.contains(found.name)
        {
            community = found.name
        }
        if let community { statement.fromOrganization = community }
        if statement.toGroups.isEmpty { statement.toGroups = invitation.groups }
        CommunityFeedback.adjust(&statement, message: message, directory: directory, answering: true)

        var noAcknowledgementReason = noAcknowledgementReason
        if noAcknowledgementReason == nil {
            noAcknowledgementReason = try await store.acknowledgementRateLimitReason(
                for: message, limit: processor.settings.acknowledgementsPerSenderPerDay, now: now)
        }
        let reference = try await store.nextReference(
            prefix: processor.settings.referencePrefix, year: processor.settings.year(of: now))
        do {
            var record = try processor.statementRecord(
                message: message, statement: statement, noAcknowledgementReason: noAcknowledgementReason, reference: reference,
                location: location, sha256: sha256, now: now, routing: processor.invitationReplyRouting(for: invitation))
            let sender = message.from.first.map { Contact(name: $0.displayName, address: $0.address) }
            record.events.append(
                StatementEvent(
                    kind: "invitation-reply",
                    detail: "answers invitation \(invitation.reference)" + (community.map { " (community \($0))" } ?? ""), at: now))
            record.invitationReply = InvitationReply(
                invitation: invitation.reference, statement: reference, community: community, sender: sender, receivedAt: now,
                excerpt: InvitationReply.excerpt(of: statement.body.isEmpty ? (message.textBody() ?? "") : statement.body))
            return (record, .recorded(uid: location.uid, reference: reference, state: record.statement?.state ?? .routed))
        } catch {
            let reason = "reply \(reference) to invitation \(invitation.reference) could not be processed: \(error)"
            return (
                processor.quarantineRecord(message: message, reason: reason, location: location, sha256: sha256, now: now),
                .quarantined(uid: location.uid, reason: reason)
            )
        }
    }
}
