import Foundation

/// The part of the store invitations to comment need (docs/engagement.md).
public protocol EngagementStore: Sendable {
    /// The invitation recorded under `reference`, or `nil`.
    func invitation(reference: StatementReference) async throws -> Invitation?

    /// The invitation and community of the first of `messageIDs` that is an invitation Liaison
    /// sent, or `nil`.
    func invitationDelivery(messageIDs: [String]) async throws -> (invitation: StatementReference, community: String)?

    /// The invitations whose summary was not sent yet, oldest first.
    func unsummarizedInvitations() async throws -> [Invitation]

    /// The replies linked to an invitation, in the order they arrived.
    func invitationReplies(to reference: StatementReference) async throws -> [InvitationReply]

    /// Records a reminder to the engagement manager `daysBefore` the closing date and puts its
    /// message in the outbox, in one transaction, at most once per invitation and day count.
    ///
    /// - Returns: `false`, storing nothing, when that reminder was already recorded.
    func recordInvitationReminder(_ reference: StatementReference, daysBefore: Int, message: OutgoingMessage, at date: Date) async throws
        -> Bool

    /// Records that an invitation closed and puts its summary in the outbox, in one
    /// transaction, at most once per invitation.
    ///
    /// - Returns: `false`, storing nothing, when the summary was already recorded.
    func recordInvitationSummary(_ reference: StatementReference, replies: Int, message: OutgoingMessage, at date: Date) async throws -> Bool
}
