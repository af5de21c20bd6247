/// On which days reminders are sent, relative to a statement's deadline.
///
/// The default is the IETF Datatracker's: 14, 7, 4, 3, 2, 1 and 0 days before the deadline, then
/// daily while overdue, for 14 days.
public struct ReminderSchedule: Sendable, Equatable {
    /// Days before the deadline that get a reminder (0 is the deadline day).
    public var daysBefore: Set<Int>
    /// How many days after the deadline a daily overdue reminder is sent.
    public var overdueDays: Int

    /// Creates a schedule.
    public init(daysBefore: Set<Int> = [14, 7, 4, 3, 2, 1, 0], overdueDays: Int = 14) {
        self.daysBefore = daysBefore
        self.overdueDays = overdueDays
    }

    /// The reminder due on `today` for a deadline, if any.
    public func reminder(deadline: CalendarDate, today: CalendarDate) -> ReminderKind? {
        let daysToGo = deadline.dayNumber - today.dayNumber
        if daysToGo >= 0 {
            return daysBefore.contains(daysToGo) ? .before(days: daysToGo) : nil
        }
        return -daysToGo <= overdueDays ? .overdue(days: -daysToGo) : nil
    }

    /// The reminder to record on `today`: today's own; or, on a day without one, the latest
    /// scheduled reminder that fell on a day from `since` (the day the statement was recorded)
    /// to yesterday — a day the daemon did not see, because its clock jumped forward or it was
    /// stopped. Such a reminder is sent late, once: it is recorded under its own kind, so the
    /// following days find it recorded. Nothing is sent late once the schedule is over (after
    /// the last overdue day), nor without `since`.
    public func reminder(deadline: CalendarDate, today: CalendarDate, since: CalendarDate?) -> ReminderKind? {
        if let kind = reminder(deadline: deadline, today: today) { return kind }
        guard let since else { return nil }
        // Days after the deadline (negative before it) of today, of `since` and of every scheduled day.
        let offset = today.dayNumber - deadline.dayNumber
        let scheduled = daysBefore.map { -$0 } + (overdueDays >= 1 ? Array(1...overdueDays) : [])
        guard let last = scheduled.max(), offset <= last else { return nil }
        let earliest = since.dayNumber - deadline.dayNumber
        guard let missed = scheduled.filter({ $0 < offset && $0 >= earliest }).max() else { return nil }
        return ReminderKind(daysAfterDeadline: missed)
    }
}
