import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import Testing

@testable import LiaisonDaemon

/// A configuration file (the demo's, prefix `t`) with its own state directory, and the pipeline
/// over that state with an in-memory mailbox and sender: the operator commands run against what
/// the pipeline recorded, as they would next to the daemon.
struct CommandWorld {
    let directory: URL
    let configPath: String
    let configuration: Configuration
    let mailbox = InMemoryMailbox()
    let sender = RecordingSender()
    let clock: FixedClock
    let store: SQLiteStore
    let poller: MailboxPoller
    let dispatcher: OutboxDispatcher

    init(at start: Date) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configPath = try Self.writeConfiguration(in: directory)
        configuration = try Liaison.configuration(at: configPath)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)

        clock = FixedClock(start)
        store = try SQLiteStore(path: configuration.databasePath)
        let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
        let processor = Runtime.processor(for: configuration, templates: templates)
        poller = MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock)
        dispatcher = OutboxDispatcher(
            store: store, sender: sender, clock: clock, retryPolicy: configuration.retry, notices: processor.mail)
    }

    /// Writes the demo's configuration (prefix `t`, state in `directory/state`, unreachable
    /// servers) into `directory`; returns its path.
    static func writeConfiguration(in directory: URL) throws -> String {
        let secret = directory.appendingPathComponent("password").path
        try Data("secret".utf8).write(to: URL(fileURLWithPath: secret))
        let ca = directory.appendingPathComponent("ca.crt").path
        try Data("not used".utf8).write(to: URL(fileURLWithPath: ca))
        let template = try String(
            contentsOf: PipelineTests.repository.appendingPathComponent("demo/liaison.yaml.in"), encoding: .utf8)
        let text = template
            .replacingOccurrences(of: "@PREFIX@", with: "t")
            .replacingOccurrences(of: "@STATE@", with: directory.appendingPathComponent("state").path)
            .replacingOccurrences(of: "@TEMPLATES@", with: PipelineTests.repository.appendingPathComponent("templates").path)
            .replacingOccurrences(of: "@HOST@", with: "127.0.0.1")
            .replacingOccurrences(of: "@IMAP_PORT@", with: "9")
            .replacingOccurrences(of: "@SUBMISSION_PORT@", with: "9")
            .replacingOccurrences(of: "@CA@", with: ca)
            .replacingOccurrences(of: "@PASSWORD_FILE@", with: secret)
        let configPath = directory.appendingPathComponent("liaison.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
        return configPath
    }

    /// A morning in the configured time zone (America/Los_Angeles).
    static func morning(_ year: Int, _ month: Int, _ day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Los_Angeles") ?? .current
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 9)) ?? Date()
    }

    /// Mails the demo samples in and polls once; returns the references recorded, in UID order.
    func receive(_ names: [String]) async throws -> [StatementReference] {
        for name in names { mailbox.deliver(try PipelineTests.sample(name)) }
        let report = try await poller.pollOnce()
        return report.outcomes.compactMap { outcome in
            if case .recorded(_, let reference, _) = outcome { return reference }
            return nil
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
