import Foundation
public import MIME

/// Statements the IETF sends: drafts mailed to `service.submission_address`, checked against the
/// peer's profile, approved by mail as RFC 4053 requires, then sent (see docs/outgoing.md).
extension IntakeProcessor {
    /// Whether the mail was delivered to the submission address (`Delivered-To`,
    /// `X-Original-To`, `To` or `Cc`).
    public func isSubmission(_ message: MIMEMessage) -> Bool {
        guard let submission = settings.submissionAddress?.address.lowercased() else { return false }
        return routingContext(for: message).intakeAddresses.contains { $0.lowercased() == submission }
    }

    /// The triage of mail to the submission address, or `nil` for everything else (and for loops
    /// and reports, which are handled as usual). Automatic mail there is neither a draft nor an
    /// approval, and is never answered (RFC 3834): it is quarantined.
    func submissionTriage(_ message: MIMEMessage, _ classification: MessageClassification) -> Triage? {
        guard isSubmission(message) else { return nil }
        switch classification {
        case .notAStatement, .report:
            return nil
        case .automaticStatement(let reason):
            return .quarantine(message, reason: "automatic mail to the submission address (\(reason)): neither a draft nor an approval")
        case .statement:
            if let reply = ApprovalReply.parse(message, prefix: settings.referencePrefix) {
                return .submission(message, .approval(reply))
            }
            return .submission(message, .draft(draft(of: message)))
        }
    }

    /// The draft a mail carries, reading the fields every profile requires.
    public func draft(of message: MIMEMessage) -> OutgoingDraft {
        let labels = router.directory.profiles.flatMap(\.requiredFields)
        return OutgoingDraft.parse(message, directory: router.directory, dates: extractor.dates, peerLabels: labels)
    }

    /// The profile a draft is checked against and its problems (profile, directory, approvers).
    public func check(_ draft: OutgoingDraft, now: Date) -> (profile: PeerProfile, problems: [String]) {
        let check = ProfileCheck(directory: router.directory)
        var problems = check.problems(of: draft, today: CalendarDate(now, in: settings.timeZone))
        if !draft.fromGroups.isEmpty, ApprovalPolicy(directory: router.directory).approvers(for: draft.fromGroups).isEmpty {
            problems.append("From: nobody in the directory can approve a statement from \(draft.fromGroups[0].uppercased()) (no area directors)")
        }
        return (check.profile(for: draft), problems)
    }

    /// The record of a draft with problems: nothing is recorded as a statement nor sent; the
    /// list goes back to the submitter (when RFC 3834 allows a reply) and the mail is filed.
    public func rejectedDraftRecord(
        message: MIMEMessage, draft: OutgoingDraft, profile: PeerProfile, problems: [String],
        location: ServerLocation, sha256: String, now: Date
    ) -> IntakeRecord {
        var outgoing: [OutgoingMessage] = []
        let recipient = AutoReplyPolicy.reasonNotToReply(to: message, settings: settings) == nil
            ? AutoReplyPolicy.acknowledgementRecipient(for: message) : nil
        if let recipient,
            let notice = try? mail.draftProblems(draft, problems: problems, profile: profile, original: message, recipient: recipient, now: now)
        {
            outgoing.append(notice)
        }
        let to = outgoing.isEmpty ? "not answered" : "returned to \(recipient?.address ?? "")"
        return IntakeRecord(
            location: location, raw: message.bytes, sha256: sha256, messageID: message.messageID, receivedAt: now,
            disposition: .quarantined(reason: "draft statement not sent, \(problems.count) problem(s), \(to): " + problems.joined(separator: "; ")),
            statement: nil, events: [], outgoing: outgoing, destination: settings.processedFolder)
    }

    /// The record of a checked draft: the statement is recorded under `reference` and either sent
    /// at once (the submitter may approve it, or may state that approval was obtained) or held
    /// while its approvers are asked.
    ///
    /// - Throws: when a mail cannot be built; the caller quarantines the draft.
    public func submissionRecord(
        message: MIMEMessage, draft: OutgoingDraft, profile: PeerProfile, reference: StatementReference,
        location: ServerLocation, sha256: String, now: Date
    ) throws -> IntakeRecord {
        let directory = router.directory
        let policy = ApprovalPolicy(directory: directory)
        let approvers = policy.approvers(for: draft.fromGroups)
        let submitter = draft.submitter?.address ?? "an unknown sender"
        // With sender authentication configured, an unauthenticated submitter has no authority.
        let authentication = settings.senderAuthentication.map { $0.evaluate(message) }
        let trusted = authentication?.verified != false && draft.submitter != nil
        let isApprover = trusted && policy.mayApprove(submitter, groups: draft.fromGroups)
        let priorApproval =
            trusted && draft.claimsPriorApproval
            && policy.mayClaimPriorApproval(
                submitter, groups: draft.fromGroups, organization: draft.toOrganization, liaisonManager: settings.liaisonManager)
        let recipients = OutgoingRecipients(draft: draft, profile: profile, directory: directory, liaisonManager: settings.liaisonManager)
        let recorded = outgoingRecordedStatement(draft, reference: reference, recipients: recipients, messageID: message.messageID, now: now)

        var events = [
            StatementEvent(
                kind: "submitted",
                detail: "outgoing statement to \(draft.toOrganization ?? "?") submitted by \(submitter) in \(location.mailbox) UID \(location.uid)"
                    + (message.messageID.map { ", Message-ID <\($0)>" } ?? "") + "; profile \(profile.name)",
                at: now),
        ]
        if let authentication {
            events.append(StatementEvent(kind: authentication.verified ? "sender-verified" : "sender-unverified", detail: authentication.description, at: now))
        }
        var lifecycle = OutgoingStatementRecord(
            reference: reference, state: .pendingApproval, submitter: submitter, fromGroups: draft.fromGroups,
            peerOrganization: draft.toOrganization, profile: profile.name, approvers: approvers.map(\.address),
            submissionSHA256: sha256, submittedAt: now)
        var outgoing: [OutgoingMessage] = []
        if isApprover || priorApproval {
            let how = isApprover ? "\(submitter), an approver, submitted it" : "prior approval stated by \(submitter)"
            let sent = try mail.outgoingStatement(draft, reference: reference, recipients: recipients, approvedBy: how, now: now)
            outgoing.append(sent)
            lifecycle.state = .sent
            lifecycle.approvers = []
            lifecycle.approvedBy = submitter
            lifecycle.approvedAt = now
            lifecycle.sentMessageID = sent.messageID
            lifecycle.sentAt = now
            events.append(StatementEvent(kind: "approved", detail: "approved: \(how)", at: now))
            events.append(sentEvent(sent, recipients: recipients, now: now))
        } else {
            var note: String?
            if draft.claimsPriorApproval {
                note = "The submitter states that approval was obtained, but \(submitter) "
                    + (trusted ? "is not an approver, a chair of the group or a liaison manager" : "could not be authenticated")
                    + "; approval is asked."
            }
            let request = try mail.approvalRequest(
                draft, reference: reference, approvers: approvers, profile: profile, recipients: recipients, note: note, now: now)
            outgoing.append(request)
            lifecycle.approvalMessageID = request.messageID
            events.append(
                StatementEvent(
                    kind: "approval-requested",
                    detail: "approval asked of " + approvers.map(\.address).joined(separator: ", ") + (note.map { " (\($0))" } ?? ""),
                    at: now))
        }
        var record = IntakeRecord(
            location: location, raw: message.bytes, sha256: sha256, messageID: message.messageID, receivedAt: now,
            disposition: .statement(reference), statement: recorded, events: events, outgoing: outgoing,
            destination: settings.processedFolder)
        record.outgoingStatement = .submitted(lifecycle)
        return record
    }

    /// The record of a reply to an approval request: an authorized `Approved` sends the statement;
    /// anything else is only logged in the statement's history (`approval-ignored`, `reply`).
    ///
    /// - Parameter submission: the draft's mail as submitted (its attachments are sent).
    /// - Throws: when the statement's mail cannot be built.
    public func approvalRecord(
        message: MIMEMessage, reply: ApprovalReply, outgoing: OutgoingStatementRecord, submission: MIMEMessage,
        location: ServerLocation, sha256: String, now: Date
    ) throws -> IntakeRecord {
        let sender = reply.sender ?? "an unknown sender"
        let policy = ApprovalPolicy(directory: router.directory)
        let authentication = settings.senderAuthentication.map { $0.evaluate(message) }
        var events: [StatementEvent] = []
        var mails: [OutgoingMessage] = []
        var change: OutgoingStatementChange?
        if !reply.approved {
            events.append(StatementEvent(kind: "reply", detail: "mail about the statement from \(sender): \(message.subject ?? "")", at: now))
        } else if let automatic = AutoReplyPolicy.reasonNotToReply(to: message, settings: settings) {
            // An auto-responder quoting the request is nobody's approval.
            events.append(StatementEvent(kind: "approval-ignored", detail: "Approved from \(sender) ignored: automatic mail (\(automatic))", at: now))
        } else if outgoing.state != .pendingApproval {
            events.append(StatementEvent(kind: "approval-ignored", detail: "Approved from \(sender) ignored: the statement is already \(outgoing.state)", at: now))
        } else if authentication?.verified == false {
            events.append(
                StatementEvent(
                    kind: "approval-ignored", detail: "Approved from \(sender) ignored: sender not authenticated (\(authentication?.detail ?? ""))",
                    at: now))
        } else if !policy.mayApprove(sender, groups: outgoing.fromGroups) {
            events.append(
                StatementEvent(kind: "approval-ignored", detail: "Approved from \(sender) ignored: not an approver of \(outgoing.fromGroups.first?.uppercased() ?? "?")", at: now))
        } else {
            let draft = self.draft(of: submission)
            let profile = ProfileCheck(directory: router.directory).profile(for: draft)
            let recipients = OutgoingRecipients(draft: draft, profile: profile, directory: router.directory, liaisonManager: settings.liaisonManager)
            let sent = try mail.outgoingStatement(draft, reference: outgoing.reference, recipients: recipients, approvedBy: sender, now: now)
            mails.append(sent)
            change = .approved(outgoing.reference, by: sender, sentMessageID: sent.messageID)
            events.append(StatementEvent(kind: "approved", detail: "approved by \(sender)", at: now))
            events.append(sentEvent(sent, recipients: recipients, now: now))
        }
        var record = IntakeRecord(
            location: location, raw: message.bytes, sha256: sha256, messageID: message.messageID, receivedAt: now,
            disposition: .statement(outgoing.reference), statement: nil, events: events, outgoing: mails,
            destination: settings.processedFolder)
        record.outgoingStatement = change
        return record
    }

    /// Whether `address` is on the IETF side of an outgoing statement (its submitter, approvers,
    /// the From groups' chairs and lists, the liaison managers): their mail about it is
    /// discussion, not the peer's reply.
    public func isIETFSide(_ address: String, of outgoing: OutgoingStatementRecord) -> Bool {
        let policy = ApprovalPolicy(directory: router.directory)
        let lower = address.lowercased()
        if lower == outgoing.submitter.lowercased() || outgoing.approvers.contains(where: { $0.lowercased() == lower }) { return true }
        if policy.mayClaimPriorApproval(
            address, groups: outgoing.fromGroups, organization: outgoing.peerOrganization, liaisonManager: settings.liaisonManager)
        {
            return true
        }
        return router.directory.addressee(forAddress: address) != nil
    }

    /// The statement row of an outgoing statement. The peer's contacts stay out of `toContacts`
    /// and the routing names the From groups' chairs, so deadline reminders go to the From group.
    func outgoingRecordedStatement(
        _ draft: OutgoingDraft, reference: StatementReference, recipients: OutgoingRecipients, messageID: String?, now: Date
    ) -> RecordedStatement {
        var statement = Statement(layout: .datatracker)
        statement.title = draft.title
        statement.submissionDate = CalendarDate(now, in: settings.timeZone)
        statement.fromOrganization = draft.toOrganization
        statement.fromGroups = draft.fromText.map { [$0] } ?? []
        statement.fromContacts = draft.submitter.map { [$0] } ?? []
        statement.toGroups = draft.toText.map { [$0] } ?? []
        statement.ccContacts = draft.ccContacts
        statement.responseContacts = draft.responseContacts
        statement.technicalContacts = draft.technicalContacts
        statement.purpose = draft.purpose
        statement.deadline = draft.deadline
        statement.identifiers = [reference.description]
        statement.body = draft.body
        statement.attachments = draft.attachments.map {
            AttachmentSummary(filename: $0.filename, contentType: $0.contentType, size: $0.bytes.count, sha256: SHA256.hex(of: $0.bytes))
        }
        let chairs = draft.fromGroups.compactMap { router.directory.groups[$0]?.chairs }
        let routing = RoutingDecision(
            to: chairs.isEmpty ? recipients.fromGroupContacts : chairs,
            reasons: ["outgoing statement to \(draft.toOrganization ?? "?"): sent to " + recipients.to.map(\.address).joined(separator: ", ")],
            groups: draft.fromGroups, lead: draft.fromGroups.first)
        return RecordedStatement(
            reference: reference, statement: statement, state: .routed, routing: routing, recordedAt: now, messageID: messageID,
            sender: draft.submitter)
    }

    private func sentEvent(_ sent: OutgoingMessage, recipients: OutgoingRecipients, now: Date) -> StatementEvent {
        StatementEvent(
            kind: "sent",
            detail: "sent to " + recipients.to.map(\.address).joined(separator: ", ") + "; copies to "
                + recipients.cc.map(\.address).joined(separator: ", ") + "; Message-ID <\(sent.messageID)>",
            at: now)
    }
}
