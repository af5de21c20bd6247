import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import Testing

@testable import LiaisonDaemon

/// `liaison render` previews reminders with the recipients `reminders:` configures.
@Suite("Configured reminder recipients in liaison render")
struct RenderRecipientsTests {
    @Test("An organization's override shows in the previewed envelope")
    func configuredRecipients() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-render-rcpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("pw\n".utf8).write(to: folder.appendingPathComponent("password"))
        let text = """
            service:
              address: "Liaison <t-intake@example.test>"
              liaison_manager: t-lm@example.test
              state_directory: state
              templates_directory: \(PipelineTests.repository.appendingPathComponent("templates").path)
            imap: { url: "imaps://imap.example.org:993", username: statements, password_file: password }
            smtp: { url: "smtp://smtp.example.org:587" }
            directory:
              areas:
                - { acronym: rtg, name: Routing, directors: t-rtg-ads@example.test }
              groups:
                - { acronym: ccamp, name: CCAMP, area: rtg, list: t-ccamp@example.test, chairs: t-ccamp-chairs@example.test }
              organizations:
                - { name: ITU-T, domains: [itu.int], liaison_managers: [t-lm-itu@example.test] }
            reminders:
              by_organization:
                ITU-T:
                  cc: [t-watch@example.test]
                  escalate_to: []

            """
        let configPath = folder.appendingPathComponent("liaison.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
        let configuration = try ConfigurationLoader.load(path: configPath)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        do {
            let store = try SQLiteStore(path: configuration.databasePath)
            let processor = Runtime.processor(
                for: configuration, templates: try TemplateLibrary(directory: configuration.templatesDirectory))
            let mailbox = InMemoryMailbox()
            mailbox.deliver(try PipelineTests.sample("2-itu-plain"))
            let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
            _ = try await MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock).pollOnce()
        }
        let output = try await Liaison.render(
            template: "reminder-overdue", statement: "LS-2026-0001", configPath: configPath,
            now: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(
            output.contains("Envelope: MAIL FROM:<t-intake@example.test> RCPT TO:<t-ccamp-chairs@example.test>, <t-ccamp@example.test>, <t-watch@example.test>"),
            "\(output)")
        #expect(!output.contains("t-rtg-ads@example.test"), "no escalation for ITU-T")
    }
}
