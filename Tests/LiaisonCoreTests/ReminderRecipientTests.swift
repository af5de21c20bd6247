import Foundation
import LiaisonCore
import Testing

/// Reminder recipients by role, overridden per purpose and per organization.
@Suite("Reminder recipients")
struct ReminderRecipientTests {
    let zone = TimeZone(identifier: "America/Los_Angeles") ?? .current

    func open(purpose: Purpose = .action, organization: String = "ITU-T") -> OpenStatement {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on 400G"
        statement.purpose = purpose
        statement.deadline = CalendarDate(year: 2027, month: 3, day: 15)
        statement.fromOrganization = organization
        statement.toContacts = [Contact(address: "t-ccamp-chairs@example.test")]
        statement.responseContacts = [Contact(address: "rapporteur@itu.int")]
        statement.technicalContacts = [Contact(address: "editor@itu.int")]
        statement.actionHolders = ["IETF MARS WG"]
        return OpenStatement(
            reference: StatementReference(year: 2026, number: 7), statement: statement,
            routing: RoutingDecision(to: [Contact(address: "t-ccamp@example.test")], groups: ["ccamp", "mars"], lead: "ccamp"))
    }

    /// 09:00 in Los Angeles, `offset` days from the deadline (2027-03-15).
    func day(_ offset: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = calendar.date(from: DateComponents(year: 2027, month: 3, day: 15, hour: 9)) ?? Date()
        return date.addingTimeInterval(Double(offset) * 86_400)
    }

    func addresses(_ planner: ReminderPlanner, _ statement: OpenStatement, _ offset: Int) throws -> (to: [String], cc: [String]) {
        let reminder = try #require(planner.due([statement], at: day(offset)).first)
        return (reminder.to.map(\.address), reminder.cc.map(\.address))
    }

    @Test("The default policy is the Datatracker's")
    func defaults() throws {
        let planner = ReminderPlanner(timeZone: zone, directory: testDirectory)
        let week = try addresses(planner, open(), -7)
        #expect(week.to == ["t-ccamp-chairs@example.test", "t-mars-chairs@example.test"])
        #expect(week.cc == ["rapporteur@itu.int", "editor@itu.int", "t-lm-itu@example.test"])
        let late = try addresses(planner, open(), 2)
        #expect(late.to == ["t-ccamp-chairs@example.test", "t-mars-chairs@example.test", "t-rtg-ads@example.test"])
    }

    @Test("Per purpose, then per organization; a list an override does not give is kept")
    func overrides() throws {
        let policy = ReminderRecipientPolicy(
            defaults: ReminderRecipientSet(),
            byPurpose: [
                .comment: ReminderRecipientOverride(to: [.chairs], cc: [.liaisonManagers], escalation: [])
            ],
            byOrganization: [
                "itu-t": ReminderRecipientOverride(
                    cc: [.responseContacts, .address(Contact(name: "Watch", address: "t-watch@example.test"))])
            ])
        let planner = ReminderPlanner(timeZone: zone, directory: testDirectory, recipientPolicy: policy)

        let comment = try addresses(planner, open(purpose: .comment, organization: "BBF"), 2)
        #expect(comment.to == ["t-ccamp-chairs@example.test", "t-mars-chairs@example.test"], "chairs of the routed groups, no escalation")
        #expect(comment.cc == ["t-lm-bbf@example.test"], "the organization found by its alias")

        let ituComment = try addresses(planner, open(purpose: .comment, organization: "ITU-T SG15"), -7)
        #expect(ituComment.to == ["t-ccamp-chairs@example.test", "t-mars-chairs@example.test"], "the purpose's To is kept")
        #expect(ituComment.cc == ["rapporteur@itu.int", "t-watch@example.test"], "the organization's Cc wins")

        let ituAction = try addresses(planner, open(purpose: .action), 0)
        #expect(ituAction.to == ["t-ccamp-chairs@example.test", "t-mars-chairs@example.test", "t-rtg-ads@example.test"])
        #expect(ituAction.cc == ["rapporteur@itu.int", "t-watch@example.test"])
    }

    @Test("Every role resolves; an address is listed once, To first")
    func roles() throws {
        var statement = open()
        statement.statement.toContacts = []
        let all: [ReminderRecipient] = [
            .toContacts, .actionHolders, .chairs, .areaDirectors, .responseContacts, .technicalContacts, .liaisonManagers,
        ]
        let policy = ReminderRecipientPolicy(defaults: ReminderRecipientSet(to: all, cc: all, escalation: []))
        let planner = ReminderPlanner(timeZone: zone, directory: testDirectory, recipientPolicy: policy)
        let result = try addresses(planner, statement, -7)
        #expect(
            result.to == [
                "t-ccamp@example.test", "t-mars-chairs@example.test", "t-ccamp-chairs@example.test", "t-rtg-ads@example.test",
                "rapporteur@itu.int", "editor@itu.int", "t-lm-itu@example.test",
            ], "to_contacts falls back to the routed To when the statement names none")
        #expect(result.cc.isEmpty)
        #expect(ReminderRecipient.roles.count == 7)
        #expect(ReminderRecipient.chairs.description == "chairs")
    }
}
