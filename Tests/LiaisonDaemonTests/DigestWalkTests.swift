import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import Logging
import MIME
import Testing

@testable import LiaisonDaemon

/// Ten weeks of daemon cycles with a test clock: every weekly digest's day, recipient and text,
/// none twice across a restart, double runs and the clock set back.
@Suite("Weekly digests over ten weeks")
struct DigestWalkTests {
    let zone = TimeZone(identifier: "America/Los_Angeles") ?? .current
    let settings = IntakeSettings(
        serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"),
        liaisonManager: Contact(name: "IETF Liaison Manager", address: "t-lm@example.test"),
        timeZone: TimeZone(identifier: "America/Los_Angeles") ?? .current,
        instanceID: "liaison-test")
    let directory = Directory(
        areas: [
            Area(acronym: "ops", name: "Operations", directors: [Contact(address: "t-ops-ads@example.test")]),
            Area(acronym: "rtg", name: "Routing", directors: [Contact(address: "t-rtg-ads@example.test")]),
        ],
        groups: [
            Group(
                acronym: "mars", name: "MARS", area: "ops", list: Contact(address: "t-mars@example.test"),
                chairs: Contact(address: "t-mars-chairs@example.test")),
            Group(
                acronym: "ccamp", name: "CCAMP", area: "rtg", list: Contact(address: "t-ccamp@example.test"),
                chairs: Contact(address: "t-ccamp-chairs@example.test")),
        ],
        organizations: [
            Organization(name: "ITU-T", domains: ["itu.int"], liaisonManagers: [Contact(name: "ITU LM", address: "t-lm-itu@example.test")]),
            Organization(
                name: "Broadband Forum", domains: ["broadband-forum.example"], liaisonManagers: [Contact(address: "t-lm-bbf@example.test")]),
        ])

    func at(_ year: Int, _ month: Int, _ day: Int, hour: Int = 9) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour)) ?? Date()
    }

    /// The daemon's pieces over one database file, as a fresh process builds them.
    struct Process {
        let store: SQLiteStore
        let poller: MailboxPoller
        let reminders: ReminderRun
        let digests: DigestRun
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
            digests: DigestRun(
                store: store,
                planner: DigestPlanner(timeZone: zone, directory: directory, serviceManager: settings.liaisonManager),
                mail: mail, clock: clock),
            dispatcher: OutboxDispatcher(store: store, sender: sender, clock: clock))
    }

    /// One daemon cycle, as `liaison run` does it every poll interval.
    func cycleOnce(_ process: Process) async -> Bool {
        await cycle(
            poller: process.poller, reminders: process.reminders, digests: process.digests, dispatcher: process.dispatcher,
            logger: Logger(label: "digest-walk-test"))
    }

    @Test("On Mondays only, one per manager and week; a closed organization's manager gets none; the service manager sees triage")
    func walk() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("liaison.sqlite").path
        let mailbox = InMemoryMailbox()
        let sender = RecordingSender()
        // Friday 20 November 2026: three statements arrive (BBF and ITU-T due 2027-01-15, one for triage).
        let clock = FixedClock(at(2026, 11, 20))
        for name in ["1-datatracker", "2-itu-plain", "3-no-fields"] { mailbox.deliver(try PipelineTests.sample(name)) }

        var process = try start(path: path, mailbox: mailbox, sender: sender, clock: clock)
        #expect(await cycleOnce(process))
        let bbf = StatementReference(year: 2026, number: 1)
        #expect(try await process.store.statement(reference: StatementReference(year: 2026, number: 3))?.state == .needsTriage)

        var day = at(2026, 11, 21)
        while day <= at(2027, 1, 31) {
            clock.set(day)
            if day == at(2027, 1, 5) {
                #expect(try await process.store.close(bbf, reason: "action taken", at: day))
            }
            #expect(await cycleOnce(process))
            if day == at(2026, 12, 14) {
                // A restart on a Monday, after that Monday's digests: a new process over the same database.
                process = try start(path: path, mailbox: mailbox, sender: sender, clock: clock)
            }
            #expect(await cycleOnce(process), "a double run the same day")
            clock.advance(by: 6 * 3600)  // the same day, later: still nothing new
            #expect(await cycleOnce(process))
            day = day.addingTimeInterval(86_400)
        }
        // The clock set back to a Wednesday of December: no digest of that week again.
        clock.set(at(2026, 12, 9))
        #expect(await cycleOnce(process))

        let digests = sender.sent.withLock { $0 }.map { ($0, MIMEMessage(bytes: $0.raw)) }
            .filter { $0.1.subject?.hasPrefix("[Liaison digest]") == true }
        func weeks(_ address: String) -> [String] {
            digests.filter { $0.0.envelope.recipients == [address] }.compactMap { $0.1.subject?.split(separator: " ")[2] }
                .map { String($0.dropLast()) }
        }
        let allWeeks = ["2026-W48", "2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02", "2027-W03", "2027-W04"]
        #expect(weeks("t-lm-itu@example.test") == allWeeks)
        #expect(weeks("t-lm-bbf@example.test") == Array(allWeeks.prefix(7)), "nothing open after LS-2026-0001 was closed")
        #expect(weeks("t-lm@example.test") == allWeeks, "the statement in triage, every week")
        #expect(digests.count == 27)
        #expect(Set(digests.map { $0.1.messageID }).count == 27)

        // Every digest went out on a Monday, dated in the configured time zone.
        for (_, message) in digests {
            let date = try #require(message.date)
            let local = try #require(CalendarDate(Date(timeIntervalSince1970: TimeInterval(date.secondsSince1970)), in: zone))
            #expect(local.weekday == .monday)
        }

        let itu = digests.filter { $0.0.envelope.recipients == ["t-lm-itu@example.test"] }.map(\.1)
        let first = try #require(itu.first?.textBody())
        #expect(itu.first?.subject == "[Liaison digest] 2026-W48: 1 open")
        #expect(first.contains("Liaison statements, week 2026-W48: ITU-T"))
        #expect(first.contains("OPEN, NO DEADLINE SOON (1)"))
        #expect(first.contains("LS-2026-0002  LS on management of 400G optical transport interfaces"))
        #expect(first.contains("ITU-T to CCAMP; For action; deadline 2027-01-15, due in 53 days"))
        #expect(!first.contains("LS-2026-0001"), "another organization's statement")
        #expect(itu[4].subject == "[Liaison digest] 2026-W52: 1 due within 30 days", "21 December: 25 days to go")
        #expect(try #require(itu[4].textBody()).contains("DUE IN THE NEXT 30 DAYS (1)"))
        #expect(itu[8].subject == "[Liaison digest] 2027-W03: 1 overdue")
        #expect(try #require(itu[8].textBody()).contains("deadline 2027-01-15, 3 days overdue"))
        #expect(itu.first?.header["Auto-Submitted"] == "auto-generated")
        #expect(itu.first?.header["Reply-To"]?.contains("t-lm@example.test") == true)

        let service = try #require(digests.first { $0.0.envelope.recipients == ["t-lm@example.test"] }?.1)
        #expect(service.subject == "[Liaison digest] 2026-W48: 1 in triage")
        let serviceBody = try #require(service.textBody())
        #expect(serviceBody.contains("IN TRIAGE (1)"))
        #expect(serviceBody.contains("LS-2026-0003  (no title)\n      sent by Build Robot <t-robot@example.test>; (not stated); no deadline"))
        #expect(serviceBody.contains("As the service's liaison manager you also see statements in triage"))

        let recorded = try await process.store.digests()
        #expect(recorded.count == 30, "27 sent, and 3 empty weeks of the BBF manager recorded without mail")
        #expect(recorded.filter { !$0.sent }.map(\.recipient) == Array(repeating: "t-lm-bbf@example.test", count: 3))
    }

    @Test("The configured weekday and hour, read from liaison.yaml, reach the daemon's digest run")
    func configuredWeekday() async throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-secret-\(UUID().uuidString)").path
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: secret))
        defer { try? FileManager.default.removeItem(atPath: secret) }
        let text = ConfigurationTests.valid(secret: secret) + "digest:\n  weekday: thursday\n  hour: 7\n  service_manager: none\n"
        let configuration = try ConfigurationLoader.parse(text, file: "/etc/liaison/liaison.yaml")
        let planner = DigestPlanner(
            schedule: configuration.digest, timeZone: configuration.intake.timeZone, directory: configuration.directory,
            serviceManager: configuration.intake.liaisonManager)
        #expect(planner.dueWeek(at: at(2026, 11, 25, hour: 23)) == nil, "Wednesday")
        #expect(planner.dueWeek(at: at(2026, 11, 26, hour: 6)) == nil, "Thursday before 07:00")
        #expect(planner.dueWeek(at: at(2026, 11, 26, hour: 7))?.week.description == "2026-W48")
        #expect(planner.recipients().map(\.contact.address) == ["itu-lm@example.org"])
    }
}
