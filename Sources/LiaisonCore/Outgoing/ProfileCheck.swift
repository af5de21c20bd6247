import Foundation

/// Checks a draft against the profile of the organization it is addressed to and the directory;
/// every problem is one sentence for the submitter, and a draft with any problem is not sent.
public struct ProfileCheck: Sendable {
    /// The directory (From groups, organizations).
    public var directory: Directory

    /// Creates a check.
    public init(directory: Directory) {
        self.directory = directory
    }

    /// The profile that applies to a draft: that of its `To:` organization.
    public func profile(for draft: OutgoingDraft) -> PeerProfile {
        directory.profile(for: draft.toOrganization.flatMap { directory.organization(named: $0) })
    }

    /// Every problem of `draft`, in the order of the fields; empty when it can be sent.
    /// `today` (in the service's time zone) rejects a deadline already past.
    public func problems(of draft: OutgoingDraft, today: CalendarDate?) -> [String] {
        let profile = profile(for: draft)
        var problems: [String] = []
        let peer = draft.toOrganization ?? "the addressee"

        if let title = draft.title, !title.trimmingCharacters(in: " \t").isEmpty {
            if let pattern = profile.titlePattern, !Self.matches(title, pattern) {
                problems.append("Title: \"\(title)\" does not follow \(peer)'s convention" + (profile.titleHint.map { " (\($0))" } ?? " (\(pattern))"))
            }
        } else {
            problems.append("Title: missing (a line \"Title: LS on …\")")
        }
        if draft.fromText == nil {
            problems.append("From: missing (the IETF group sending the statement, e.g. \"From: IETF MPLS WG\")")
        } else if draft.fromGroups.isEmpty {
            problems.append("From: \"\(draft.fromText ?? "")\" names no IETF working group, area or body known to the directory")
        }
        if draft.toText == nil {
            problems.append("To: missing (the peer organization and its contacts, e.g. \"To: ITU-T SG15 <tsbsg15@itu.int>\")")
        } else if draft.toOrganization == nil {
            problems.append("To: \"\(draft.toText ?? "")\" names no organization known to the directory")
        }
        if draft.toText != nil, draft.toContacts.isEmpty, profile.liaisonAddress == nil {
            problems.append("To: no address to send to (name the peer's contacts; \(peer) has no liaison address configured)")
        }
        if draft.purposeText == nil {
            problems.append("Purpose: missing (For action, For comment, For information or In response)")
        } else if draft.purpose == nil {
            problems.append("Purpose: \"\(draft.purposeText ?? "")\" is not For action, For comment, For information or In response")
        }
        if let text = draft.deadlineText, draft.deadline == nil {
            problems.append("Deadline: \"\(text)\" is not a date (write 2027-03-01)")
        } else if let deadline = draft.deadline, let today, deadline < today {
            problems.append("Deadline: \(deadline) is already past")
        } else if draft.deadline == nil, profile.deadlineForAction, let purpose = draft.purpose, purpose.expectsDeadline {
            problems.append("Deadline: required for a statement \(purpose.description.lowercased()) (a line \"Deadline: 2027-03-01\")")
        }
        for required in profile.requiredFields {
            let alternatives = required.split(separator: "|").map { $0.trimmingCharacters(in: " \t") }
            if !alternatives.contains(where: { draft.field($0) != nil }) {
                let named = alternatives.map { "\"\($0):\"" }.joined(separator: " or ")
                problems.append("\(alternatives.first ?? required): missing, \(peer) requires \(named)")
            }
        }
        if draft.body.trimmingCharacters(in: " \t\r\n").isEmpty, draft.attachments.isEmpty {
            problems.append("Body: empty, and nothing is attached (a statement needs a body or an attachment)")
        }
        let readable = draft.attachments.contains { PeerProfile.readableTypes.contains($0.fileExtension) }
        for attachment in draft.attachments {
            let type = attachment.fileExtension
            if !profile.attachmentTypes.contains(type) {
                let allowed = profile.attachmentTypes.map { ".\($0)" }.joined(separator: ", ")
                problems.append("Attachment \(attachment.filename): \(type.isEmpty ? "no file extension" : ".\(type)") is not accepted by \(peer) (accepted: \(allowed))")
            } else if profile.needsReadableCopy.contains(type), !readable {
                problems.append("Attachment \(attachment.filename): a .\(type) file needs a readable copy (PDF, HTML or text) attached as well")
            }
        }
        return problems
    }

    private static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return true }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
