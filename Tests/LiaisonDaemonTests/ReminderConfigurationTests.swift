import Foundation
import LiaisonCore
import Testing

@testable import LiaisonDaemon

/// The `reminders:` and `digest:` sections of liaison.yaml.
@Suite("Reminder and digest configuration")
struct ReminderConfigurationTests {
    func secretFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-secret-\(UUID().uuidString)").path
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The shared valid file plus `extra`; returns the text and the line number `extra` starts on.
    func config(_ extra: String) throws -> (text: String, firstLine: Int) {
        let base = ConfigurationTests.valid(secret: try secretFile())
        return (base + extra, base.filter { $0 == "\n" }.count + 1)
    }

    @Test("Without the sections: the Datatracker's days and recipients, digests on Mondays")
    func defaults() throws {
        let configuration = try ConfigurationLoader.parse(try config("").text, file: "liaison.yaml")
        #expect(configuration.reminders == ReminderSettings())
        #expect(configuration.reminders.schedule.daysBefore == [14, 7, 4, 3, 2, 1, 0])
        #expect(configuration.reminders.recipients.defaults.to == [.toContacts, .actionHolders])
        #expect(configuration.reminders.recipients.defaults.escalation == [.areaDirectors])
        #expect(configuration.digest == DigestSchedule())
        #expect(configuration.digest.weekday == .monday)
        #expect(configuration.digest.horizonDays == 30)
    }

    @Test("Schedule, default recipients and overrides per purpose and per organization are read")
    func valid() throws {
        let text = try config(
            """
            reminders:
              schedule:
                days_before: [10, 3, 0]
                overdue_days: 5
              recipients:
                cc: [response_contacts, liaison_managers, "Tracker <tracker@example.org>"]
              by_purpose:
                comment:
                  to: [chairs]
                  escalate_to: []
              by_organization:
                itu-t:
                  to: [to_contacts, area_directors]
            digest:
              weekday: Fri
              hour: 8
              horizon_days: 21
              service_manager: all

            """
        ).text
        let configuration = try ConfigurationLoader.parse(text, file: "liaison.yaml")
        let reminders = configuration.reminders
        #expect(reminders.schedule == ReminderSchedule(daysBefore: [10, 3, 0], overdueDays: 5))
        let policy = reminders.recipients
        #expect(policy.defaults.to == [.toContacts, .actionHolders], "a list not given keeps its default")
        #expect(
            policy.defaults.cc == [
                .responseContacts, .liaisonManagers, .address(Contact(name: "Tracker", address: "tracker@example.org")),
            ])
        #expect(policy.byPurpose[.comment] == ReminderRecipientOverride(to: [.chairs], escalation: []))
        #expect(policy.byOrganization["itu-t"] == ReminderRecipientOverride(to: [.toContacts, .areaDirectors]))
        let comment = policy.recipients(purpose: .comment, organization: "ITU-T")
        #expect(comment.to == [.toContacts, .areaDirectors], "the organization's override wins")
        #expect(comment.escalation.isEmpty, "the purpose's override is kept where the organization gives nothing")
        #expect(configuration.digest == DigestSchedule(weekday: .friday, hour: 8, horizonDays: 21, serviceManagerScope: .all))
    }

    @Test("Every mistake is reported with file, line and key")
    func problems() throws {
        let (text, line) = try config(
            """
            reminders:
              schedule:
                days_before: [7, 7, -1]
              recipients:
                to: []
                cc: [liaison_manager, response_contacts]
              by_purpose:
                acton:
                  to: [chairs]
              by_organization:
                ETSI:
                  cc: [nobody@example.org]
                ITU-T:
                  bcc: [x@example.org]
            digest:
              weekday: someday
              hour: 24
              service_manager: everyone

            """)
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.parse(text, file: "liaison.yaml") }
        guard case .invalid(let problems) = error else {
            Issue.record("expected problems, got \(String(describing: error))")
            return
        }
        let lines = problems.map(\.description)
        let expected = [
            "liaison.yaml:\(line + 2): reminders.schedule.days_before[1]: 7 is listed twice",
            "liaison.yaml:\(line + 2): reminders.schedule.days_before[2]: expected a whole number of days between 0 and 365",
            "liaison.yaml:\(line + 4): reminders.recipients.to: must name at least one recipient, or reminders would go to nobody",
            "liaison.yaml:\(line + 5): reminders.recipients.cc: unknown recipient liaison_manager (did you mean liaison_managers?): "
                + "use action_holders, area_directors, chairs, liaison_managers, response_contacts, technical_contacts, to_contacts or a mail address",
            "liaison.yaml:\(line + 7): reminders.by_purpose.acton: unknown purpose acton (use action, comment, information or response)",
            "liaison.yaml:\(line + 10): reminders.by_organization.ETSI: unknown organization ETSI (define it under directory.organizations)",
            "liaison.yaml:\(line + 13): reminders.by_organization.ITU-T.bcc: unknown key (did you mean cc?)",
            "liaison.yaml:\(line + 13): reminders.by_organization.ITU-T: expected to, cc or escalate_to",
            "liaison.yaml:\(line + 15): digest.weekday: must be a day of the week, monday to sunday",
            "liaison.yaml:\(line + 16): digest.hour: must be between 0 and 23",
            "liaison.yaml:\(line + 17): digest.service_manager: must be all, unassigned or none",
        ]
        for problem in expected { #expect(lines.contains(problem), "\(problem)\nin:\n\(lines.joined(separator: "\n"))") }
        #expect(problems.count == expected.count, "\(lines.joined(separator: "\n"))")
    }

    @Test("An organization named twice (by name and alias) is refused")
    func twice() throws {
        let text = try config(
            """
            reminders:
              by_organization:
                ITU-T: { cc: [liaison_managers] }
                itu-t: { cc: [response_contacts] }

            """
        ).text
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.parse(text, file: "liaison.yaml") }
        #expect(error?.description.contains("reminders.by_organization.itu-t: ITU-T is already configured as ITU-T") == true)
    }
}
