import Foundation
import MIME

extension OutgoingMailFactory {
    /// The weekly digest to a liaison manager (`Auto-Submitted: auto-generated`). Replies go to
    /// the service's liaison manager, not to the intake mailbox.
    public func digest(_ digest: PlannedDigest, directory: Directory, now: Date) throws -> OutgoingMessage {
        var builder = MessageBuilder()
        builder.from = MailAddress(settings.serviceAddress)
        let offset = settings.timeZone.secondsFromGMT(for: now) / 60
        builder.date = MIMEDate.format(secondsSince1970: Int64(now.timeIntervalSince1970.rounded(.down)), offsetMinutes: offset)
        builder.messageID = "digest-\(digest.week).\(uniqueToken())@\(settings.messageIDDomain)"
        builder.to = [MailAddress(digest.recipient.contact)]
        builder.replyTo = [MailAddress(settings.liaisonManager)]
        builder.subject = digest.subject
        builder.addHeader("Auto-Submitted", "auto-generated")
        builder.addHeader("X-Liaison-Loop", settings.instanceID)
        builder.textBody = try templates.render("digest", context: digestContext(digest, directory: directory))
        let raw = try OutgoingHeaderText.clean(builder).build()
        return OutgoingMessage(
            messageID: builder.messageID ?? "",
            kind: .digest,
            statement: nil,
            envelope: MailEnvelope(sender: settings.serviceAddress.address, recipients: [digest.recipient.contact.address]),
            raw: raw)
    }

    /// The template context of a digest: its week, whom it covers, and the four lists.
    public func digestContext(_ digest: PlannedDigest, directory: Directory) -> TemplateValue {
        func entries(_ list: [DigestEntry]) -> TemplateValue {
            .list(
                list.map { entry in
                    let groups = entry.groups.map { directory.groups[$0]?.acronym.uppercased() ?? $0 }
                    return .object([
                        "reference": .string(entry.reference.description),
                        "title": .string(entry.title),
                        "organization": .string(entry.organization ?? "(unknown)"),
                        "from": .string(entry.organization ?? entry.sender.map { "sent by \($0)" } ?? "(unknown)"),
                        "purpose": .string(entry.purpose?.description ?? "(not stated)"),
                        "has_deadline": .bool(entry.deadline != nil),
                        "deadline": .string(entry.deadline?.description ?? ""),
                        "when": .string(Self.when(entry.daysLeft)),
                        "groups": .string(groups.isEmpty ? "(no group)" : groups.joined(separator: ", ")),
                    ])
                })
        }
        let scope: String =
            switch digest.recipient.serviceScope {
            case .all: "every open statement and every statement in triage"
            case .unassigned: "statements in triage and those of organizations without a liaison manager"
            case .off, nil: ""
            }
        return .object([
            "recipient": .string(digest.recipient.contact.description),
            "recipient_name": .string(digest.recipient.contact.name ?? digest.recipient.contact.address),
            "week": .string(digest.week.description),
            "day": .string(digest.day.description),
            "horizon_days": .string(String(digest.horizonDays)),
            "organizations": .string(digest.recipient.organizations.joined(separator: ", ")),
            "has_organizations": .bool(!digest.recipient.organizations.isEmpty),
            "is_service_manager": .bool(!scope.isEmpty),
            "service_scope": .string(scope),
            "count": .string(String(digest.count)),
            "has_overdue": .bool(!digest.overdue.isEmpty),
            "overdue_count": .string(String(digest.overdue.count)),
            "overdue": entries(digest.overdue),
            "has_due_soon": .bool(!digest.dueSoon.isEmpty),
            "due_soon_count": .string(String(digest.dueSoon.count)),
            "due_soon": entries(digest.dueSoon),
            "has_open": .bool(!digest.open.isEmpty),
            "open_count": .string(String(digest.open.count)),
            "open": entries(digest.open),
            "has_triage": .bool(!digest.triage.isEmpty),
            "triage_count": .string(String(digest.triage.count)),
            "triage": entries(digest.triage),
            "service_address": .string(settings.serviceAddress.description),
            "liaison_manager": .string(settings.liaisonManager.description),
        ])
    }

    /// `3 days overdue`, `due today`, `due tomorrow`, `due in 5 days`, `no deadline`.
    static func when(_ daysLeft: Int?) -> String {
        guard let days = daysLeft else { return "no deadline" }
        switch days {
        case ..<(-1): return "\(-days) days overdue"
        case -1: return "1 day overdue"
        case 0: return "due today"
        case 1: return "due tomorrow"
        default: return "due in \(days) days"
        }
    }
}
