import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import Synchronization
import Testing

@testable import LiaisonDaemon

/// The test-only crash points: `LIAISON_CRASH_AT` parsing, and where the pipeline reports them.
@Suite("Crash points")
struct CrashInjectionTests {
    @Test("LIAISON_CRASH_AT names a point and an arrival; anything else stops start-up")
    func parsing() throws {
        #expect(try CrashInjection.parse("after-send:3") == (.afterSend, 3))
        #expect(try CrashInjection.parse("after-fetch") == (.afterFetch, 1))
        for bad in ["after-fech:1", "after-send:0", "after-send:-2", "after-send:x", "after-send:1:2", "AFTER-SEND", ":3"] {
            #expect(throws: CrashInjection.Invalid.self, "\(bad)") { try CrashInjection.parse(bad) }
        }
        let error = CrashInjection.Invalid(value: "nowhere")
        #expect(error.description.contains("LIAISON_CRASH_AT=nowhere") && error.description.contains("after-record"))
        #expect(throws: CrashInjection.Invalid.self) { try CrashInjection.crashPoints(environment: ["LIAISON_CRASH_AT": "later"]) }
        // Unset or empty: no hook (the pipeline tests below would see no arrivals).
        _ = try CrashInjection.crashPoints(environment: [:])
        _ = try CrashInjection.crashPoints(environment: ["LIAISON_CRASH_AT": ""])
    }

    @Test("The pipeline reports each durable step in order: fetch, reference, commit, move; send, record")
    func order() async throws {
        let reached = Mutex<[CrashPoint]>([])
        let points = CrashPoints { point in reached.withLock { $0.append(point) } }
        let world = try PipelineWorld(crashPoints: points)
        world.mailbox.deliver(try PipelineTests.sample("2-itu-plain"))
        _ = try await world.poller.pollOnce()
        #expect(reached.withLock { $0 } == [.afterFetch, .afterReference, .afterCommit, .beforeMove, .afterMove])
        reached.withLock { $0 = [] }
        let summary = try await world.dispatcher.dispatchDue()
        #expect(summary.attempted == 2, "a forward and an acknowledgement")
        #expect(reached.withLock { $0 } == [.afterSend, .afterRecord, .afterSend, .afterRecord])
        // The same bytes again (a duplicate): fetched, committed as a duplicate and moved, no reference.
        reached.withLock { $0 = [] }
        world.mailbox.deliver(try PipelineTests.sample("2-itu-plain"))
        _ = try await world.poller.pollOnce()
        #expect(reached.withLock { $0 } == [.afterFetch, .afterCommit, .beforeMove, .afterMove])
    }

    /// The pipeline of ``PipelineTests`` with crash points.
    struct PipelineWorld {
        let mailbox = InMemoryMailbox()
        let poller: MailboxPoller
        let dispatcher: OutboxDispatcher

        init(crashPoints: CrashPoints) throws {
            let store = try SQLiteStore.inMemory()
            let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
            let templates = try TemplateLibrary(directory: PipelineTests.repository.appendingPathComponent("templates").path)
            let settings = IntakeSettings(
                serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"),
                liaisonManager: Contact(address: "t-lm@example.test"), instanceID: "liaison-test")
            let directory = Directory(
                areas: [Area(acronym: "rtg", name: "Routing", directors: [Contact(address: "t-rtg-ads@example.test")])],
                groups: [Group(acronym: "ccamp", name: "CCAMP", area: "rtg", list: Contact(address: "t-ccamp@example.test"))],
                organizations: [])
            let processor = IntakeProcessor(
                settings: settings, extractor: StatementExtractor(directory: directory),
                router: Router(directory: directory, rules: [], liaisonManager: settings.liaisonManager),
                mail: OutgoingMailFactory(settings: settings, templates: templates))
            poller = MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock, crashPoints: crashPoints)
            dispatcher = OutboxDispatcher(store: store, sender: RecordingSender(), clock: clock, crashPoints: crashPoints)
        }
    }
}
