public import MIME

/// A reply to an approval request: which statement (the reference in the subject, or the
/// request's Message-ID in `In-Reply-To`/`References`) and whether it says `Approved`.
public struct ApprovalReply: Sendable, Equatable {
    /// The statement named in the subject, if any.
    public var reference: StatementReference?
    /// The Message-IDs it answers.
    public var answers: [String]
    /// Whether a line of the text (not quoted) is `Approved` (a trailing full stop is allowed).
    public var approved: Bool
    /// The sender's address.
    public var sender: String?

    /// Reads a reply; `nil` when it names no statement and answers no message (a new draft).
    public static func parse(_ message: MIMEMessage, prefix: String) -> ApprovalReply? {
        let reference = message.subject.flatMap { StatementReply.reference(in: $0, prefix: prefix) }
        let answers = message.inReplyTo + message.references
        guard reference != nil || !answers.isEmpty else { return nil }
        return ApprovalReply(
            reference: reference, answers: answers, approved: saysApproved(message.textBody() ?? ""),
            sender: message.from.first?.address)
    }

    /// Whether a line (not quoted text) says `Approved`.
    static func saysApproved(_ text: String) -> Bool {
        for line in LabeledLines.lines(of: text) {
            let trimmed = line.trimmingCharacters(in: " \t").lowercased()
            if trimmed.hasPrefix(">") { continue }
            if trimmed == "approved" || trimmed == "approved." || trimmed == "approved!" { return true }
        }
        return false
    }
}

/// What a mail to the submission address is.
public enum SubmissionMail: Sendable, Equatable {
    /// A draft statement to check and send.
    case draft(OutgoingDraft)
    /// An answer to an approval request.
    case approval(ApprovalReply)
}
