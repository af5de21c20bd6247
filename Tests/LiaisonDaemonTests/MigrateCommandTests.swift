import Foundation
import LiaisonCore
import LiaisonTemplates
import Testing

@testable import LiaisonDaemon
@testable import LiaisonStore

/// `liaison migrate` on a database made by the first schema (v1) and written through it.
@Suite("liaison migrate")
struct MigrateCommandTests {
    @Test("A v1 database is migrated once, keeps its statement, and is refused while the daemon holds the state")
    func fromFirstSchema() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configPath = try CommandWorld.writeConfiguration(in: directory)
        let configuration = try Liaison.configuration(at: configPath)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        let path = configuration.databasePath

        // A statement received by a Liaison whose schema was v1.
        try SQLiteStore.createSchema(at: path, upTo: "v1")
        let reference: StatementReference
        do {
            let old = try SQLiteStore(pathWithoutMigrating: path)
            let mailbox = InMemoryMailbox()
            mailbox.deliver(try PipelineTests.sample("1-datatracker"))
            let processor = Runtime.processor(
                for: configuration, templates: try TemplateLibrary(directory: configuration.templatesDirectory))
            let poller = MailboxPoller(source: mailbox, store: old, processor: processor, clock: FixedClock(Date()))
            let report = try await poller.pollOnce()
            reference = try #require(
                report.outcomes.compactMap { outcome -> StatementReference? in
                    if case .recorded(_, let reference, _) = outcome { return reference }
                    return nil
                }.first)
        }
        let later = SQLiteStore.knownMigrations.dropFirst()
        let latest = try #require(SQLiteStore.knownMigrations.last)
        #expect(try SQLiteStore.schemaStatus(at: path) == SchemaStatus(applied: ["v1"], pending: Array(later)))

        let dryRun = try Liaison.migrate(configPath: configPath, dryRun: true)
        #expect(dryRun.contains("schema v1; would apply \(later.joined(separator: ", "))"))
        #expect(try SQLiteStore.schemaStatus(at: path).applied == ["v1"])

        do {
            let daemon = try StateDirectoryLock(directory: configuration.stateDirectory)
            defer { daemon.release() }
            #expect(throws: StoreError.alreadyLocked(path: daemon.path)) {
                try Liaison.migrate(configPath: configPath, dryRun: false)
            }
            #expect(try SQLiteStore.schemaStatus(at: path).applied == ["v1"])
        }

        let migrated = try Liaison.migrate(configPath: configPath, dryRun: false)
        #expect(migrated.contains("schema v1 → schema \(latest)"))
        #expect(try SQLiteStore.schemaStatus(at: path) == SchemaStatus(applied: SQLiteStore.knownMigrations, pending: []))
        #expect(try Liaison.migrate(configPath: configPath, dryRun: false).contains("schema \(latest), up to date"))

        let store = try SQLiteStore(path: path)
        #expect(try await store.integrityCheck())
        #expect(try await store.statement(reference: reference) != nil)
        #expect(try await store.close(reference, reason: "action taken", at: Date()))
    }
}
