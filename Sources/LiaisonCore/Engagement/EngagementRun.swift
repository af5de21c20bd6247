import Foundation

/// What an engagement run recorded.
public enum EngagementAction: Sendable, Equatable {
    /// A reminder to the engagement manager, this many days before the closing date.
    case reminder(StatementReference, daysBefore: Int)
    /// The summary to the working groups, with this many replies.
    case summary(StatementReference, replies: Int)
}

/// Runs with the reminders: reminds engagement managers of invitations closing soon, and mails
/// the working groups the summary of the replies on the closing date — each once, whatever
/// restarts, double runs or clock jumps happen (the store records them with their outbox entry).
public struct EngagementRun: Sendable {
    /// Days before the closing date that get a reminder to the engagement manager.
    public static let defaultReminderDays = [7, 1]

    private let store: any EngagementStore
    private let mail: OutgoingMailFactory
    private let directory: Directory
    private let reminderDays: [Int]
    private let clock: any WallClock

    /// Creates a run.
    public init(
        store: any EngagementStore, mail: OutgoingMailFactory, directory: Directory, reminderDays: [Int] = EngagementRun.defaultReminderDays,
        clock: any WallClock
    ) {
        self.store = store
        self.mail = mail
        self.directory = directory
        self.reminderDays = reminderDays
        self.clock = clock
    }

    /// Records the reminders and summaries due now.
    ///
    /// A reminder is due on its day only (a daemon down that whole day skips it); the summary is
    /// due from the closing date on, so a daemon that was down still sends it late, once.
    ///
    /// - Throws: when the store fails, or after the others when a mail cannot be rendered
    ///   (nothing is recorded for it, so the next run tries again).
    @discardableResult
    public func run() async throws -> [EngagementAction] {
        let now = clock.now()
        guard let today = CalendarDate(now, in: mail.settings.timeZone) else { return [] }
        var actions: [EngagementAction] = []
        var renderingError: (any Error)?
        for invitation in try await store.unsummarizedInvitations() {
            let daysLeft = invitation.closing.dayNumber - today.dayNumber
            guard daysLeft <= 0 || reminderDays.contains(daysLeft) else { continue }
            let replies = try await store.invitationReplies(to: invitation.reference)
            let message: OutgoingMessage
            do {
                message =
                    daysLeft <= 0
                    ? try mail.invitationSummary(invitation, replies: replies, directory: directory, now: now)
                    : try mail.invitationReminder(invitation, replies: replies, daysLeft: daysLeft, directory: directory, now: now)
            } catch {
                // The others still go out; this one is tried again on the next run.
                renderingError = renderingError ?? EngagementRenderingError(reference: invitation.reference, reason: "\(error)")
                continue
            }
            if daysLeft <= 0 {
                if try await store.recordInvitationSummary(invitation.reference, replies: replies.count, message: message, at: now) {
                    actions.append(.summary(invitation.reference, replies: replies.count))
                }
            } else if try await store.recordInvitationReminder(invitation.reference, daysBefore: daysLeft, message: message, at: now) {
                actions.append(.reminder(invitation.reference, daysBefore: daysLeft))
            }
        }
        if let renderingError { throw renderingError }
        return actions
    }
}

/// A mail about an invitation could not be rendered (a missing or broken template).
public struct EngagementRenderingError: Error, Sendable, CustomStringConvertible {
    /// The invitation.
    public var reference: StatementReference
    /// What failed.
    public var reason: String
    public var description: String { "the mail about invitation \(reference) could not be rendered: \(reason)" }
}
