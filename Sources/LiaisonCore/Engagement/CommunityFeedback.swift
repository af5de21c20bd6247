import Foundation
public import MIME

/// Mail from a community without a liaison relationship is feedback, not a formal statement: it
/// has no purpose or deadline, its subject is its title, and the Internet-Drafts it names
/// (`draft-ietf-WG-…`) say which working group it concerns.
public enum CommunityFeedback {
    /// Adjusts the statement extracted from a community's mail: title from the subject, groups
    /// from the drafts named, purpose `information` (or `response` when answering an invitation),
    /// and only a missing title, sender or addressed group counts for triage.
    public static func adjust(_ statement: inout Statement, message: MIMEMessage, directory: Directory, answering: Bool = false) {
        guard let name = statement.fromOrganization, directory.community(named: name) != nil else { return }
        if statement.title?.isEmpty ?? true, let subject = message.subject {
            let title = InvitationRequest.cleanSubject(subject)
            if !title.isEmpty { statement.title = title }
        }
        if statement.toGroups.isEmpty {
            statement.toGroups = DraftNames.groups(in: (message.subject ?? "") + "\n" + statement.body, directory: directory)
        }
        if statement.purpose == nil { statement.purpose = answering ? .response : .information }
        var settled: Set<StatementField> = [.purpose, .deadline]
        if !(statement.title?.isEmpty ?? true) { settled.insert(.title) }
        if !statement.toGroups.isEmpty { settled.insert(.to) }
        statement.missing.removeAll { settled.contains($0) }
        statement.triageReasons.removeAll { settled.contains($0.field) }
    }
}
