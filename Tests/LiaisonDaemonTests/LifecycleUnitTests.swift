import Foundation
import LiaisonCore
import Logging
import Testing

@testable import LiaisonDaemon

/// The pieces of `liaison run`'s lifecycle that need no server: the outbox wake-up, the
/// `logging:` key and its precedence, the log metadata of a sent mail, and a reload's decisions.
@Suite("Daemon lifecycle", .timeLimit(.minutes(1)))
struct LifecycleUnitTests {
    // MARK: Wakeup

    @Test("A signal given while nobody waits wakes the next wait, once")
    func signalBeforeWait() async {
        let wakeup = Wakeup()
        wakeup.signal()
        wakeup.signal()
        #expect(wakeup.hasPendingSignal)
        await wakeup.wait(upTo: .seconds(3600))
        #expect(!wakeup.hasPendingSignal, "two signals coalesce into one wake-up")
    }

    @Test("A signal wakes a waiting task")
    func signalWhileWaiting() async {
        let wakeup = Wakeup()
        async let woken: Void = wakeup.wait(upTo: .seconds(3600))
        wakeup.signal()
        await woken
        #expect(!wakeup.hasPendingSignal)
    }

    @Test("Cancelling a waiting task ends its wait and keeps no waiter")
    func cancelled() async {
        let wakeup = Wakeup()
        let task = Task { await wakeup.wait() }
        task.cancel()
        await task.value
        #expect(wakeup.waiterCount == 0)
    }

    // MARK: logging:

    func parse(_ section: String) throws -> LiaisonDaemon.Configuration {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-secret-\(UUID().uuidString)").path
        try Data("s3cret-value\n".utf8).write(to: URL(fileURLWithPath: secret))
        defer { try? FileManager.default.removeItem(atPath: secret) }
        return try ConfigurationLoader.parse(ConfigurationTests.valid(secret: secret) + section, file: "c.yaml")
    }

    @Test("logging.level is read; absent, it is nil (info)")
    func loggingLevel() throws {
        #expect(try parse("logging:\n  level: debug\n").logging.level == .debug)
        #expect(try parse("logging:\n  level: Warning\n").logging.level == .warning)
        #expect(try parse("").logging.level == nil)
    }

    @Test("A bad level or an unknown logging key is reported with line and key", arguments: [
        ("logging:\n  level: loud\n", "logging.level: must be one of trace, debug, info, notice, warning, error, critical"),
        ("logging:\n  levle: info\n", "logging.levle: unknown key"),
    ])
    func badLogging(section: String, expected: String) {
        let text: String
        do {
            _ = try parse(section)
            text = "no problem"
        } catch {
            text = "\(error)"
        }
        #expect(text.contains(expected), "\(text)")
        #expect(text.contains("c.yaml:"), "with the file and line")
    }

    @Test("--log-level wins over logging.level, which wins over info")
    func levelPrecedence() throws {
        let world = try ReloadWorld()
        try world.write(extra: "logging:\n  level: error\n")
        #expect(Liaison.logLevel(override: .debug, configPath: world.configPath) == .debug)
        #expect(Liaison.logLevel(override: nil, configPath: world.configPath) == .error)
        try world.write()
        #expect(Liaison.logLevel(override: nil, configPath: world.configPath) == .info)
        #expect(Liaison.logLevel(override: nil, configPath: "/nonexistent/liaison.yaml") == .info)
    }

    @Test("The shared level control changes every logger's level at once")
    func levelControl() {
        let control = LogLevelControl(.warning)
        let logger = Logger(label: "t") { _ in ControlledLevelLogHandler(base: SwiftLogNoOpLogHandler(), control: control) }
        #expect(logger.logLevel == .warning)
        control.level = .debug
        #expect(logger.logLevel == .debug)
    }

    // MARK: mail sent

    @Test("A sent mail's log line names its Message-ID and the statement in its subject, from the header only")
    func sentMetadata() {
        let message = Array(
            ("From: Liaison <statements@example.org>\r\nSubject: [LS-2026-0007] LS on optical =?utf-8?q?transport?=\r\n"
                + "Message-ID: <ls-2026-0007.forward@example.org>\r\n\r\nBody with [LS-2026-9999]\r\n").utf8)
        let metadata = LoggedMailSender.metadata(of: message)
        #expect(metadata["message.id"] == "<ls-2026-0007.forward@example.org>")
        #expect(metadata["statement.id"] == "LS-2026-0007")
        let digest = Array("Subject: [Liaison digest] 2026-W48\r\nMessage-ID: <d@example.org>\r\n\r\n".utf8)
        #expect(LoggedMailSender.metadata(of: digest)["statement.id"] == nil)
        #expect(LoggedMailSender.headerBytes(Array("A: b\r\n\r\nbody".utf8)) == Array("A: b\r\n\r\n".utf8))
    }

    // MARK: reload

    @Test("A reload uses a good file, refuses a bad one with its line, and keeps what needs a restart")
    func reload() throws {
        let world = try ReloadWorld()
        try world.write()
        let logger = Logger(label: "reload-test")
        let runtime = try Runtime(configuration: try ConfigurationLoader.load(path: world.configPath), logger: logger)
        let live = LiveRuntime(runtime: runtime, logger: logger)
        #expect(live.current.runtime.configuration.rules.count == 1)

        try world.write(rules: "rules: []\n")
        #expect(live.reload(configPath: world.configPath) == .reloaded(needsRestart: []))
        #expect(live.current.number == 2)
        #expect(live.current.runtime.configuration.rules.isEmpty, "the new rules are in use")
        #expect(live.current.runtime.mailbox === runtime.mailbox, "unchanged IMAP settings keep the connection")
        #expect(live.current.runtime.store === runtime.store)

        try world.write(replacing: ("poll_interval_seconds: 60", "poll_interval_seconds: often"))
        guard case .rejected(let reason) = live.reload(configPath: world.configPath) else {
            Issue.record("a broken file was accepted")
            return
        }
        #expect(reason.contains("\(world.configPath):"), "\(reason)")
        #expect(reason.contains("imap.poll_interval_seconds: expected a whole number"), "\(reason)")
        #expect(live.current.number == 2, "the running configuration stays")

        let elsewhere = world.directory.appendingPathComponent("elsewhere").path
        try world.write(
            replacing: ("state_directory: \(world.state)", "state_directory: \(elsewhere)"),
            extra: "http:\n  listen: 127.0.0.1:9465\n")
        #expect(live.reload(configPath: world.configPath) == .reloaded(needsRestart: ["service.state_directory", "http"]))
        #expect(live.current.runtime.configuration.stateDirectory == world.state)
        #expect(live.current.runtime.configuration.http == nil)
        #expect(!FileManager.default.fileExists(atPath: elsewhere))

        try world.write(replacing: ("url: imaps://imap.example.org:993", "url: imaps://imap2.example.org:993"))
        #expect(live.reload(configPath: world.configPath) == .reloaded(needsRestart: []))
        #expect(live.current.runtime.mailbox !== runtime.mailbox, "new IMAP settings, new connection")
        #expect(live.current.runtime.mailbox.configuration.url == "imaps://imap2.example.org:993")
    }
}

/// A configuration file in a temporary folder, rewritten by the reload tests.
struct ReloadWorld {
    let directory: URL
    let secret: String
    let state: String
    var configPath: String { directory.appendingPathComponent("liaison.yaml").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        secret = directory.appendingPathComponent("secret").path
        state = directory.appendingPathComponent("state").path
        try Data("s3cret-value\n".utf8).write(to: URL(fileURLWithPath: secret))
    }

    func write(rules: String? = nil, replacing: (String, String)? = nil, extra: String = "") throws {
        let templates = PipelineTests.repository.appendingPathComponent("templates").path
        var text = ConfigurationTests.valid(secret: secret)
            .replacingOccurrences(
                of: "  state_directory: /tmp/liaison-config-test\n",
                with: "  state_directory: \(state)\n  templates_directory: \(templates)\n")
            .replacingOccurrences(
                of: "  url: imaps://imap.example.org:993\n", with: "  url: imaps://imap.example.org:993\n  poll_interval_seconds: 60\n")
        if let rules, let start = text.range(of: "rules:\n") {
            text = String(text[..<start.lowerBound]) + rules
        }
        if let (old, new) = replacing { text = text.replacingOccurrences(of: old, with: new) }
        try Data((text + extra).utf8).write(to: URL(fileURLWithPath: configPath))
    }
}
