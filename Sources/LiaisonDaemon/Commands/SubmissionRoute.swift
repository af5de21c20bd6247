import Foundation
import LiaisonCore
import MIME

/// What `liaison route` says about mail to the submission address (docs/outgoing.md).
enum SubmissionRoute {
    static func describe(_ message: MIMEMessage, _ mail: SubmissionMail, processor: IntakeProcessor) -> String {
        switch mail {
        case .approval(let reply):
            let about = reply.reference.map(\.description) ?? "the approval request it answers"
            return "an answer about \(about) from \(reply.sender ?? "an unknown sender") at the submission address"
                + (reply.approved ? " saying Approved: it sends the statement if the sender may approve it\n" : " (not an approval)\n")
        case .draft(let draft):
            let (profile, problems) = processor.check(draft, now: Date())
            var lines = [
                "a draft statement at the submission address: \(draft.title ?? "(no title)")",
                "from: \((draft.fromGroups.isEmpty ? [draft.fromText ?? "(none)"] : draft.fromGroups.map { $0.uppercased() }).joined(separator: ", "))",
                "to: \(draft.toOrganization ?? draft.toText ?? "(none)") (profile \(profile.name))",
            ]
            if problems.isEmpty {
                let recipients = OutgoingRecipients(
                    draft: draft, profile: profile, directory: processor.router.directory,
                    liaisonManager: processor.settings.liaisonManager)
                let approvers = ApprovalPolicy(directory: processor.router.directory).approvers(for: draft.fromGroups)
                lines.append("approvers: " + approvers.map(\.description).joined(separator: ", "))
                lines.append("once approved, to: " + recipients.to.map(\.description).joined(separator: ", "))
                lines.append("cc: " + recipients.cc.map(\.description).joined(separator: ", "))
            } else {
                lines.append("not sent; problems returned to the submitter:")
                lines += problems.map { "  - \($0)" }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
