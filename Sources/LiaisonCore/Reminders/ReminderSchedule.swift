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
}
