import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME
import Testing

/// A statement walked from arrival to deadline + 15 days with a test clock: every reminder's day,
/// recipients and text, none twice across a restart and double runs.
@Suite("Reminders over a statement's life")
struct ReminderWalkTests {
    let zone = TimeZone(identifier: "America/Los_Angeles") ?? .current
    let settings = IntakeSettings(
        serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"),
        liaisonManager: Contact(address: "t-lm@example.test"),
        timeZone: TimeZone(identifier: "America/Los_Angeles") ?? .current,
        instanceID: "liaison-test")
    let directory = Directory(
        areas: [Area(acronym: "rtg", name: "Routing", directors: [Contact(address: "t-rtg-ads@example.test")])],
        groups: [
            Group(acronym: "ccamp", name: "CCAMP", area: "rtg", list: Contact(address: "t-ccamp@example.test"), chairs: Contact(address: "t-ccamp-chairs@example.test"))
        ],
        organizations: [Organization(name: "ITU-T", domains: ["itu.int"], liaisonManagers: [Contact(address: "t-lm-itu@example.test")])])

    func morning(_ year: Int, _ month: Int, _ day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 9)) ?? Date()
    }

    /// The pipeline over one database file, as a fresh process would build it.
    struct Process {
        let store: SQLiteStore
        let poller: MailboxPoller
        let reminders: ReminderRun
        let dispatcher: OutboxDispatcher
    }

    func start(path: String, mailbox: InMemoryMailbox, sender: RecordingSender, clock: FixedClock) throws -> Process {
        let store = try SQLiteStore(path: path)
        let templates = try TemplateLibrary(directory: PipelineTests.repository.appendingPathComponent("templates").path)
        let mail = OutgoingMailFactory(settings: settings, templates: templates)
        let processor = IntakeProcessor(
            settings: settings, extractor: StatementExtractor(directory: directory),
            router: Router(directory: directory, rules: [], liaisonManager: settings.liaisonManager), mail: mail)
        return Process(
            store: store,
            poller: MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock),
            reminders: ReminderRun(store: store, planner: ReminderPlanner(timeZone: zone, directory: directory), mail: mail, clock: clock),
            dispatcher: OutboxDispatcher(store: store, sender: sender, clock: clock))
    }

    @Test("21 reminders on the Datatracker's days, escalating from the deadline, each sent once")
    func walk() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-remind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("liaison.sqlite").path
        let mailbox = InMemoryMailbox()
        let sender = RecordingSender()
        let clock = FixedClock(morning(2026, 11, 20))
        mailbox.deliver(try PipelineTests.sample("2-itu-plain"))  // deadline 15 January 2027

        var process = try start(path: path, mailbox: mailbox, sender: sender, clock: clock)
        _ = try await process.poller.pollOnce()
        _ = try await process.dispatcher.dispatchDue()
        let intakeMail = sender.sent.withLock { $0.count }

        var day = morning(2026, 12, 1)
        while day <= morning(2027, 1, 30) {
            clock.set(day)
            if day == morning(2027, 1, 10) {
                // A restart: a new process over the same database.
                process = try start(path: path, mailbox: mailbox, sender: sender, clock: clock)
            }
            _ = try await process.reminders.run()
            _ = try await process.reminders.run()  // a double run the same day changes nothing
            _ = try await process.dispatcher.dispatchDue()
            day = day.addingTimeInterval(86_400)
        }

        let reminders = sender.sent.withLock { Array($0.dropFirst(intakeMail)) }.map { ($0, MIMEMessage(bytes: $0.raw)) }
        let subjects = reminders.map { $0.1.subject ?? "" }
        let title = "LS on management of 400G optical transport interfaces"
        var expected = [
            "Deadline in two weeks", "Deadline in one week", "Deadline in four days", "Deadline in three days",
            "Deadline in two days", "Deadline tomorrow", "Deadline today",
        ]
        expected += (1...14).map { "OUT OF DATE (\($0) day\($0 == 1 ? "" : "s"))" }
        #expect(subjects == expected.map { "[LS-2026-0001] \($0): \(title)" })
        #expect(Set(reminders.map { $0.1.messageID }).count == 21, "21 distinct messages")

        let dates = reminders.compactMap { $0.1.date }.map { "\($0.year)-\($0.month)-\($0.day)" }
        #expect(dates.first == "2027-1-1")
        #expect(dates.last == "2027-1-29")

        let beforeDeadline = try #require(reminders.first)
        #expect(beforeDeadline.0.envelope.recipients == ["t-ccamp-chairs@example.test", "t-ccamp@example.test", "t-lm-itu@example.test"])
        #expect(beforeDeadline.1.header["Auto-Submitted"] == "auto-generated")
        #expect(beforeDeadline.1.textBody()?.contains("a reply to this liaison statement is expected by 2027-01-15") == true)
        let overdue = try #require(reminders.last)
        #expect(overdue.0.envelope.recipients.contains("t-rtg-ads@example.test"), "overdue reminders escalate to the area directors")
        #expect(overdue.1.textBody()?.contains("passed 14 day(s) ago (2027-01-15)") == true)

        let events = try await process.store.events(reference: StatementReference(year: 2026, number: 1))
        #expect(events.filter { $0.kind == "reminded" }.count == 21)
    }
}
