import Foundation

/// A statement that still waits for action, as the reminder planner sees it.
public struct OpenStatement: Sendable, Equatable {
    /// Its reference number.
    public var reference: StatementReference
    /// Its fields.
    public var statement: Statement
    /// Where its copy went (the lead group decides who is escalated to).
    public var routing: RoutingDecision
    /// When it was recorded: a reminder of a day from then on that the daemon did not see (a
    /// clock jump, a stop) is sent late; `nil` sends only each day's own reminder.
    public var recordedAt: Date?

    /// Creates an open statement.
    public init(reference: StatementReference, statement: Statement, routing: RoutingDecision, recordedAt: Date? = nil) {
        self.reference = reference
        self.statement = statement
        self.routing = routing
        self.recordedAt = recordedAt
    }
}

/// One reminder to send: unique by statement, day and kind, so it is sent at most once.
public struct PlannedReminder: Sendable, Equatable {
    /// The statement.
    public var reference: StatementReference
    /// The day it is for, in the configured time zone.
    public var day: CalendarDate
    /// Which reminder: recorded once per statement, deadline and kind.
    public var kind: ReminderKind
    /// The reminder as of `day`, which the subject and the text say: `kind` itself, except for a
    /// reminder sent late (`before-7` sent five days before the deadline says `before-5`).
    public var wording: ReminderKind
    /// Recipients in `To`: by default the addressed contacts (chairs), the action holders' chairs
    /// and, on escalation, the lead group's area directors (see ``ReminderRecipientPolicy``).
    public var to: [Contact]
    /// Recipients in `Cc`: by default response and technical contacts and the sending organization's liaison managers.
    public var cc: [Contact]
    /// The subject, e.g. `[LS-2026-0007] Deadline in one week: LS on …`.
    public var subject: String
}

/// Decides which reminders are due today. Pure: the caller passes the instant (from its clock)
/// and records what was sent, so restarts, clock jumps and double runs never send one twice.
public struct ReminderPlanner: Sendable {
    /// The days reminders are sent.
    public var schedule: ReminderSchedule
    /// The time zone days are counted in.
    public var timeZone: TimeZone
    /// Groups, areas and organizations, to find chairs, directors and liaison managers.
    public var directory: Directory
    /// Who gets each reminder, per purpose and per organization.
    public var recipientPolicy: ReminderRecipientPolicy

    /// Creates a planner.
    public init(
        schedule: ReminderSchedule = ReminderSchedule(),
        timeZone: TimeZone,
        directory: Directory,
        recipientPolicy: ReminderRecipientPolicy = ReminderRecipientPolicy()
    ) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.directory = directory
        self.recipientPolicy = recipientPolicy
    }

    /// The reminders due at `now` for the open statements.
    public func due(_ statements: [OpenStatement], at now: Date) -> [PlannedReminder] {
        guard let today = CalendarDate(now, in: timeZone) else { return [] }
        return statements.compactMap { open in
            let since = open.recordedAt.flatMap { CalendarDate($0, in: timeZone) }
            guard let deadline = open.statement.deadline,
                let kind = schedule.reminder(deadline: deadline, today: today, since: since)
            else { return nil }
            let wording = ReminderKind(daysAfterDeadline: today.dayNumber - deadline.dayNumber)
            let (to, cc) = recipients(of: open, escalate: wording.escalates)
            let title = open.statement.title ?? "(no title)"
            return PlannedReminder(
                reference: open.reference, day: today, kind: kind, wording: wording, to: to, cc: cc,
                subject: "[\(open.reference)] \(wording): \(title)")
        }
    }

    /// The recipients the policy names for this statement (by default To: the addressed
    /// contacts, the chairs of the action holders' groups and, escalating, the lead group's
    /// directors; Cc: response and technical contacts and the organization's liaison managers).
    /// An address is listed once, `To` first.
    func recipients(of open: OpenStatement, escalate: Bool) -> (to: [Contact], cc: [Contact]) {
        let organization = open.statement.fromOrganization.flatMap { directory.organization(named: $0) }
        let set = recipientPolicy.recipients(purpose: open.statement.purpose, organization: organization?.name)
        var to = set.to.flatMap { resolve($0, for: open, organization: organization) }
        if escalate { to += set.escalation.flatMap { resolve($0, for: open, organization: organization) } }
        var cc = set.cc.flatMap { resolve($0, for: open, organization: organization) }
        var seen = Set<String>()
        to = to.filter { seen.insert($0.address.lowercased()).inserted }
        cc = cc.filter { seen.insert($0.address.lowercased()).inserted }
        return (to, cc)
    }

    /// The contacts a role stands for, for one statement.
    func resolve(_ recipient: ReminderRecipient, for open: OpenStatement, organization: Organization?) -> [Contact] {
        switch recipient {
        case .toContacts:
            return open.statement.toContacts.isEmpty ? open.routing.to : open.statement.toContacts
        case .actionHolders:
            return open.statement.actionHolders.compactMap { holder in
                let acronym = holder.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" })
                    .map(String.init).first { directory.groups[$0] != nil }
                return acronym.flatMap { directory.groups[$0]?.chairs }
            }
        case .chairs:
            return open.routing.groups.compactMap { directory.groups[$0]?.chairs }
        case .areaDirectors:
            guard let lead = open.routing.lead ?? open.routing.groups.first else { return [] }
            let area = directory.groups[lead]?.area.flatMap { directory.areas[$0] } ?? directory.areas[lead]
            return area?.directors ?? []
        case .responseContacts:
            return open.statement.responseContacts
        case .technicalContacts:
            return open.statement.technicalContacts
        case .liaisonManagers:
            return organization?.liaisonManagers ?? []
        case .address(let contact):
            return [contact]
        }
    }
}
