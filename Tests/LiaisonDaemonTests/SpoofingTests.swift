import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import Testing

@testable import LiaisonDaemon

/// Spoofed senders: with `service.sender_authentication` configured, a statement counts as from
/// its sender only with a passing `Authentication-Results` from our own MTA; otherwise it is
/// recorded, marked unverified, held for the liaison manager (triage) and never acknowledged.
@Suite("Spoofed senders")
struct SpoofingTests {
    let directory: URL
    let configPath: String
    let mailbox = InMemoryMailbox()
    let sender = RecordingSender()
    let store: SQLiteStore
    let poller: MailboxPoller
    let dispatcher: OutboxDispatcher

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-spoof-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configPath = try CommandWorld.writeConfiguration(in: directory)
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        let configured = text.replacingOccurrences(
            of: "service:\n",
            with: "service:\n  sender_authentication:\n    trusted_authserv_ids: [mx.example.test]\n    require: [dmarc, dkim]\n")
        try Data(configured.utf8).write(to: URL(fileURLWithPath: configPath))
        let configuration = try Liaison.configuration(at: configPath)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: configuration.databasePath)
        let processor = Runtime.processor(for: configuration, templates: try TemplateLibrary(directory: configuration.templatesDirectory))
        let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
        poller = MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock)
        dispatcher = OutboxDispatcher(store: store, sender: sender, clock: clock)
    }

    /// The ITU-T sample statement with `headers` on top.
    func statement(_ headers: [String]) throws -> [UInt8] {
        let sample = try PipelineTests.sample("2-itu-plain")
        return Array((headers.map { $0 + "\r\n" }.joined()).utf8) + sample
    }

    static let ours = "Authentication-Results: mx.example.test; dkim=pass header.d=itu.int; dmarc=pass header.from=itu.int"
    static let received = "Received: from mail.itu.int by mx.example.test with ESMTPS"

    @Test("config: sender_authentication is read, validated with file:line: key, and shown by check-config")
    func configuration() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let loaded = try Liaison.configuration(at: configPath)
        #expect(loaded.intake.senderAuthentication == SenderAuthenticationPolicy(trustedAuthservIDs: ["mx.example.test"], accepted: [.dmarc, .dkim]))
        #expect(try Liaison.checkConfig(configPath: configPath).contains("sender authentication: dmarc or dkim=pass from mx.example.test"))
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        let bad = text.replacingOccurrences(of: "require: [dmarc, dkim]", with: "require: [dmarc, arc]")
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.parse(bad, file: "c.yaml") }
        #expect(error?.description.contains("service.sender_authentication.require: must be dmarc, dkim or spf") == true, "\(String(describing: error))")
        let missing = text.replacingOccurrences(of: "    trusted_authserv_ids: [mx.example.test]\n", with: "")
        #expect(throws: ConfigError.self) { try ConfigurationLoader.parse(missing, file: "c.yaml") }
    }

    @Test("An authenticated peer's statement is routed and acknowledged as before; the check is in its history")
    func authenticated() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        mailbox.deliver(try statement([Self.ours, Self.received]))
        let report = try await poller.pollOnce()
        guard case .recorded(_, let reference, .routed)? = report.outcomes.first else {
            Issue.record("not routed: \(report.outcomes)")
            return
        }
        _ = try await dispatcher.dispatchDue()
        #expect(sender.sent.withLock { $0.contains { $0.envelope.sender.isEmpty } }, "acknowledged")
        let events = try await store.events(reference: reference)
        #expect(events.contains { $0.kind == "sender-verified" && $0.detail.contains("dkim=pass header.d=itu.int (by mx.example.test)") })
    }

    @Test(
        "Forged, foreign or failing results: recorded as unverified, only the liaison manager gets it, no acknowledgement",
        arguments: [
            // No Authentication-Results at all.
            [received],
            // A forged passing field below our MTA's Received, under our real failing one.
            ["Authentication-Results: mx.example.test; dmarc=fail header.from=itu.int", received, ours],
            // Only the forged one, below the Received.
            [received, ours],
            // A passing field from a foreign host.
            ["Authentication-Results: mx.attacker.example; dmarc=pass header.from=itu.int", received],
            // DMARC fail by our MTA.
            ["Authentication-Results: mx.example.test; dkim=fail header.d=itu.int; dmarc=fail header.from=itu.int", received],
        ])
    func unverified(headers: [String]) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        mailbox.deliver(try statement(headers))
        let report = try await poller.pollOnce()
        guard case .recorded(_, let reference, .needsTriage)? = report.outcomes.first else {
            Issue.record("not held for triage: \(report.outcomes)")
            return
        }
        _ = try await dispatcher.dispatchDue()
        let sent = sender.sent.withLock { $0 }
        #expect(sent.count == 1)
        #expect(sent.allSatisfy { $0.envelope.recipients == ["t-lm@example.test"] }, "\(sent.map(\.envelope))")
        #expect(!sent.contains { $0.envelope.sender.isEmpty }, "no acknowledgement")

        let recorded = try #require(try await store.statement(reference: reference))
        #expect(recorded.statement.senderAuthentication?.verified == false)
        let events = try await store.events(reference: reference)
        #expect(events.contains { $0.kind == "sender-unverified" })
        #expect(events.contains { $0.kind == "no-acknowledgement" && $0.detail.contains("not authenticated") })

        let shown = try await Liaison.show(reference: reference.description, configPath: configPath)
        #expect(shown.contains("Sender:             unverified: "), "\(shown)")
        #expect(shown.contains("sender-unverified: unverified: "))
    }

    @Test("parse --json carries senderAuthentication and needsTriage when a policy is configured")
    func parseJSON() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("forged.eml")
        try Data(try statement([Self.received, Self.ours])).write(to: file)
        let json = try Liaison.parse(file: file.path, configPath: configPath, json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let authentication = try #require(object["senderAuthentication"] as? [String: Any])
        #expect(authentication["verified"] as? Bool == false)
        #expect(object["needsTriage"] as? Bool == true)

        let good = directory.appendingPathComponent("good.eml")
        try Data(try statement([Self.ours, Self.received])).write(to: good)
        let verified = try Liaison.parse(file: good.path, configPath: configPath, json: true)
        #expect(verified.contains("\"verified\" : true") || verified.contains("\"verified\":true"), "\(verified)")
        // Without a configuration nothing is checked: the key is null.
        let plain = try Liaison.parse(file: good.path, configPath: nil, json: true)
        #expect(plain.contains("\"senderAuthentication\" : null") || plain.contains("\"senderAuthentication\":null"), "\(plain)")
    }
}
