/// Why a statement was sent, as RFC 4053 and the IETF Datatracker name it.
public enum Purpose: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The sender asks the recipient to act, usually by a deadline.
    case action
    /// The sender asks for comments, usually by a deadline.
    case comment
    /// The statement is for information only.
    case information
    /// The statement answers an earlier one.
    case response

    /// The wording used in the Datatracker layout: "For action", "In response", …
    public var description: String {
        switch self {
        case .action: "For action"
        case .comment: "For comment"
        case .information: "For information"
        case .response: "In response"
        }
    }

    /// Whether a deadline is expected (RFC 4053: for action and for comment).
    public var expectsDeadline: Bool {
        self == .action || self == .comment
    }
}
