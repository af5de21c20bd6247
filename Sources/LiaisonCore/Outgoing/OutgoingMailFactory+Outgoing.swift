import Foundation
public import MIME

/// The mail of outgoing statements: the problems of a draft back to its submitter, the approval
/// request, and the statement itself to the peer. Headers are code, as everywhere (RFC 3834).
extension OutgoingMailFactory {
    /// The problems of a draft, to its submitter (RFC 3834: `auto-replied`, null envelope sender,
    /// `In-Reply-To` the draft). Nothing was recorded or sent.
    public func draftProblems(
        _ draft: OutgoingDraft, problems: [String], profile: PeerProfile, original: MIMEMessage, recipient: MailAddress, now: Date
    ) throws -> OutgoingMessage {
        var builder = autoReply(kind: .draftProblems, reference: nil, to: recipient, answering: original, now: now)
        builder.subject = "Draft statement not sent: \(draft.title ?? original.subject ?? "(no title)")"
        var fields = draftFields(draft, reference: nil)
        fields["problems"] = .list(problems.map { .string($0) })
        fields["problem_count"] = .string(String(problems.count))
        fields["profile"] = .string(profile.name)
        fields["original_subject"] = .string(original.subject ?? "(no subject)")
        builder.textBody = try renderText("draft-problems", organization: draft.toOrganization, context: .object(fields))
        return try finish(builder, kind: .draftProblems, reference: nil, sender: "", recipients: [recipient.address])
    }

    /// The request to the approvers (`auto-generated`), copied to the submitter; replies go to the
    /// submission address and are recognised by the reference in the subject or `In-Reply-To`.
    public func approvalRequest(
        _ draft: OutgoingDraft, reference: StatementReference, approvers: [Contact], profile: PeerProfile,
        recipients: OutgoingRecipients, note: String?, now: Date
    ) throws -> OutgoingMessage {
        var builder = base(kind: .approvalRequest, reference: reference, now: now)
        builder.to = approvers.map(MailAddress.init)
        let submitter = draft.submitter.map { [$0] } ?? []
        builder.cc = submitter.filter { s in !approvers.contains { $0.address.lowercased() == s.address.lowercased() } }
            .map(MailAddress.init)
        if let submission = settings.submissionAddress { builder.replyTo = [MailAddress(submission)] }
        builder.subject = "[\(reference)] Approval needed: \(draft.title ?? "(no title)")"
        builder.addHeader("Auto-Submitted", "auto-generated")
        var fields = draftFields(draft, reference: reference)
        fields["approvers"] = .list(approvers.map { .string($0.description) })
        fields["profile"] = .string(profile.name)
        fields["recipients"] = .list(recipients.to.map { .string($0.description) })
        fields["copies"] = .list(recipients.cc.map { .string($0.description) })
        fields["has_note"] = .bool(note != nil)
        fields["note"] = .string(note ?? "")
        builder.textBody = try renderText("approval-request", organization: draft.toOrganization, context: .object(fields))
        return try finish(
            builder, kind: .approvalRequest, reference: reference, sender: settings.serviceAddress.address,
            recipients: (approvers + builder.cc.map { Contact(name: $0.displayName, address: $0.address) }).map(\.address))
    }

    /// The statement itself, to the peer's liaison address and named contacts, copied as
    /// ``OutgoingRecipients`` says, with the draft's attachments as submitted.
    public func outgoingStatement(
        _ draft: OutgoingDraft, reference: StatementReference, recipients: OutgoingRecipients, approvedBy: String, now: Date
    ) throws -> OutgoingMessage {
        var builder = base(kind: .outgoingStatement, reference: reference, now: now)
        builder.to = recipients.to.map(MailAddress.init)
        builder.cc = recipients.cc.map(MailAddress.init)
        let replyTo = draft.responseContacts.isEmpty ? recipients.fromGroupContacts : draft.responseContacts
        builder.replyTo = replyTo.map(MailAddress.init)
        builder.subject = "[\(reference)] \(draft.title ?? "(no title)")"
        builder.addHeader("Auto-Submitted", "auto-generated")
        var fields = draftFields(draft, reference: reference)
        fields["submission_date"] = .string(CalendarDate(now, in: settings.timeZone)?.description ?? "")
        fields["approved_by"] = .string(approvedBy)
        builder.textBody = try renderText("outgoing-statement", organization: draft.toOrganization, context: .object(fields))
        for attachment in draft.attachments {
            builder.attach(data: attachment.bytes, filename: attachment.filename, contentType: attachment.contentType)
        }
        return try finish(
            builder, kind: .outgoingStatement, reference: reference, sender: settings.serviceAddress.address,
            recipients: (recipients.to + recipients.cc).map(\.address))
    }

    /// The template fields of a draft.
    func draftFields(_ draft: OutgoingDraft, reference: StatementReference?) -> [String: TemplateValue] {
        func contacts(_ list: [Contact]) -> TemplateValue { .list(list.map { .string($0.description) }) }
        func line(_ list: [Contact]) -> String { list.isEmpty ? "none" : list.map(\.description).joined(separator: ", ") }
        let peerFields: [TemplateValue] = draft.peerFields.map { .object(["label": .string($0.label), "value": .string($0.value)]) }
        return [
            "reference": .string(reference?.description ?? ""),
            "title": .string(draft.title ?? "(no title)"),
            "from": .string(draft.fromText ?? "(not given)"),
            "from_groups": .list(draft.fromGroups.map { .string($0.uppercased()) }),
            "to": .string(draft.toText ?? "(not given)"),
            "to_organization": .string(draft.toOrganization ?? "(unknown)"),
            "to_contacts": contacts(draft.toContacts),
            "cc_contacts": contacts(draft.ccContacts),
            "cc_text": .string(line(draft.ccContacts)),
            "response_contacts": contacts(draft.responseContacts),
            "response_contacts_text": .string(line(draft.responseContacts)),
            "technical_contacts": contacts(draft.technicalContacts),
            "technical_contacts_text": .string(line(draft.technicalContacts)),
            "purpose": .string(draft.purpose?.description ?? draft.purposeText ?? "(not given)"),
            "has_deadline": .bool(draft.deadline != nil),
            "deadline": .string(draft.deadline?.description ?? ""),
            "peer_fields": .list(peerFields),
            "has_peer_fields": .bool(!peerFields.isEmpty),
            "body": .string(draft.body),
            "has_attachments": .bool(!draft.attachments.isEmpty),
            "attachments": .list(draft.attachments.map { .object(["filename": .string($0.filename), "size": .string(String($0.bytes.count))]) }),
            "submitter": .string(draft.submitter?.description ?? "(unknown)"),
            "submission_address": .string(settings.submissionAddress?.description ?? ""),
            "service_address": .string(settings.serviceAddress.description),
            "liaison_manager": .string(settings.liaisonManager.description),
        ]
    }
}

/// Who a statement the IETF sends goes to: To the peer's liaison address and the contacts the
/// draft names; Cc the IETF liaison managers for the peer (else the service's), the From groups'
/// chairs and lists, the draft's Cc, response and technical contacts, and the submitter.
public struct OutgoingRecipients: Sendable, Equatable {
    /// The peer's addresses.
    public var to: [Contact]
    /// The copies.
    public var cc: [Contact]
    /// The From groups' chairs and lists (the default Reply-To when no response contact is given).
    public var fromGroupContacts: [Contact]

    /// Computes the recipients of a draft.
    public init(draft: OutgoingDraft, profile: PeerProfile, directory: Directory, liaisonManager: Contact) {
        var seen = Set<String>()
        func unique(_ list: [Contact]) -> [Contact] { list.filter { seen.insert($0.address.lowercased()).inserted } }
        to = unique((profile.liaisonAddress.map { [$0] } ?? []) + draft.toContacts)
        var groupContacts: [Contact] = []
        for acronym in draft.fromGroups {
            if let group = directory.groups[acronym] {
                groupContacts += [group.chairs, group.list].compactMap(\.self)
                if group.chairs == nil && group.list == nil { groupContacts += group.liaisonContacts }
                groupContacts += group.liaisonCCContacts
            } else if let area = directory.areas[acronym] {
                groupContacts += area.directors
            }
        }
        fromGroupContacts = groupContacts
        let managers = draft.toOrganization.flatMap { directory.organization(named: $0)?.liaisonManagers } ?? []
        cc = unique(
            (managers.isEmpty ? [liaisonManager] : managers) + groupContacts + draft.ccContacts + draft.responseContacts
                + draft.technicalContacts + (draft.submitter.map { [$0] } ?? []))
    }
}
