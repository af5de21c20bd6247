import Foundation
public import MIME

/// Turns one received message into everything that must be committed for it: the statement,
/// its routing, its history and the mail to send — or a quarantine record with the reason.
///
/// Pure: it reads no clock and touches no server; ``MailboxPoller`` calls it between the fetch
/// and the commit.
public struct IntakeProcessor: Sendable {
    /// Pipeline settings.
    public var settings: IntakeSettings
    /// Reads statements.
    public var extractor: StatementExtractor
    /// Chooses recipients.
    public var router: Router
    /// Builds outgoing mail.
    public var mail: OutgoingMailFactory
    /// Parser limits for incoming mail.
    public var limits: MIMELimits

    /// Creates a processor.
    public init(
        settings: IntakeSettings,
        extractor: StatementExtractor,
        router: Router,
        mail: OutgoingMailFactory,
        limits: MIMELimits = .default
    ) {
        self.settings = settings
        self.extractor = extractor
        self.router = router
        self.mail = mail
        self.limits = limits
    }

    /// The first decision about a message, before a reference number is allocated.
    public enum Triage: Sendable {
        /// A statement to record; `acknowledge` is the reason not to acknowledge, or nil to acknowledge.
        case statement(MIMEMessage, Statement, noAcknowledgementReason: String?)
        /// A message to quarantine.
        case quarantine(MIMEMessage, reason: String)
        /// A mail about a statement already recorded (its reference is in the subject). When no
        /// such statement exists, `statement` says how to handle the mail as a new one instead.
        case reply(MIMEMessage, StatementReply, statement: Statement, noAcknowledgementReason: String?)
        /// A delivery or disposition report (DSN, MDN, ARF) or a bounce: attached to what it
        /// concerns (see ``reportRecord(message:report:target:location:sha256:now:)``).
        case report(MIMEMessage, DeliveryReport)
        /// Mail of a community without a liaison relationship about an invitation to comment: a
        /// request to the invitation address, or a reply to an invitation (docs/engagement.md).
        /// `statement` says how to handle it as a statement when it turns out to be none.
        case engagement(MIMEMessage, EngagementMail, statement: Statement, noAcknowledgementReason: String?)
        /// Mail to the submission address: a draft statement for the IETF to send, or an answer
        /// to an approval request (see ``submissionTriage(_:_:)``).
        case submission(MIMEMessage, SubmissionMail)
    }

    /// Parses and classifies a message and extracts its statement.
    public func triage(_ raw: [UInt8]) -> Triage {
        let message = MIMEMessage(bytes: raw, limits: limits)
        let classification = MessageClassification.classify(message, settings: settings)
        if let submission = submissionTriage(message, classification) { return submission }
        switch classification {
        case .notAStatement(let reason):
            return .quarantine(message, reason: reason)
        case .report(let report):
            return .report(message, report)
        case .automaticStatement(let reason):
            if engagementMail(message) == .invitationRequest {
                return .quarantine(message, reason: "automatic mail to the invitation address \(settings.invitationAddress ?? "")")
            }
            if let reply = StatementReply.parse(message, prefix: settings.referencePrefix, dates: extractor.dates) {
                return .reply(message, reply, statement: extract(message), noAcknowledgementReason: reason)
            }
            return .statement(message, extract(message), noAcknowledgementReason: reason)
        case .statement:
            let reason = settings.sendsAcknowledgements ? nil : "acknowledgements are disabled"
            if let engagement = engagementMail(message) {
                return .engagement(message, engagement, statement: extract(message), noAcknowledgementReason: reason)
            }
            if let reply = StatementReply.parse(message, prefix: settings.referencePrefix, dates: extractor.dates) {
                return .reply(message, reply, statement: extract(message), noAcknowledgementReason: reason)
            }
            return .statement(message, extract(message), noAcknowledgementReason: reason)
        }
    }

    /// The statement of a message, with its sender's authentication when a policy is configured.
    public func extract(_ message: MIMEMessage) -> Statement {
        var statement = extractor.extract(from: message)
        CommunityFeedback.adjust(&statement, message: message, directory: router.directory)
        settings.senderAuthentication?.apply(to: &statement, message: message)
        return statement
    }

    /// Who may close or extend a statement by mail: the chairs and liaison contacts of its groups,
    /// the directors of their areas, the liaison manager and the sending organization's managers.
    public func authorizedAddresses(for recorded: RecordedStatement) -> Set<String> {
        let directory = router.directory
        var contacts: [Contact] = [settings.liaisonManager]
        for acronym in recorded.routing.groups {
            if let group = directory.groups[acronym] {
                contacts += [group.chairs].compactMap(\.self) + group.liaisonContacts
                if let area = group.area.flatMap({ directory.areas[$0] }) { contacts += area.directors }
            } else if let area = directory.areas[acronym] {
                contacts += area.directors
            }
        }
        if let name = recorded.statement.fromOrganization, let organization = directory.organization(named: name) {
            contacts += organization.liaisonManagers
        }
        return Set(contacts.map { $0.address.lowercased() })
    }

    /// Builds the record of a reply to a recorded statement: its command is applied when the
    /// sender is authorized, and ignored (and logged in the statement's history) otherwise.
    /// `Action: taken` on a statement not `alreadyClosed` also sends the closed notice.
    public func replyRecord(
        message: MIMEMessage,
        reply: StatementReply,
        recorded: RecordedStatement,
        location: ServerLocation,
        sha256: String,
        now: Date,
        alreadyClosed: Bool = false
    ) -> IntakeRecord {
        let sender = reply.sender ?? "an unknown sender"
        var events: [StatementEvent] = []
        var change: StatementChange?
        var outgoing: [OutgoingMessage] = []
        // With sender authentication configured, a command counts only from an authenticated sender.
        let authenticated = settings.senderAuthentication.map { $0.evaluate(message) }
        let authorized =
            (reply.sender.map { authorizedAddresses(for: recorded).contains($0.lowercased()) } ?? false)
            && authenticated?.verified != false
        switch reply.command {
        case nil:
            events.append(StatementEvent(kind: "reply", detail: "mail about the statement from \(sender): \(message.subject ?? "")", at: now))
        case .taken? where authorized:
            change = .close(reason: "action taken, said by \(sender)")
            events.append(StatementEvent(kind: "closed", detail: "action taken, said by \(sender)", at: now))
            outgoing += closedNotices(for: alreadyClosed ? [] : [recorded], reason: "action taken, said by \(sender)", now: now)
        case .extend(let date)? where authorized:
            change = .extend(deadline: date)
            let previous = recorded.statement.deadline.map { " from \($0)" } ?? ""
            events.append(StatementEvent(kind: "extended", detail: "deadline moved\(previous) to \(date) by \(sender)", at: now))
            outgoing += extensionNotices(for: recorded, to: date, by: sender, events: &events, now: now)
        case let command?:
            events.append(
                StatementEvent(
                    kind: "command-ignored",
                    detail: "\(command) from \(sender) ignored: "
                        + (authenticated?.verified == false
                            ? "sender not authenticated (\(authenticated?.detail ?? ""))" : "not an authorized address"),
                    at: now))
        }
        return IntakeRecord(
            location: location,
            raw: message.bytes,
            sha256: sha256,
            messageID: message.messageID,
            receivedAt: now,
            disposition: .statement(recorded.reference),
            statement: nil,
            events: events,
            outgoing: outgoing,
            destination: settings.processedFolder,
            change: change
        )
    }

    /// Builds the record of a statement: routing, events, forwarded copy and acknowledgement.
    ///
    /// - Throws: when a mail cannot be built (for example a header would carry a line break);
    ///   the caller quarantines the message with that reason.
    public func statementRecord(
        message: MIMEMessage,
        statement: Statement,
        noAcknowledgementReason: String?,
        reference: StatementReference,
        location: ServerLocation,
        sha256: String,
        now: Date,
        answers: [StatementReference] = [],
        routing chosen: RoutingDecision? = nil
    ) throws -> IntakeRecord {
        var routing = chosen ?? router.route(statement, context: routingContext(for: message))
        if let authentication = statement.senderAuthentication, !authentication.verified {
            // A sender we could not authenticate is not taken at its word: only the liaison
            // manager sees the statement, and nothing is sent back to the claimed sender.
            routing = RoutingDecision(
                to: [settings.liaisonManager], bcc: routing.bcc,
                reasons: ["\(settings.liaisonManager.address): liaison manager (triage: sender not authenticated)"],
                isTriage: true)
        }
        let noAcknowledgementReason =
            statement.senderAuthentication?.verified == false
            ? noAcknowledgementReason ?? "the sender is not authenticated" : noAcknowledgementReason
        let state: StatementState = statement.needsTriage || routing.isTriage ? .needsTriage : .routed
        if state == .needsTriage && !routing.isTriage {
            let missing = statement.missing.map(\.description).joined(separator: ", ")
            if !routing.allAddresses.contains(where: { $0.lowercased() == settings.liaisonManager.address.lowercased() }) {
                routing.cc.append(settings.liaisonManager)
                routing.reasons.append("\(settings.liaisonManager.address): liaison manager (triage: missing \(missing))")
            }
        }
        let sender = message.from.first.map { Contact(name: $0.displayName, address: $0.address) }
        let record = RecordedStatement(
            reference: reference,
            statement: statement,
            state: state,
            routing: routing,
            recordedAt: now,
            messageID: message.messageID,
            sender: sender
        )
        var events = [
            StatementEvent(
                kind: "received",
                detail: "received from \(sender?.address ?? "unknown sender") in \(location.mailbox) UID \(location.uid)"
                    + (message.messageID.map { ", Message-ID <\($0)>" } ?? ""),
                at: now),
        ]
        for answered in answers where answered != reference {
            events.append(StatementEvent(kind: "in-response-to", detail: "answers \(answered)", at: now))
        }
        if let authentication = statement.senderAuthentication {
            events.append(
                StatementEvent(
                    kind: authentication.verified ? "sender-verified" : "sender-unverified",
                    detail: authentication.description, at: now))
        }
        if state == .needsTriage {
            let missing = statement.missing.map(\.description)
            var why = missing.isEmpty ? "no known group addressed" : "missing " + missing.joined(separator: ", ")
            if statement.senderAuthentication?.verified == false { why = "sender not authenticated" + (missing.isEmpty ? "" : "; " + why) }
            if !statement.triageReasons.isEmpty {
                why += " (" + statement.triageReasons.map(\.description).joined(separator: "; ") + ")"
            }
            events.append(StatementEvent(kind: "triage", detail: "needs triage: \(why)", at: now))
        }
        events.append(
            StatementEvent(
                kind: "routed",
                detail: "copy to " + routing.allAddresses.joined(separator: ", ")
                    + (routing.groups.isEmpty ? "" : " (groups: \(routing.groups.joined(separator: ", "))")
                    + (routing.groups.count > 1 ? ", lead \(routing.lead ?? "-"))" : routing.groups.isEmpty ? "" : ")"),
                at: now))
        for note in routing.notes {
            events.append(StatementEvent(kind: "ad-added", detail: note, at: now))
        }

        var outgoing = [try mail.forward(record, original: message, directory: router.directory, now: now)]
        if let reason = noAcknowledgementReason {
            events.append(StatementEvent(kind: "no-acknowledgement", detail: "no acknowledgement: \(reason)", at: now))
        } else if let recipient = AutoReplyPolicy.acknowledgementRecipient(for: message) {
            outgoing.append(
                try mail.acknowledgement(record, original: message, recipient: recipient, directory: router.directory, now: now))
            events.append(StatementEvent(kind: "acknowledged", detail: "acknowledgement to \(recipient.address)", at: now))
        }
        return IntakeRecord(
            location: location,
            raw: message.bytes,
            sha256: sha256,
            messageID: message.messageID,
            receivedAt: now,
            disposition: .statement(reference),
            statement: record,
            events: events,
            outgoing: outgoing,
            destination: settings.processedFolder,
            answers: answers.filter { $0 != reference }
        )
    }

    /// The closed notices of statements that were open and are now closed. A notice that cannot
    /// be built (a header with a line break) is left out: closing matters more than telling.
    public func closedNotices(for closed: [RecordedStatement], reason: String, now: Date) -> [OutgoingMessage] {
        closed.compactMap { try? mail.closedNotice($0, reason: reason, directory: router.directory, now: now) }
    }

    /// Where the message was delivered (`Delivered-To`, `X-Original-To`, `To`, `Cc`) and its subject,
    /// for rules and plus-addressed intake.
    public func routingContext(for message: MIMEMessage) -> RoutingContext {
        var addresses: [String] = []
        for name in ["Delivered-To", "X-Original-To"] {
            for value in message.header.values(name) {
                addresses += MailAddress.parseList(value).map(\.address)
            }
        }
        addresses += (message.to + message.cc).map(\.address)
        var seen = Set<String>()
        return RoutingContext(
            intakeAddresses: addresses.filter { seen.insert($0.lowercased()).inserted }, subject: message.subject)
    }

    /// Builds the record of a quarantined message, with the notice to the liaison manager.
    ///
    /// If even the notice cannot be built, the message is still recorded and quarantined.
    public func quarantineRecord(
        message: MIMEMessage,
        reason: String,
        location: ServerLocation,
        sha256: String,
        now: Date
    ) -> IntakeRecord {
        let notice = try? mail.quarantineNotice(reason: reason, original: message, location: location, sha256: sha256, now: now)
        return IntakeRecord(
            location: location,
            raw: message.bytes,
            sha256: sha256,
            messageID: message.messageID,
            receivedAt: now,
            disposition: .quarantined(reason: reason),
            statement: nil,
            events: [],
            outgoing: notice.map { [$0] } ?? [],
            destination: settings.quarantineFolder
        )
    }
}
