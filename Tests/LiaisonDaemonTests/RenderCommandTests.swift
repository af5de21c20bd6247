import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME
import Testing

@testable import LiaisonDaemon

/// `liaison render` and the closed notice, over a configuration file, the real templates and a
/// database holding one statement from ITU-T (deadline 2027-01-15).
@Suite("liaison render and closed notices")
struct RenderCommandTests {
    let folder: URL
    let configPath: String
    let configuration: Configuration
    let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18
    let mailbox = InMemoryMailbox()
    let reference = StatementReference(year: 2026, number: 1)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("pw\n".utf8).write(to: folder.appendingPathComponent("password"))
        let text = """
            service:
              address: "Liaison <t-intake@example.test>"
              liaison_manager: t-lm@example.test
              state_directory: state
              templates_directory: \(TemplateTests.folder)
            imap: { url: "imaps://imap.example.org:993", username: statements, password_file: password }
            smtp: { url: "smtp://smtp.example.org:587" }
            directory:
              areas:
                - { acronym: rtg, name: Routing, directors: t-rtg-ads@example.test }
              groups:
                - { acronym: ccamp, name: Common Control and Measurement Plane, area: rtg, list: t-ccamp@example.test, chairs: t-ccamp-chairs@example.test }
              organizations:
                - { name: ITU-T, domains: [itu.int], liaison_managers: [t-lm-itu@example.test] }
            """
        configPath = folder.appendingPathComponent("liaison.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
        configuration = try ConfigurationLoader.load(path: configPath)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
    }

    /// The poller of the configured pipeline over the configured database.
    func poller() throws -> (MailboxPoller, SQLiteStore) {
        let store = try SQLiteStore(path: configuration.databasePath)
        let processor = Runtime.processor(for: configuration, templates: try TemplateLibrary(directory: configuration.templatesDirectory))
        return (MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock), store)
    }

    /// Records the ITU-T sample statement as LS-2026-0001.
    func recordSample() async throws -> SQLiteStore {
        let (poller, store) = try poller()
        mailbox.deliver(try PipelineTests.sample("2-itu-plain"))
        _ = try await poller.pollOnce()
        return store
    }

    @Test("Every template about a statement previews: the file used, envelope, headers and text")
    func previewsEveryTemplate() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await recordSample()
        for template in OutgoingMailFactory.statementTemplates {
            let output = try await Liaison.render(template: template, statement: "LS-2026-0001", configPath: configPath, now: clock.now())
            #expect(output.hasPrefix("Template: "), "\(template)")
            #expect(output.contains("Envelope: MAIL FROM:<"), "\(template)")
            #expect(output.contains("\nSubject: [LS-2026-0001] "), "\(template)")
            #expect(output.contains("\nX-Liaison-Reference: LS-2026-0001"), "\(template)")
            #expect(output.contains("2027-01-15") && output.contains("ITU-T") && output.contains("CCAMP"), "\(template): \(output)")
            #expect(!output.contains("\r"), "\(template): plain line ends")
        }
        let acknowledgement = try await Liaison.render(
            template: "acknowledgement", statement: "LS-2026-0001", configPath: configPath, now: clock.now())
        #expect(acknowledgement.hasPrefix("Template: organizations/itu-t/acknowledgement.mustache"))
        #expect(acknowledgement.contains("Envelope: MAIL FROM:<> RCPT TO:<t-rapporteur@itu.int>"))
        #expect(acknowledgement.contains("Auto-Submitted: auto-replied"))

        let overdue = try await Liaison.render(
            template: "reminder-overdue", statement: "LS-2026-0001", configPath: configPath, now: clock.now())
        #expect(overdue.hasPrefix("Template: reminder-overdue.mustache"))
        #expect(overdue.contains("Subject: [LS-2026-0001] OUT OF DATE (1 day): "), "a day after the deadline while it is still ahead")
        #expect(overdue.contains("t-rtg-ads@example.test"), "overdue reminders escalate to the area directors")
        let before = try await Liaison.render(
            template: "reminder-before", statement: "LS-2026-0001", configPath: configPath, now: clock.now())
        #expect(before.contains("in 58 day(s)"), "counted from today: 2026-11-18 to 2027-01-15")
        let forward = try await Liaison.render(template: "forward", statement: "LS-2026-0001", configPath: configPath, now: clock.now())
        #expect(forward.contains("[attached: the original message, "))
    }

    @Test("Unknown templates and references are clear errors")
    func errors() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await recordSample()
        await #expect {
            try await Liaison.render(template: "acknowledgment", statement: "LS-2026-0001", configPath: configPath)
        } throws: { error in
            "\(error)" == "unknown template acknowledgment; templates about a statement: "
                + OutgoingMailFactory.statementTemplates.joined(separator: ", ")
        }
        await #expect {
            try await Liaison.render(template: "forward", statement: "LS-2026-0099", configPath: configPath)
        } throws: { error in
            "\(error)" == "no statement is recorded as LS-2026-0099"
        }
        await #expect {
            try await Liaison.render(template: "forward", statement: "statement 7", configPath: configPath)
        } throws: { error in
            "\(error)".contains("is not a reference number")
        }
    }

    @Test("liaison close queues one closed notice to the chairs and liaison managers; closing again tells nobody twice")
    func closeCommandNotice() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await recordSample()
        let output = try await Liaison.close(reference: "LS-2026-0001", configPath: configPath)
        #expect(output.hasPrefix("LS-2026-0001 closed: action taken; closed notice queued to "))
        let notices = try await store.outgoing(reference: reference).filter { $0.message.kind == .closedNotice }
        let notice = try #require(notices.first)
        #expect(notices.count == 1)
        #expect(
            notice.message.envelope.recipients == ["t-ccamp-chairs@example.test", "t-ccamp@example.test", "t-lm@example.test", "t-lm-itu@example.test"])
        let parsed = MIMEMessage(bytes: notice.message.raw)
        #expect(parsed.subject == "[LS-2026-0001] Closed: LS on management of 400G optical transport interfaces")
        #expect(parsed.header["Auto-Submitted"] == "auto-generated")
        #expect(parsed.textBody()?.contains("Why:       action taken, said by the operator (liaison close)") == true)
        #expect(try await store.isClosed(reference))

        _ = try await Liaison.close(reference: "LS-2026-0001", configPath: configPath)
        #expect(try await store.outgoing(reference: reference).filter { $0.message.kind == .closedNotice }.count == 1)
    }

    @Test("Action: taken by mail and a response statement close with a notice, once")
    func closedByMail() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await recordSample()
        let (poller, _) = try poller()
        let reply = "From: t-ccamp-chairs@example.test\r\nSubject: Re: [LS-2026-0001] Deadline in one week\r\nMessage-ID: <r1@example.test>\r\n\r\nAction: taken\r\n"
        mailbox.deliver(Array(reply.utf8))
        mailbox.deliver(Array(reply.replacingOccurrences(of: "<r1@", with: "<r2@").utf8))
        _ = try await poller.pollOnce()
        let notices = try await store.outgoing(reference: reference).filter { $0.message.kind == .closedNotice }
        #expect(notices.count == 1, "the second Action: taken finds it closed already")
        #expect(MIMEMessage(bytes: notices.first?.message.raw ?? []).textBody()?.contains("said by t-ccamp-chairs@example.test") == true)

        // A second statement, answered by a response statement.
        mailbox.deliver(Array(
            """
            From: ITU-T SG15 Rapporteur <t-rapporteur@itu.int>\r
            Subject: LS on 800G\r
            Message-ID: <t-sg15-ls60@itu.int>\r
            \r
            ITU-T SG15 (SG15-LS60). To: IETF CCAMP WG\r
            For action. Please reply by 15 February 2027.\r

            """.utf8))
        mailbox.deliver(Array(
            """
            From: CCAMP Chairs <t-ccamp-chairs@example.test>\r
            Subject: Reply LS on 800G\r
            Message-ID: <t-ccamp-reply@example.test>\r
            \r
            This is in response to SG15-LS60. To: ITU-T SG15\r
            For information.\r

            """.utf8))
        _ = try await poller.pollOnce()
        let answered = StatementReference(year: 2026, number: 2)
        #expect(try await store.isClosed(answered))
        let answeredNotices = try await store.outgoing(reference: answered).filter { $0.message.kind == .closedNotice }
        #expect(answeredNotices.count == 1)
        #expect(MIMEMessage(bytes: answeredNotices.first?.message.raw ?? []).textBody()?.contains("Why:       answered by LS-2026-0003") == true)
    }

    @Test("check-config renders every template, also each organization's own; a broken one is named, a stray folder noted")
    func checkConfigTemplates() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ok = try Liaison.checkConfig(configPath: configPath)
        #expect(ok.hasPrefix("OK: "))
        #expect(!ok.contains("note:"))

        // A copy of templates/ with a stray organization folder, then a broken ITU-T template.
        let copy = folder.appendingPathComponent("templates")
        try FileManager.default.copyItem(atPath: TemplateTests.folder, toPath: copy.path)
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
            .replacingOccurrences(of: "templates_directory: \(TemplateTests.folder)", with: "templates_directory: templates")
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        let etsi = copy.appendingPathComponent("organizations/etsi")
        try FileManager.default.createDirectory(at: etsi, withIntermediateDirectories: true)
        try Data("ETSI {{reference}}".utf8).write(to: etsi.appendingPathComponent("closed.mustache"))
        let noted = try Liaison.checkConfig(configPath: configPath)
        #expect(noted.contains("note: templates organizations/etsi/ belong to no organization of the directory"), "\(noted)")

        let broken = copy.appendingPathComponent("organizations/itu-t/closed.mustache")
        try Data("{{#reference}} unclosed".utf8).write(to: broken)
        #expect {
            try Liaison.checkConfig(configPath: configPath)
        } throws: { error in
            "\(error)".contains("service.templates_directory") && "\(error)".contains("organizations/itu-t/closed.mustache")
        }
        // Fixed, the configuration passes again (the stray folder is only noted).
        try Data("fine {{reference}}".utf8).write(to: broken)
        #expect(try Liaison.checkConfig(configPath: configPath).hasPrefix("OK: "))
    }
}
