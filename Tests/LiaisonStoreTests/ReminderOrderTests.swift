import Foundation
import LiaisonCore
import LiaisonStore
import Testing

/// A clock set back days after a forward jump: a reminder earlier in the deadline's series than
/// one already recorded is refused, so "in four days" never follows "tomorrow".
@Suite("Reminders never go backwards")
struct ReminderOrderTests {
    /// The reminder planned at noon (UTC) on `day` with a schedule of 4 and 1 days before.
    func planned(on day: CalendarDate) -> PlannedReminder? {
        let utc = TimeZone(identifier: "UTC") ?? .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        guard let instant = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) else { return nil }
        let open = OpenStatement(reference: Fixture.reference(1), statement: Fixture.statement(), routing: Fixture.routing())
        let schedule = ReminderSchedule(daysBefore: [4, 1], overdueDays: 0)
        return ReminderPlanner(schedule: schedule, timeZone: utc, directory: Directory()).due([open], at: instant).first
    }

    @Test("before-1 recorded, then the clock goes back to the before-4 day: refused; another deadline starts afresh")
    func backwards() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1))
        let deadline = try #require(Fixture.statement().deadline)
        let message = { (id: String) in Fixture.outgoing(id, kind: .reminder, reference: Fixture.reference(1), recipients: ["c@x.org"]) }
        let oneDayAhead = try #require(deadline.adding(days: -1))
        let fourDaysAhead = try #require(deadline.adding(days: -4))
        let dayBefore = try #require(planned(on: oneDayAhead))
        let fourBefore = try #require(planned(on: fourDaysAhead))
        #expect(dayBefore.kind == .before(days: 1) && fourBefore.kind == .before(days: 4))
        #expect(try await store.recordReminder(dayBefore, deadline: deadline, message: message("r1@x"), at: Fixture.t0))
        #expect(try await !store.recordReminder(fourBefore, deadline: deadline, message: message("r4@x"), at: Fixture.t0 + 1))
        #expect(try await store.reminders(reference: Fixture.reference(1)).map(\.kind) == ["before-1"])
        // An extended deadline is a new series.
        let later = try #require(deadline.adding(days: 30))
        #expect(try await store.recordReminder(fourBefore, deadline: later, message: message("r4b@x"), at: Fixture.t0 + 2))
    }
}
