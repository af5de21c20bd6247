import Foundation

/// The lifecycle of a statement the IETF sends, as stored next to its statement row
/// (`outgoing_statement`): who submitted it, who may approve it, where it stands.
public struct OutgoingStatementRecord: Sendable, Equatable {
    /// The statement's reference.
    public var reference: StatementReference
    /// Where it stands.
    public var state: OutgoingState
    /// Who mailed the draft.
    public var submitter: String
    /// The From groups (directory acronyms), the first one deciding the approvers.
    public var fromGroups: [String]
    /// The peer organization (directory name).
    public var peerOrganization: String?
    /// The name of the profile it was checked against.
    public var profile: String
    /// The addresses the approval request went to (empty when none was needed).
    public var approvers: [String]
    /// SHA-256 of the submitted mail, whose attachments are sent once approved.
    public var submissionSHA256: String
    /// The Message-ID of the approval request, which replies answer.
    public var approvalMessageID: String?
    /// Who approved it (the submitter, when they had the authority or stated prior approval).
    public var approvedBy: String?
    /// When it was approved.
    public var approvedAt: Date?
    /// The Message-ID of the statement sent to the peer.
    public var sentMessageID: String?
    /// When it was put in the outbox for the peer.
    public var sentAt: Date?
    /// The statement that answered it.
    public var repliedBy: StatementReference?
    /// When it was submitted.
    public var submittedAt: Date

    /// Creates a record.
    public init(
        reference: StatementReference, state: OutgoingState, submitter: String, fromGroups: [String],
        peerOrganization: String?, profile: String, approvers: [String], submissionSHA256: String,
        approvalMessageID: String? = nil, approvedBy: String? = nil, approvedAt: Date? = nil,
        sentMessageID: String? = nil, sentAt: Date? = nil, repliedBy: StatementReference? = nil, submittedAt: Date
    ) {
        self.reference = reference
        self.state = state
        self.submitter = submitter
        self.fromGroups = fromGroups
        self.peerOrganization = peerOrganization
        self.profile = profile
        self.approvers = approvers
        self.submissionSHA256 = submissionSHA256
        self.approvalMessageID = approvalMessageID
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.sentMessageID = sentMessageID
        self.sentAt = sentAt
        self.repliedBy = repliedBy
        self.submittedAt = submittedAt
    }
}

/// A change to an outgoing statement that a received message brings, committed with it.
public enum OutgoingStatementChange: Sendable, Equatable {
    /// A checked draft was recorded (pending approval, or already sent).
    case submitted(OutgoingStatementRecord)
    /// An authorized approver approved it; the statement with this Message-ID was put in the outbox.
    case approved(StatementReference, by: String, sentMessageID: String)
}
