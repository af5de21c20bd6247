import Foundation

/// A statement that still waits for action, as the reminder planner sees it.
public struct OpenStatement: Sendable, Equatable {
    /// Its reference number.
    public var reference: StatementReference
    /// Its fields.
    public var statement: Statement
    /// Where its copy went (the lead group decides who is escalated to).
    public var routing: RoutingDecision

    /// Creates an open statement.
    public init(reference: StatementReference, statement: Statement, routing: RoutingDecision) {
        self.reference = reference
        self.statement = statement
        self.routing = routing
    }
}

/// One reminder to send: unique by statement, day and kind, so it is sent at most once.
public struct PlannedReminder: Sendable, Equatable {
    /// The statement.
    public var reference: StatementReference
    /// The day it is for, in the configured time zone.
    public var day: CalendarDate
    /// Which reminder.
    public var kind: ReminderKind
    /// Recipients in `To`: the addressed contacts (chairs), the action holders' chairs and, on
    /// escalation, the lead group's area directors.
    public var to: [Contact]
    /// Recipients in `Cc`: response and technical contacts and the sending organization's liaison managers.
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

    /// Creates a planner.
    public init(schedule: ReminderSchedule = ReminderSchedule(), timeZone: TimeZone, directory: Directory) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.directory = directory
    }

    /// The reminders due at `now` for the open statements.
    public func due(_ statements: [OpenStatement], at now: Date) -> [PlannedReminder] {
        guard let today = CalendarDate(now, in: timeZone) else { return [] }
        return statements.compactMap { open in
            guard let deadline = open.statement.deadline,
                let kind = schedule.reminder(deadline: deadline, today: today)
            else { return nil }
            let (to, cc) = recipients(of: open, escalate: kind.escalates)
            let title = open.statement.title ?? "(no title)"
            return PlannedReminder(
                reference: open.reference, day: today, kind: kind, to: to, cc: cc,
                subject: "[\(open.reference)] \(kind): \(title)")
        }
    }

    /// To: the addressed contacts, the chairs of the action holders' groups and (escalating) the
    /// lead group's directors; Cc: response and technical contacts and the organization's liaison managers.
    func recipients(of open: OpenStatement, escalate: Bool) -> (to: [Contact], cc: [Contact]) {
        var to = open.statement.toContacts
        if to.isEmpty { to = open.routing.to }
        for holder in open.statement.actionHolders {
            let acronym = holder.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" })
                .map(String.init).first { directory.groups[$0] != nil }
            if let acronym, let chairs = directory.groups[acronym]?.chairs { to.append(chairs) }
        }
        if escalate, let lead = open.routing.lead ?? open.routing.groups.first {
            let area = directory.groups[lead]?.area.flatMap { directory.areas[$0] } ?? directory.areas[lead]
            to += area?.directors ?? []
        }
        var cc = open.statement.responseContacts + open.statement.technicalContacts
        if let name = open.statement.fromOrganization, let organization = directory.organization(named: name) {
            cc += organization.liaisonManagers
        }
        var seen = Set<String>()
        to = to.filter { seen.insert($0.address.lowercased()).inserted }
        cc = cc.filter { seen.insert($0.address.lowercased()).inserted }
        return (to, cc)
    }
}
