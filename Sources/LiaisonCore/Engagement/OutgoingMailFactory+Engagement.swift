import Foundation
import MIME

extension OutgoingMailFactory {
    /// The invitation to one community: to its contacts, copied to the engagement manager, from
    /// the service address (so replies come back to the intake mailbox and are collected).
    /// `Auto-Submitted: auto-generated`; the reference (`INV-…`) in the subject and Message-ID.
    /// Per-community versions of the `invitation` template apply.
    public func invitation(
        _ invitation: Invitation, community: Organization, original: MIMEMessage, directory: Directory, now: Date
    ) throws -> OutgoingMessage {
        var builder = base(kind: .invitation, reference: invitation.reference, now: now)
        var seen = Set<String>()
        let to = community.contacts.filter { seen.insert($0.address.lowercased()).inserted }
        let cc = ([invitation.manager] + community.engagementManagers).filter { seen.insert($0.address.lowercased()).inserted }
        builder.to = to.map(MailAddress.init)
        builder.cc = cc.map(MailAddress.init)
        builder.subject = "[\(invitation.reference)] Invitation to comment: \(invitation.title)"
        builder.addHeader("Auto-Submitted", "auto-generated")
        var fields = invitationFields(invitation, directory: directory)
        fields["community"] = .string(community.name)
        builder.textBody = try renderText("invitation", organization: community.name, context: .object(fields))
        return try finish(
            builder, kind: .invitation, reference: nil, sender: settings.serviceAddress.address, recipients: (to + cc).map(\.address))
    }

    /// The problems of an invitation request, back to its sender (RFC 3834 `auto-replied`, null
    /// envelope sender); nothing was sent to any community.
    public func invitationProblems(_ problems: [String], original: MIMEMessage, recipient: MailAddress, now: Date) throws
        -> OutgoingMessage
    {
        var builder = autoReply(kind: .invitationProblems, reference: nil, to: recipient, answering: original, now: now)
        builder.subject = "Invitation not sent: \(original.subject ?? "(no subject)")"
        builder.textBody = try templates.render(
            "invitation-problems",
            context: .object([
                "problems": .list(problems.map { .string($0) }),
                "subject": .string(original.subject ?? "(no subject)"),
                "invitation_address": .string(settings.invitationAddress ?? ""),
                "service_address": .string(settings.serviceAddress.description),
                "liaison_manager": .string(settings.liaisonManager.description),
            ]))
        return try finish(builder, kind: .invitationProblems, reference: nil, sender: "", recipients: [recipient.address])
    }

    /// The reminder to the engagement manager that an invitation closes in `daysLeft` days, with
    /// the replies so far and the communities that have not answered.
    public func invitationReminder(
        _ invitation: Invitation, replies: [InvitationReply], daysLeft: Int, directory: Directory, now: Date
    ) throws -> OutgoingMessage {
        var builder = base(kind: .invitationReminder, reference: invitation.reference, now: now)
        builder.to = [MailAddress(invitation.manager)]
        builder.subject =
            "[\(invitation.reference)] Closes in \(daysLeft) day\(daysLeft == 1 ? "" : "s"), "
            + "\(replies.count) repl\(replies.count == 1 ? "y" : "ies"): \(invitation.title)"
        if let id = invitation.messageID, OutgoingHeaderText.isUsableMessageID(id) { builder.references = [id] }
        builder.addHeader("Auto-Submitted", "auto-generated")
        var fields = invitationFields(invitation, directory: directory, replies: replies)
        fields["days_left"] = .string(String(daysLeft))
        builder.textBody = try renderText("invitation-reminder", organization: nil, context: .object(fields))
        return try finish(
            builder, kind: .invitationReminder, reference: nil, sender: settings.serviceAddress.address,
            recipients: [invitation.manager.address])
    }

    /// The summary of the replies, to the working groups the work belongs to (their liaison
    /// contacts, else chairs and list), copied to the engagement manager; on the closing date.
    public func invitationSummary(_ invitation: Invitation, replies: [InvitationReply], directory: Directory, now: Date) throws
        -> OutgoingMessage
    {
        var builder = base(kind: .invitationSummary, reference: invitation.reference, now: now)
        var seen = Set<String>()
        var to: [Contact] = []
        for acronym in invitation.groups {
            guard let group = directory.groups[acronym] else { continue }
            to += group.liaisonContacts.isEmpty ? [group.chairs, group.list].compactMap(\.self) : group.liaisonContacts
        }
        to = to.filter { seen.insert($0.address.lowercased()).inserted }
        var cc = ([invitation.manager] + invitation.communities.compactMap { directory.community(named: $0) }.flatMap(\.engagementManagers))
            .filter { seen.insert($0.address.lowercased()).inserted }
        // Groups that left the directory: the engagement manager forwards the summary by hand.
        if to.isEmpty { (to, cc) = (cc, []) }
        builder.to = to.map(MailAddress.init)
        builder.cc = cc.map(MailAddress.init)
        builder.replyTo = [MailAddress(invitation.manager)]
        builder.subject =
            "[\(invitation.reference)] Community comments on \(invitation.work.isEmpty ? invitation.title : invitation.work.joined(separator: ", ")): "
            + (replies.isEmpty ? "no replies" : "\(replies.count) repl\(replies.count == 1 ? "y" : "ies")")
        builder.addHeader("Auto-Submitted", "auto-generated")
        builder.textBody = try renderText(
            "invitation-summary", organization: nil, context: .object(invitationFields(invitation, directory: directory, replies: replies)))
        return try finish(
            builder, kind: .invitationSummary, reference: nil, sender: settings.serviceAddress.address,
            recipients: (to + cc).map(\.address))
    }

    /// The fields of the invitation templates: the invitation, and its replies so far.
    func invitationFields(_ invitation: Invitation, directory: Directory, replies: [InvitationReply] = []) -> [String: TemplateValue] {
        let groups = invitation.groups.map { acronym in
            directory.groups[acronym].map { "\($0.acronym.uppercased()) (\($0.name))" } ?? acronym.uppercased()
        }
        let answered = Set(replies.compactMap(\.community))
        let silent = invitation.communities.filter { !answered.contains($0) }
        let entries: [TemplateValue] = replies.map { reply in
            .object([
                "statement": .string(reply.statement.description),
                "community": .string(reply.community ?? "(community unknown)"),
                "sender": .string(reply.sender?.description ?? "(unknown)"),
                "date": .string(CalendarDate(reply.receivedAt, in: settings.timeZone)?.description ?? ""),
                "excerpt": .string(reply.excerpt.isEmpty ? "(no text)" : reply.excerpt),
            ])
        }
        return [
            "reference": .string(invitation.reference.description),
            "title": .string(invitation.title),
            "work": .list(invitation.work.map { .string($0) }),
            "work_text": .string(invitation.work.isEmpty ? "(none named)" : invitation.work.joined(separator: ", ")),
            "groups": .list(groups.map { .string($0) }),
            "groups_text": .string(groups.joined(separator: ", ")),
            "communities": .list(invitation.communities.map { .string($0) }),
            "communities_text": .string(invitation.communities.joined(separator: ", ")),
            "closing": .string(invitation.closing.description),
            "body": .string(invitation.body),
            "manager": .string(invitation.manager.description),
            "replies": .list(entries),
            "has_replies": .bool(!replies.isEmpty),
            "reply_count": .string(String(replies.count)),
            "reply_word": .string(replies.count == 1 ? "reply" : "replies"),
            "silent_communities": .list(silent.map { .string($0) }),
            "has_silent_communities": .bool(!silent.isEmpty),
            "silent_communities_text": .string(silent.isEmpty ? "none" : silent.joined(separator: ", ")),
            "service_address": .string(settings.serviceAddress.description),
            "liaison_manager": .string(settings.liaisonManager.description),
        ]
    }
}
