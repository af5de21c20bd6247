import Foundation
import LiaisonCore
import MIME
import Testing

/// The weekly digest's pure part: ISO weeks, the day it is due, who gets one and what it lists.
@Suite("Weekly digest planning")
struct DigestPlannerTests {
    let zone = TimeZone(identifier: "America/Los_Angeles") ?? .current

    func date(_ year: Int, _ month: Int, _ day: Int) throws -> CalendarDate {
        try #require(CalendarDate(year: year, month: month, day: day))
    }

    /// `hour`:00 in Los Angeles on a day.
    func at(_ year: Int, _ month: Int, _ day: Int, hour: Int = 9) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour)) ?? Date()
    }

    func record(
        _ number: Int, organization: String?, purpose: Purpose? = .action, deadline: CalendarDate?, triage: Bool = false
    ) -> RecordedStatement {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS \(number)"
        statement.fromOrganization = organization
        statement.purpose = purpose
        statement.deadline = deadline
        return RecordedStatement(
            reference: StatementReference(year: 2026, number: number), statement: statement,
            state: triage ? .needsTriage : .routed, routing: RoutingDecision(groups: ["ccamp"], lead: "ccamp"),
            recordedAt: Date(timeIntervalSince1970: 0), messageID: nil, sender: nil)
    }

    @Test(
        "ISO weeks: the week holding the year's first Thursday is week 1",
        arguments: [
            (2026, 1, 1, "2026-W01", Weekday.thursday), (2027, 1, 1, "2026-W53", .friday), (2024, 12, 30, "2025-W01", .monday),
            (2021, 1, 3, "2020-W53", .sunday), (2026, 11, 23, "2026-W48", .monday), (2026, 11, 22, "2026-W47", .sunday),
            (2027, 1, 4, "2027-W01", .monday),
        ])
    func isoWeeks(year: Int, month: Int, day: Int, week: String, weekday: Weekday) throws {
        let date = try date(year, month, day)
        #expect(ISOWeek(containing: date).description == week)
        #expect(date.weekday == weekday)
    }

    @Test("Due on the configured weekday from the configured hour, not on other days")
    func dueDays() throws {
        let planner = DigestPlanner(
            schedule: DigestSchedule(weekday: .tuesday, hour: 8), timeZone: zone, directory: testDirectory, serviceManager: nil)
        #expect(planner.dueWeek(at: at(2026, 11, 23)) == nil, "Monday is before Tuesday")
        #expect(planner.dueWeek(at: at(2026, 11, 24, hour: 7)) == nil, "07:00 is before 08:00")
        let tuesday = try #require(planner.dueWeek(at: at(2026, 11, 24, hour: 8)))
        #expect(tuesday.week.description == "2026-W48")
        #expect(tuesday.day == (try date(2026, 11, 24)))
        #expect(planner.dueWeek(at: at(2026, 11, 24, hour: 23))?.week.description == "2026-W48")
        #expect(planner.dueWeek(at: at(2026, 11, 25, hour: 0)) == nil, "Wednesday: not sent late")
        #expect(planner.dueWeek(at: at(2026, 11, 29, hour: 23)) == nil, "Sunday")
        #expect(planner.dueWeek(at: at(2026, 12, 1, hour: 8))?.week.description == "2026-W49")
        // 2026-11-24 07:30 UTC is still Monday evening in Los Angeles.
        let utcTuesday = try #require(ISO8601DateFormatter().date(from: "2026-11-24T07:30:00Z"))
        #expect(planner.dueWeek(at: utcTuesday) == nil, "days are counted in the configured time zone")
        var off = planner
        off.schedule.enabled = false
        #expect(off.dueWeek(at: at(2026, 11, 25)) == nil)
    }

    @Test("One digest per address: managers of several organizations, and the service's own manager, get one each")
    func recipients() {
        var directory = testDirectory
        directory.organizations.append(
            Organization(name: "ETSI", liaisonManagers: [Contact(address: "T-LM-ITU@example.test"), Contact(address: "t-lm@example.test")]))
        directory.organizations.append(Organization(name: "3GPP"))
        let planner = DigestPlanner(timeZone: zone, directory: directory, serviceManager: testSettings.liaisonManager)
        let recipients = planner.recipients()
        #expect(recipients.map(\.contact.address) == ["t-lm-itu@example.test", "t-lm-bbf@example.test", "t-lm@example.test"])
        #expect(recipients.map(\.organizations) == [["ITU-T", "ETSI"], ["Broadband Forum"], ["ETSI"]])
        #expect(recipients.map(\.serviceScope) == [nil, nil, .unassigned])

        var quiet = planner
        quiet.schedule.serviceManagerScope = .off
        #expect(quiet.recipients().map(\.contact.address) == ["t-lm-itu@example.test", "t-lm-bbf@example.test", "t-lm@example.test"])
        #expect(quiet.recipients().last?.serviceScope == nil, "managing ETSI, not the service scope")
        quiet.directory = testDirectory
        #expect(quiet.recipients().map(\.contact.address) == ["t-lm-itu@example.test", "t-lm-bbf@example.test"])
    }

    @Test("Overdue, due within 30 days, other open and triage, each manager seeing their organizations")
    func content() throws {
        let monday = try date(2026, 11, 23)
        let statements = [
            record(1, organization: "ITU-T", deadline: monday.adding(days: -3)),
            record(2, organization: "ITU-T SG15", deadline: monday.adding(days: 30)),
            record(3, organization: "ITU-T", deadline: monday.adding(days: 31)),
            record(4, organization: "ITU-T", purpose: .comment, deadline: nil),
            record(5, organization: "ITU-T", purpose: .information, deadline: nil),
            record(6, organization: "BBF", purpose: nil, deadline: monday.adding(days: 2), triage: true),
            record(7, organization: "ETSI", deadline: monday.adding(days: 5)),
            record(8, organization: "ITU-T", deadline: monday),
            record(9, organization: nil, purpose: nil, deadline: nil, triage: true),
            record(10, organization: "ITU-T", purpose: .response, deadline: monday.adding(days: -40)),
        ]
        let planner = DigestPlanner(timeZone: zone, directory: testDirectory, serviceManager: testSettings.liaisonManager)
        let digests = planner.due(statements, at: at(2026, 11, 23))
        #expect(digests.map(\.recipient.contact.address) == ["t-lm-itu@example.test", "t-lm-bbf@example.test", "t-lm@example.test"])
        func numbers(_ entries: [DigestEntry]) -> [Int] { entries.map(\.reference.number) }

        let itu = try #require(digests.first)
        #expect(numbers(itu.overdue) == [10, 1], "most overdue first")
        #expect(numbers(itu.dueSoon) == [8, 2], "soonest first; 30 days ahead is still within 30 days")
        #expect(numbers(itu.open) == [3, 4], "a later deadline, then none; information without a deadline is not listed")
        #expect(itu.triage.isEmpty)
        #expect(itu.overdue.map(\.daysLeft) == [-40, -3])
        #expect(itu.dueSoon.first?.organization == "ITU-T", "the directory's name for an alias")
        #expect(itu.subject == "[Liaison digest] 2026-W48: 2 overdue, 2 due within 30 days, 2 open")

        let bbf = digests[1]
        #expect(numbers(bbf.triage) == [6])
        #expect(bbf.count == 1)

        let service = digests[2]
        #expect(numbers(service.dueSoon) == [7], "ETSI has no liaison manager in the directory")
        #expect(numbers(service.triage) == [6, 9], "every statement in triage")
        #expect(service.overdue.isEmpty && service.open.isEmpty)
        #expect(service.subject == "[Liaison digest] 2026-W48: 1 due within 30 days, 2 in triage")

        var everything = planner
        everything.schedule.serviceManagerScope = .all
        #expect(everything.due(statements, at: at(2026, 11, 23)).last?.count == 9)
        #expect(planner.due(statements, at: at(2026, 11, 23), excluding: ["t-lm-bbf@example.test"]).count == 2)
        #expect(planner.due([], at: at(2026, 11, 23)).allSatisfy { $0.isEmpty })
    }

    @Test("The digest mail: to the manager, replies to the service's liaison manager, auto-generated, no reference header")
    func mail() throws {
        let planner = DigestPlanner(timeZone: zone, directory: testDirectory, serviceManager: nil)
        let digest = try #require(
            planner.due([record(1, organization: "ITU-T", deadline: try date(2026, 11, 20))], at: at(2026, 11, 23)).first)
        let factory = OutgoingMailFactory(settings: testSettings, templates: EchoTemplates(), uniqueToken: { "0123456789abcdef" })
        let message = try factory.digest(digest, directory: testDirectory, now: at(2026, 11, 23))
        #expect(message.kind == .digest)
        #expect(message.statement == nil)
        #expect(message.messageID == "digest-2026-W48.0123456789abcdef@example.test")
        #expect(message.envelope.sender == "t-intake@example.test")
        #expect(message.envelope.recipients == ["t-lm-itu@example.test"])
        let parsed = MIMEMessage(bytes: message.raw)
        #expect(parsed.subject == "[Liaison digest] 2026-W48: 1 overdue")
        #expect(parsed.header["Auto-Submitted"] == "auto-generated")
        #expect(parsed.header["X-Liaison-Loop"] == "liaison-test")
        #expect(parsed.header["X-Liaison-Reference"] == nil)
        #expect(parsed.header["Reply-To"]?.contains("t-lm@example.test") == true)
        let body = try #require(parsed.textBody())
        #expect(body.contains("week=2026-W48"))
        #expect(body.contains("organizations=ITU-T"))
        #expect(body.contains("overdue_count=1"))
    }
}
