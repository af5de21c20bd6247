import Foundation
public import MIME

/// Mail about invitations to comment (docs/engagement.md): the engagement manager's request to
/// the invitation address, and communities' replies to an invitation.
public enum EngagementMail: Sendable, Equatable {
    /// A request for an invitation, sent to `service.invitation_address`.
    case invitationRequest
    /// A reply to the invitation with this reference (named in the subject, or the invitation's
    /// Message-ID in `In-Reply-To`/`References`).
    case invitationReply(StatementReference)
}

extension IntakeProcessor {
    /// Whether a message is about invitations to comment, and how.
    public func engagementMail(_ message: MIMEMessage) -> EngagementMail? {
        if let address = settings.invitationAddress?.lowercased(),
            routingContext(for: message).intakeAddresses.contains(where: { $0.lowercased() == address })
        {
            return .invitationRequest
        }
        if let subject = message.subject, let reference = StatementReply.reference(in: subject, prefix: Invitation.referencePrefix) {
            return .invitationReply(reference)
        }
        for id in message.inReplyTo + message.references {
            if let reference = Self.invitationReference(inMessageID: id, domain: settings.messageIDDomain) {
                return .invitationReply(reference)
            }
        }
        return nil
    }

    /// The invitation a Message-ID of ours names (`INV-2026-0001.invitation.TOKEN@domain`).
    static func invitationReference(inMessageID id: String, domain: String) -> StatementReference? {
        guard let at = id.lastIndex(of: "@"), id[id.index(after: at)...].lowercased() == domain.lowercased(),
            let first = id[..<at].split(separator: ".").first,
            let reference = StatementReference(first), reference.prefix == Invitation.referencePrefix
        else { return nil }
        return reference
    }

    /// Whether the sender of a message is an engagement manager of the directory (and, with sender
    /// authentication configured, authenticated).
    public func isFromEngagementManager(_ message: MIMEMessage) -> Bool {
        guard let sender = message.from.first?.address.lowercased(),
            router.directory.engagementManagerAddresses.contains(sender)
        else { return false }
        return settings.senderAuthentication.map { $0.evaluate(message).verified } ?? true
    }

    /// The record of a valid request: the invitation, and its mail to every community invited
    /// (each copied to the engagement manager), in one transaction.
    ///
    /// - Throws: when a mail cannot be built; the caller quarantines the request with the reason.
    public func invitationRecord(
        message: MIMEMessage, request: InvitationRequest, reference: StatementReference, location: ServerLocation, sha256: String,
        now: Date
    ) throws -> IntakeRecord {
        let sender = message.from.first.map { Contact(name: $0.displayName, address: $0.address) } ?? settings.liaisonManager
        let invitation = Invitation(
            reference: reference, manager: sender, title: request.title, communities: request.communities, groups: request.groups,
            work: request.work, closing: request.closing, body: request.body, createdAt: now, messageID: message.messageID)
        var outgoing: [OutgoingMessage] = []
        var deliveries: [InvitationDelivery] = []
        for name in request.communities {
            guard let community = router.directory.community(named: name) else { continue }
            let sent = try mail.invitation(invitation, community: community, original: message, directory: router.directory, now: now)
            outgoing.append(sent)
            deliveries.append(InvitationDelivery(community: community.name, messageID: sent.messageID))
        }
        var record = IntakeRecord(
            location: location, raw: message.bytes, sha256: sha256, messageID: message.messageID, receivedAt: now,
            disposition: .invitation(reference), statement: nil, events: [], outgoing: outgoing, destination: settings.processedFolder)
        record.invitation = InvitationRecord(invitation: invitation, deliveries: deliveries)
        return record
    }

    /// The record of a request that is not sent: quarantined with the reason (the liaison manager
    /// is told), and, for an engagement manager's request with problems, the list of problems
    /// back to them.
    public func refusedInvitationRecord(
        message: MIMEMessage, reason: String, problems: [String], location: ServerLocation, sha256: String, now: Date
    ) -> IntakeRecord {
        var record = quarantineRecord(message: message, reason: reason, location: location, sha256: sha256, now: now)
        if !problems.isEmpty, let recipient = AutoReplyPolicy.acknowledgementRecipient(for: message),
            let notice = try? mail.invitationProblems(problems, original: message, recipient: recipient, now: now)
        {
            record.outgoing.append(notice)
        }
        return record
    }

    /// Who collects the replies to an invitation: its engagement manager and those of the
    /// communities invited; the working groups get the summary when it closes.
    public func invitationReplyRouting(for invitation: Invitation) -> RoutingDecision {
        var seen = Set<String>()
        let managers = ([invitation.manager] + invitation.communities.compactMap { router.directory.community(named: $0) }
            .flatMap(\.engagementManagers))
            .filter { seen.insert($0.address.lowercased()).inserted }
        let groups = invitation.groups.joined(separator: ", ")
        return RoutingDecision(
            to: managers, bcc: router.directory.archive,
            reasons: managers.map {
                "\($0.address): engagement manager (reply to \(invitation.reference), collected for the summary to \(groups) on \(invitation.closing))"
            },
            groups: invitation.groups, lead: invitation.groups.first)
    }
}
