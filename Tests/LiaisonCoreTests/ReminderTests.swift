import Foundation
import LiaisonCore
import Testing

@Suite("Reminder schedule")
struct ReminderTests {
    let zone = TimeZone(identifier: "America/Los_Angeles") ?? .current

    func open(deadline: CalendarDate?) -> OpenStatement {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on 400G"
        statement.deadline = deadline
        statement.fromOrganization = "ITU-T"
        statement.toContacts = [Contact(address: "t-ccamp-chairs@example.test")]
        statement.responseContacts = [Contact(address: "rapporteur@itu.int")]
        statement.technicalContacts = [Contact(address: "rapporteur@itu.int"), Contact(address: "editor@itu.int")]
        statement.actionHolders = ["IETF MARS WG"]
        return OpenStatement(
            reference: StatementReference(year: 2026, number: 7), statement: statement,
            routing: RoutingDecision(groups: ["ccamp"], lead: "ccamp"))
    }

    /// 09:00 in Los Angeles on a given day.
    func morning(_ date: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 9)) ?? Date()
    }

    @Test("From arrival to deadline + 15 days: the Datatracker's days, then 14 daily overdue reminders")
    func walk() throws {
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))
        let planner = ReminderPlanner(timeZone: zone, directory: testDirectory)
        let start = try #require(deadline.adding(days: -30))
        let clock = FixedClock(morning(start))
        var sent: [Int: ReminderKind] = [:]
        for _ in 0...45 {
            for reminder in planner.due([open(deadline: deadline)], at: clock.now()) {
                sent[reminder.day.dayNumber - deadline.dayNumber] = reminder.kind
            }
            clock.advance(by: 86_400)
        }
        let expectedBefore = [-14: 14, -7: 7, -4: 4, -3: 3, -2: 2, -1: 1, 0: 0]
        for (offset, days) in expectedBefore { #expect(sent[offset] == .before(days: days)) }
        for day in 1...14 { #expect(sent[day] == .overdue(days: day)) }
        #expect(sent.count == 21, "nothing on other days, nothing after 14 overdue days")
    }

    @Test("Days are counted in the configured time zone, across a daylight-saving change")
    func timeZones() throws {
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))  // DST starts 2027-03-14 in the US
        let planner = ReminderPlanner(timeZone: zone, directory: testDirectory)
        // 2027-03-15 06:30 UTC is still 14 March in Los Angeles: one day to go, not zero.
        let instant = try #require(ISO8601DateFormatter().date(from: "2027-03-15T06:30:00Z"))
        #expect(planner.due([open(deadline: deadline)], at: instant).first?.kind == .before(days: 1))
    }

    @Test("Subjects, recipients and escalation")
    func content() throws {
        let deadline = try #require(CalendarDate(year: 2027, month: 3, day: 15))
        let planner = ReminderPlanner(timeZone: zone, directory: testDirectory)
        let weekBefore = try #require(deadline.adding(days: -7))
        let week = try #require(planner.due([open(deadline: deadline)], at: morning(weekBefore)).first)
        #expect(week.subject == "[LS-2026-0007] Deadline in one week: LS on 400G")
        #expect(week.to.map(\.address) == ["t-ccamp-chairs@example.test", "t-mars-chairs@example.test"])
        #expect(week.cc.map(\.address) == ["rapporteur@itu.int", "editor@itu.int", "t-lm-itu@example.test"])

        let threeAfter = try #require(deadline.adding(days: 3))
        let late = try #require(planner.due([open(deadline: deadline)], at: morning(threeAfter)).first)
        #expect(late.subject == "[LS-2026-0007] OUT OF DATE (3 days): LS on 400G")
        #expect(late.to.map(\.address).contains("t-rtg-ads@example.test"), "overdue reminders escalate to the lead group's directors")
        #expect(late.kind.key == "overdue-3")
    }

    @Test("No deadline, no reminder")
    func noDeadline() {
        #expect(ReminderPlanner(timeZone: zone, directory: testDirectory).due([open(deadline: nil)], at: Date()).isEmpty)
    }

    @Test("Day arithmetic round-trips across centuries and leap days", arguments: [
        (1970, 1, 1, 0), (2000, 2, 29, 11_016), (2027, 3, 15, 20_892), (1969, 12, 31, -1),
    ])
    func dayNumbers(year: Int, month: Int, day: Int, number: Int) throws {
        let date = try #require(CalendarDate(year: year, month: month, day: day))
        #expect(date.dayNumber == number)
        #expect(CalendarDate(dayNumber: number) == date)
        #expect(date.adding(days: 366)?.adding(days: -366) == date)
    }
}
