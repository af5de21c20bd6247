import Foundation
import LiaisonCore
import Testing

/// Reminders across clock jumps: a scheduled day the clock jumped over (or the daemon was down
/// for) gets its reminder late, once, saying the days actually left; nothing is sent twice.
@Suite("Reminders after a clock jump")
struct ReminderCatchUpTests {
    let zone = TimeZone(identifier: "America/Los_Angeles") ?? .current

    func open(deadline: CalendarDate, recordedAt: Date?) -> OpenStatement {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on 400G"
        statement.deadline = deadline
        statement.fromOrganization = "ITU-T"
        statement.toContacts = [Contact(address: "t-ccamp-chairs@example.test")]
        return OpenStatement(
            reference: StatementReference(year: 2026, number: 7), statement: statement,
            routing: RoutingDecision(groups: ["ccamp"], lead: "ccamp"), recordedAt: recordedAt)
    }

    /// `hour`:00 in Los Angeles, `offset` days after `date`.
    func instant(_ date: CalendarDate, _ offset: Int, hour: Int = 9) throws -> Date {
        let day = try #require(date.adding(days: offset))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return try #require(calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour)))
    }

    /// Walks `instants` like the daemon: plans, and "records" each kind once per deadline.
    func walk(_ instants: [Date], deadline: CalendarDate, recordedAt: Date) -> [(day: Int, kind: String, subject: String)] {
        let planner = ReminderPlanner(timeZone: zone, directory: testDirectory)
        var recorded: Set<String> = []
        var sent: [(day: Int, kind: String, subject: String)] = []
        for now in instants {
            for reminder in planner.due([open(deadline: deadline, recordedAt: recordedAt)], at: now)
            where recorded.insert(reminder.kind.key).inserted {
                sent.append((reminder.day.dayNumber - deadline.dayNumber, reminder.kind.key, reminder.subject))
            }
        }
        return sent
    }

    @Test("The schedule: today's own reminder first; on a day without one, the latest day skipped since recording")
    func schedule() throws {
        let schedule = ReminderSchedule()
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))
        func kind(_ today: Int, since: Int?) throws -> ReminderKind? {
            let sinceDate = try since.map { try #require(deadline.adding(days: $0)) }
            return schedule.reminder(deadline: deadline, today: try #require(deadline.adding(days: today)), since: sinceDate)
        }
        #expect(try kind(-7, since: -30) == .before(days: 7))
        #expect(try kind(-6, since: -30) == .before(days: 7), "the one-week day was skipped: sent late")
        #expect(try kind(-5, since: -30) == .before(days: 7), "still the latest skipped one (the store has it: not sent again)")
        #expect(try kind(-6, since: -6) == nil, "recorded after that day: it was never due")
        #expect(try kind(-6, since: -7) == .before(days: 7), "recorded on that day, the run came after midnight")
        #expect(try kind(-6, since: nil) == nil, "no recording date: only each day's own")
        #expect(try kind(-10, since: -30) == .before(days: 14))
        #expect(try kind(14, since: -30) == .overdue(days: 14))
        #expect(try kind(15, since: -30) == nil, "the schedule is over: nothing late")
        #expect(try kind(-20, since: -30) == nil, "before the first reminder day")
        #expect(ReminderKind(daysAfterDeadline: -7) == .before(days: 7))
        #expect(ReminderKind(daysAfterDeadline: 0) == .before(days: 0))
        #expect(ReminderKind(daysAfterDeadline: 2) == .overdue(days: 2))
    }

    @Test("+3 days over the one-week day: it is sent late once, saying six days; the rest on time")
    func forwardJump() throws {
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))
        let recorded = try instant(deadline, -9)
        // Day -9, -8, then the clock jumps to day -6 (skipping -7), then day by day.
        let instants = try [-9, -8, -6, -6, -5, -4, -3].map { try instant(deadline, $0) }
        let sent = walk(instants, deadline: deadline, recordedAt: recorded)
        #expect(sent.map(\.kind) == ["before-7", "before-4", "before-3"])
        #expect(sent.map(\.day) == [-6, -4, -3])
        #expect(sent.first?.subject == "[LS-2026-0007] Deadline in six days: LS on 400G", "the days actually left")
    }

    @Test("+3 days over several reminder days lands on one: only that day's, no pile of stale ones")
    func jumpOntoReminderDay() throws {
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))
        let instants = try [-4, -1, -1, 0].map { try instant(deadline, $0) }
        let sent = walk(instants, deadline: deadline, recordedAt: try instant(deadline, -4))
        #expect(sent.map(\.kind) == ["before-4", "before-1", "before-0"])
    }

    @Test("±1 hour across midnight, back over a reminder already sent: nothing twice, nothing lost")
    func hourJumps() throws {
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))
        let lateEvening = try instant(deadline, -2, hour: 23) + 1800  // day -2, 23:30
        let instants = [lateEvening, lateEvening + 3600, lateEvening, lateEvening + 600, lateEvening + 3600 + 900]
        let sent = walk(instants, deadline: deadline, recordedAt: lateEvening)
        #expect(sent.map(\.kind) == ["before-2", "before-1"])
    }

    @Test("A late reminder for a day after the deadline says how late it is; its template is the overdue one")
    func lateOverdueWording() throws {
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))
        let planner = ReminderPlanner(
            schedule: ReminderSchedule(daysBefore: [7], overdueDays: 3), timeZone: zone, directory: testDirectory)
        // Recorded on day -10, first seen again on day -5 (one-week day skipped), then day 2.
        let reminder = try #require(
            planner.due([open(deadline: deadline, recordedAt: try instant(deadline, -10))], at: try instant(deadline, -5)).first)
        #expect(reminder.kind == .before(days: 7) && reminder.wording == .before(days: 5))
        #expect(OutgoingMailFactory.reminderTemplate(for: reminder.wording) == "reminder-before")
        let onTime = try #require(
            planner.due([open(deadline: deadline, recordedAt: try instant(deadline, -10))], at: try instant(deadline, 2)).first)
        #expect(onTime.kind == .overdue(days: 2) && onTime.wording == onTime.kind)
    }
}

/// Kind keys read back from the store, and the order of a deadline's reminders.
@Suite("Reminder kind keys")
struct ReminderKindKeyTests {
    @Test("Keys round-trip; the order is days after the deadline")
    func keys() {
        for kind in [ReminderKind.before(days: 14), .before(days: 0), .overdue(days: 1), .overdue(days: 14)] {
            #expect(ReminderKind(key: kind.key) == kind)
        }
        for bad in ["before-", "overdue-0", "before--1", "later-3", "BEFORE-7", ""] {
            #expect(ReminderKind(key: bad) == nil, "\(bad)")
        }
        #expect(ReminderKind.before(days: 7).daysAfterDeadline == -7 && ReminderKind.overdue(days: 2).daysAfterDeadline == 2)
    }
}
