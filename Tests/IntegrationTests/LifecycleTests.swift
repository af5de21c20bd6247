import Foundation
import MIME
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `liaison run`'s lifecycle with the real binary and the real mail stack: SIGHUP reloads the
/// configuration (a good one is used for the next statement, a bad one is reported with its line
/// and the old one kept), SIGTERM stops it promptly, the log level comes from the configuration or
/// `--log-level`, and the log lines carry `statement.id`, `imap.uid` and `message.id`.
@Suite("The daemon's lifecycle", .serialized, .enabled(if: MailStack.shouldRun))
struct LifecycleTests {
    /// How often `text` occurs in the daemon's output.
    func count(_ text: String, in daemon: DaemonProcess) -> Int {
        daemon.output().components(separatedBy: text).count - 1
    }

    /// Sends SIGHUP until the daemon logs one more `answer` line (the first may arrive before its
    /// handler is installed; `liaison run` ignores SIGHUP until then).
    func reload(_ daemon: DaemonProcess, answer: String) async throws -> Bool {
        let before = count(answer, in: daemon)
        for _ in 0..<10 {
            kill(daemon.pid, SIGHUP)
            if try await eventually(.seconds(3), { count(answer, in: daemon) > before }) { return true }
            if daemon.poll() != nil { return false }
        }
        return false
    }

    /// A copy of the ITU-T sample with its own Message-ID and subject, so it is a new statement.
    func statement(_ run: TestRun, _ tag: String) throws -> [UInt8] {
        let text = String(decoding: try run.sample("2-itu-plain"), as: UTF8.self)
            .replacingOccurrences(of: "sg15-ls54@itu.int", with: "sg15-ls54-\(tag)@itu.int")
            .replacingOccurrences(of: "Subject: LS on management of 400G optical transport interfaces",
                with: "Subject: LS on management of 400G optical transport interfaces, part \(tag)")
        return Array(text.utf8)
    }

    /// The reference of the recorded statement whose title ends with `part TAG`, from `liaison list`.
    func reference(_ run: TestRun, _ tag: String) throws -> String? {
        try run.liaison("list").output.split(separator: "\n")
            .first { $0.hasSuffix("part \(tag)") }
            .map { String($0.prefix { $0 != "\t" }) }
    }

    /// The configuration with `rules` instead of the demo's empty list.
    func write(_ run: TestRun, original: String, rules: String, extra: String = "") throws {
        let text = original.replacingOccurrences(of: "rules: []\n", with: rules) + extra
        try Data(text.utf8).write(to: URL(fileURLWithPath: run.configPath))
    }

    @Test("SIGHUP: a changed rule routes the next statement; a broken file is reported with its line and the old configuration kept; SIGTERM stops it")
    func reloads() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let original = try String(contentsOfFile: run.configPath, encoding: .utf8)
        let daemon = try DaemonProcess(
            binary: try TestRun.binary(), config: run.configPath, log: run.directory.appendingPathComponent("daemon.log").path)
        let intake = try stack.imap(user: run.address("intake"))
        let extra = run.address("extra")

        // Before: no rule, nothing for the extra address.
        _ = try await intake.append(try statement(run, "A"), to: "INBOX")
        #expect(try await eventually { try reference(run, "A") != nil }, "\(daemon.output())")
        let first = try #require(try reference(run, "A"))
        #expect(!(try run.liaison("show", first).output.contains(extra)))

        // A new rule, reloaded: the next statement is copied to the extra address.
        try write(run, original: original, rules: "rules:\n  - name: reloaded\n    cc: [\"\(extra)\"]\n")
        #expect(try await reload(daemon, answer: "configuration reloaded"), "\(daemon.output())")
        #expect(daemon.output().contains("rules=1"), "the reload reports the new rule count")
        _ = try await intake.append(try statement(run, "B"), to: "INBOX")
        #expect(try await eventually { try reference(run, "B") != nil }, "\(daemon.output())")
        let second = try #require(try reference(run, "B"))
        #expect(try run.liaison("show", second).output.contains("cc  \(extra)"), "routed by the reloaded rule")
        try await stack.waitForDelivery { stack.inbox(of: "\(run.prefix)-extra").count == 1 }
        #expect(stack.inbox(of: "\(run.prefix)-extra").count == 1, "the forward reached the rule's address")

        // A broken file: refused with file, line and key; the daemon keeps the reloaded rule.
        try write(
            run, original: original.replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: often"),
            rules: "rules:\n  - name: reloaded\n    cc: [\"\(extra)\"]\n")
        #expect(try await reload(daemon, answer: "configuration not reloaded"), "\(daemon.output())")
        #expect(
            daemon.output().contains("\(run.configPath):21: imap.poll_interval_seconds: expected a whole number"),
            "\(daemon.output())")
        _ = try await intake.append(try statement(run, "C"), to: "INBOX")
        // `liaison list` would read the broken file too: the daemon's log says it was recorded.
        #expect(
            try await eventually { daemon.output().contains("message.id=<\(run.prefix)-sg15-ls54-C@itu.int>") },
            "still processing: \(daemon.output())")
        try write(run, original: original, rules: "rules:\n  - name: reloaded\n    cc: [\"\(extra)\"]\n")
        let third = try #require(try reference(run, "C"))
        #expect(try run.liaison("show", third).output.contains("cc  \(extra)"), "the running configuration stayed in use")

        // What cannot change while running is reported and kept.
        try write(
            run, original: original.replacingOccurrences(of: "state_directory: ", with: "state_directory: /tmp/elsewhere"),
            rules: "rules:\n  - name: reloaded\n    cc: [\"\(extra)\"]\n")
        #expect(try await reload(daemon, answer: "configuration reloaded"), "\(daemon.output())")
        #expect(daemon.output().contains("config.key=service.state_directory"), "\(daemon.output())")
        #expect(daemon.poll() == nil, "still running")

        // SIGTERM: it finishes and exits 0 promptly (a graceful stop, not the 30 s of systemd's TimeoutStopSec).
        let ending = try await daemon.stop(with: SIGTERM, timeout: .seconds(10))
        #expect(ending == .exited(0), "\(ending?.description ?? "still running after 10 s"): \(daemon.output())")
        let output = daemon.output()
        for line in ["intake service stopped", "outbox service stopped", "reminder service stopped", "liaison stopped"] {
            #expect(output.contains(line), "\(line)")
        }
        #expect(!output.contains(stack.password))
    }

    @Test("Log level: logging.level in the file, --log-level over it, a reload changes it; statement.id, imap.uid and message.id on the lines")
    func logLevelAndMetadata() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let original = try String(contentsOfFile: run.configPath, encoding: .utf8)
        let log = run.directory.appendingPathComponent("daemon.log").path
        try write(run, original: original, rules: "rules: []\n", extra: "logging:\n  level: warning\n")

        // logging.level: warning — the info start-up line is not logged.
        let quiet = try DaemonProcess(binary: try TestRun.binary(), config: run.configPath, log: log)
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try statement(run, "A"), to: "INBOX")
        #expect(try await eventually { try reference(run, "A") != nil })
        #expect(!quiet.output().contains("liaison starting"), "\(quiet.output())")
        #expect(!quiet.output().contains("statement recorded"))

        // A reload to info: from then on info lines appear, without a restart.
        try write(run, original: original, rules: "rules: []\n", extra: "logging:\n  level: info\n")
        #expect(try await reload(quiet, answer: "configuration reloaded"), "\(quiet.output())")
        #expect(quiet.output().contains("log.level=info"))
        #expect(try await quiet.stop(with: SIGTERM, timeout: .seconds(10)) == .exited(0))

        // --log-level debug over logging.level: warning.
        try write(run, original: original, rules: "rules: []\n", extra: "logging:\n  level: warning\n")
        let loud = try DaemonProcess(binary: try TestRun.binary(), config: run.configPath, log: log, arguments: ["--log-level", "debug"])
        _ = try await intake.append(try statement(run, "B"), to: "INBOX")
        #expect(try await eventually { try reference(run, "B") != nil })
        let statementID = try #require(try reference(run, "B"))
        #expect(try await eventually { loud.output().contains("mail sent") && loud.output().contains("statement.id=\(statementID)") })
        let output = loud.output()
        #expect(output.contains("liaison starting"), "info is shown at debug")
        #expect(output.contains("debug"), "and debug lines too")
        let recorded = try #require(output.split(separator: "\n").first { $0.contains("statement recorded") })
        #expect(recorded.contains("statement.id=\(statementID)"))
        #expect(recorded.contains("imap.uid="))
        #expect(recorded.contains("message.id=<\(run.prefix)-sg15-ls54-B@itu.int>"), "\(recorded)")
        let sent = output.split(separator: "\n").filter { $0.contains("mail sent") && $0.contains("statement.id=\(statementID)") }
        #expect(!sent.isEmpty)
        #expect(sent.allSatisfy { $0.contains("message.id=<") && $0.contains("smtp.rcpt_count=") }, "\(sent)")
        #expect(try await loud.stop(with: SIGTERM, timeout: .seconds(10)) == .exited(0))
    }
}
