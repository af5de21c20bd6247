import Foundation

/// An invitation to comment on named IETF work, sent by an engagement manager to one or more
/// communities, with a closing date; recorded under a reference such as `INV-2026-0001`.
public struct Invitation: Sendable, Equatable {
    /// The reference prefix of invitations.
    public static let referencePrefix = "INV"

    /// Its reference number (`INV-YYYY-NNNN`).
    public var reference: StatementReference
    /// The engagement manager who sent it.
    public var manager: Contact
    /// What it asks about, as its subject says.
    public var title: String
    /// The canonical names of the communities invited.
    public var communities: [String]
    /// The working groups (acronyms) the work belongs to: they receive the summary.
    public var groups: [String]
    /// The documents or topics named (`draft-ietf-foo-bar`), as written.
    public var work: [String]
    /// The last day replies are collected; the summary goes out that day.
    public var closing: CalendarDate
    /// The text of the invitation.
    public var body: String
    /// When it was recorded.
    public var createdAt: Date
    /// The Message-ID of the engagement manager's mail.
    public var messageID: String?

    /// Creates an invitation.
    public init(
        reference: StatementReference, manager: Contact, title: String, communities: [String], groups: [String], work: [String],
        closing: CalendarDate, body: String, createdAt: Date, messageID: String?
    ) {
        self.reference = reference
        self.manager = manager
        self.title = title
        self.communities = communities
        self.groups = groups
        self.work = work
        self.closing = closing
        self.body = body
        self.createdAt = createdAt
        self.messageID = messageID
    }
}

/// A community's reply to an invitation: recorded as a statement and linked to the invitation.
public struct InvitationReply: Sendable, Equatable {
    /// The invitation it answers.
    public var invitation: StatementReference
    /// The statement the reply was recorded as.
    public var statement: StatementReference
    /// The community it came from (canonical name), when known.
    public var community: String?
    /// Who sent it.
    public var sender: Contact?
    /// When it arrived.
    public var receivedAt: Date
    /// The beginning of its text, for the summary.
    public var excerpt: String

    /// Creates a reply link.
    public init(
        invitation: StatementReference, statement: StatementReference, community: String?, sender: Contact?, receivedAt: Date,
        excerpt: String
    ) {
        self.invitation = invitation
        self.statement = statement
        self.community = community
        self.sender = sender
        self.receivedAt = receivedAt
        self.excerpt = excerpt
    }

    /// The first `limit` characters of the text's own lines: quoted lines (`>`), the quote's
    /// attribution and the signature are left out, whitespace is collapsed.
    public static func excerpt(of text: String, limit: Int = 300) -> String {
        var kept: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed == "--" || trimmed == "-- " || line.hasPrefix("-- ") { break }
            if trimmed.hasPrefix(">") || (trimmed.hasPrefix("On ") && trimmed.hasSuffix("wrote:")) { continue }
            if !trimmed.isEmpty { kept.append(trimmed) }
        }
        let joined = kept.joined(separator: " ")
        guard joined.count > limit else { return joined }
        return String(joined.prefix(limit)).trimmingCharacters(in: .whitespaces) + "…"
    }
}

/// The invitations sent to one community: which Message-ID, so a reply finds its community.
public struct InvitationDelivery: Sendable, Equatable {
    /// The community's canonical name.
    public var community: String
    /// The Message-ID of the invitation sent to it.
    public var messageID: String

    /// Creates a delivery record.
    public init(community: String, messageID: String) {
        self.community = community
        self.messageID = messageID
    }
}

/// What a valid invitation request commits: the invitation and one mail per community.
public struct InvitationRecord: Sendable, Equatable {
    /// The invitation.
    public var invitation: Invitation
    /// The Message-ID of the invitation sent to each community.
    public var deliveries: [InvitationDelivery]

    /// Creates a record.
    public init(invitation: Invitation, deliveries: [InvitationDelivery]) {
        self.invitation = invitation
        self.deliveries = deliveries
    }
}
