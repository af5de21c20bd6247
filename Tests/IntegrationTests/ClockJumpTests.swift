import Foundation
import LiaisonCore
import LiaisonStore
import MIME
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Clock jumps under the running binary: `liaison run` with `LIAISON_CLOCK_FILE`, the clock moved
/// +1 hour over midnight, −1 hour back over the reminders just sent, +3 days over several reminder
/// days, +1 hour again; every due reminder reaches the mailboxes once (a skipped reminder day late,
/// once), none twice, and the weekly digest of the Monday in the window once.
@Suite("Clock jumps with the real daemon", .serialized, .enabled(if: MailStack.shouldRun))
struct ClockJumpTests {
    /// Sunday 3 January 2027, 23:30 in the demo's time zone (America/Los_Angeles): day 0.
    static let dayZero = "2027-01-03"
    static let start: Date = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Los_Angeles") ?? .current
        return calendar.date(from: DateComponents(year: 2027, month: 1, day: 3, hour: 23, minute: 30)) ?? Date()
    }()

    /// A Datatracker-layout statement from the Broadband Forum to the MARS chairs.
    static func statement(run: TestRun, name: String, deadline: CalendarDate, submitted: CalendarDate) -> [UInt8] {
        let p = run.prefix
        let text = """
            From: Alice Liaison <\(p)-alice@example.test>\r
            To: \(p)-intake@example.test\r
            Subject: New Liaison Statement, "LS on clock \(name)"\r
            Date: Fri, 20 Nov 2026 09:30:00 +0000\r
            Message-ID: <\(p)-clock-\(name)@broadband-forum.example>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Title: LS on clock \(name)\r
            Submission Date: \(submitted)\r
            Please reply by \(deadline)\r
            \r
            From: Broadband Forum (Jane Rapporteur <\(p)-alice@example.test>)\r
            To: MARS WG Chairs <\(p)-mars-chairs@example.test>\r
            Response Contacts: Jane Rapporteur <\(p)-alice@example.test>\r
            Purpose: For action\r
            \r
            Body: Please comment by the deadline.\r

            """
        return Array(text.utf8)
    }

    /// Writes the clock offset atomically (a rename), so the daemon never reads half a file.
    static func setClock(_ file: String, offset: TimeInterval) throws {
        let temporary = file + ".tmp"
        try Data(String(format: "%.3f\n", offset).utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, file) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The (reference, kind) of a reminder in a mailbox, from its Message-ID (`REF.reminder-KIND.TOKEN@…`).
    static func reminderKey(_ message: MIMEMessage) -> String? {
        guard let id = message.messageID, let range = id.range(of: ".reminder-") else { return nil }
        let reference = id[..<range.lowerBound]
        let kind = id[range.upperBound...].prefix { $0 != "." }
        return "\(reference) \(kind)"
    }

    @Test("±1 hour and +3 days under liaison run: each due reminder once, a skipped one late once, the digest once")
    func jumps() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let p = run.prefix
        // Poll every second, and digests on (TestRun turns them off for the real clock).
        var config = try String(contentsOfFile: run.configPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: 1")
            .replacingOccurrences(of: "digest:\n  enabled: false\n", with: "digest:\n  enabled: true\n")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
        let clockFile = run.directory.appendingPathComponent("clock").path
        let base = Self.start.timeIntervalSinceNow
        try Self.setClock(clockFile, offset: base)

        let day0 = try #require(CalendarDate(iso: Self.dayZero))
        func day(_ n: Int) throws -> CalendarDate { try #require(day0.adding(days: n)) }
        let intake = try stack.imap(user: run.address("intake"))
        // A–D: deadlines 1, 8, 9 and 5 days after day 0; S0: due in 14 days (its `before-14` on day 0
        // shows the first reminder run); S: a sentinel due in 60 days, moved after each jump with
        // `liaison extend` to 14 days after the new day: its `before-14` recorded with that day shows
        // that a reminder run saw the new clock (mail appended while the daemon runs is not used, so
        // the test does not depend on how soon the daemon notices new mail).
        let plan: [(String, Int)] = [("A", 1), ("B", 8), ("C", 9), ("D", 5), ("S0", 14), ("S", 60)]
        for (name, days) in plan {
            _ = try await intake.append(Self.statement(run: run, name: name, deadline: try day(days), submitted: day0), to: "INBOX")
        }
        let log = run.directory.appendingPathComponent("daemon.log").path
        let daemon = try DaemonProcess(
            binary: try TestRun.binary(), config: run.configPath, log: log, environment: ["LIAISON_CLOCK_FILE": clockFile])
        let databasePath = run.directory.appendingPathComponent("state/liaison.sqlite").path

        /// References in recording order: LS-2027-0001 … (the clock is in 2027).
        func reference(_ n: Int) -> StatementReference { StatementReference(year: 2027, number: n) }
        /// Waits (bounded) until `sentinel` has `count` reminders recorded; returns their days.
        func sentinelDays(_ sentinel: StatementReference, count: Int) async throws -> [String] {
            let deadline = ContinuousClock.now + .seconds(90)
            var days: [String] = []
            while ContinuousClock.now < deadline {
                if daemon.poll() != nil { break }
                if FileManager.default.fileExists(atPath: databasePath),
                    let reminders = try? await SQLiteStore(path: databasePath).reminders(reference: sentinel)
                {
                    days = reminders.filter { $0.kind == "before-14" }.map(\.day)
                    if days.count >= count { break }
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            return days
        }

        // Phase 0: day 0, 23:30.
        #expect(try await sentinelDays(reference(5), count: 1) == ["\(try day(0))"], "\(daemon.output().suffix(4000))")
        // The phases: the clock offset, and the sentinel's deadline relative to the phase's day.
        let phases: [(name: String, offset: TimeInterval, day: Int)] = [
            ("+1 hour (Monday 00:30)", base + 3600, 1),
            ("-1 hour (back to Sunday 23:30)", base, 0),
            ("+3 days (Wednesday 23:30)", base + 3 * 86400, 3),
            ("+1 hour (Thursday 00:30)", base + 3 * 86400 + 3600, 4),
        ]
        for (index, phase) in phases.enumerated() {
            try Self.setClock(clockFile, offset: phase.offset)
            let extend = try run.liaison("extend", "\(reference(6))", "\(try day(phase.day + 14))")
            #expect(extend.status == 0, "\(extend.output)")
            let seen = try await sentinelDays(reference(6), count: index + 1)
            #expect(
                seen.contains("\(try day(phase.day))") && seen.count == index + 1,
                "\(phase.name): the sentinel's reminders were recorded on \(seen); daemon: \(daemon.output().suffix(4000))")
            if seen.count != index + 1 { return }
        }

        // Expected: A (deadline day 1): before-1 on day 0, before-0 on day 1, overdue-2 on day 3, overdue-3 on day 4;
        // B (day 8): before-7 on day 1, before-4 on day 4; C (day 9): before-7 skipped by the jump
        // (day 2), sent late on day 3; D (day 5): before-4 on day 1, before-2 on day 3, before-1 on day 4.
        let expected: [Int: [(Int, String)]] = [
            1: [(0, "before-1"), (1, "before-0"), (3, "overdue-2"), (4, "overdue-3")],
            2: [(1, "before-7"), (4, "before-4")],
            3: [(3, "before-7")],
            4: [(1, "before-4"), (3, "before-2"), (4, "before-1")],
            5: [(0, "before-14")],
            // The sentinel, once per phase, each time for its new deadline.
            6: [(1, "before-14"), (0, "before-14"), (3, "before-14"), (4, "before-14")],
        ]
        let store = try SQLiteStore(path: databasePath)
        var expectedKeys: [String] = []
        for (number, reminders) in expected.sorted(by: { $0.key < $1.key }) {
            // Sorted: a reminder recorded after the clock went back sorts before the earlier ones.
            let recorded = try await store.reminders(reference: reference(number)).map { "\($0.day) \($0.kind)" }.sorted()
            let want = try reminders.map { "\(try day($0.0)) \($0.1)" }.sorted()
            #expect(recorded == want, "\(reference(number))")
            expectedKeys += reminders.map { "\(reference(number)) \($0.1)" }
        }
        let late = try #require(try await store.outgoing(reference: reference(3)).first { $0.message.kind == .reminder })
        #expect(
            MIMEMessage(bytes: late.message.raw).subject == "[\(reference(3))] Deadline in six days: LS on clock C",
            "the late reminder says the days actually left")

        // Every reminder in the chairs' (To) and the BBF liaison manager's (Cc) mailbox exactly once.
        func reminders(_ box: String) -> [String] {
            stack.inbox(of: "\(p)-\(box)").map { MIMEMessage(bytes: $0) }.compactMap(Self.reminderKey).sorted()
        }
        try await stack.waitForDelivery(timeout: .seconds(60)) { reminders("mars-chairs").count >= expectedKeys.count }
        #expect(reminders("mars-chairs") == expectedKeys.sorted(), "the chairs' reminders")
        #expect(reminders("lm-bbf") == expectedKeys.sorted(), "the liaison manager's copies")
        // The digest of Monday (ISO week 2027-W01): once, to the BBF liaison manager.
        let digests = stack.inbox(of: "\(p)-lm-bbf").map { MIMEMessage(bytes: $0) }
            .filter { $0.subject?.hasPrefix("[Liaison digest]") == true }
        #expect(digests.count == 1 && digests.allSatisfy { $0.subject?.hasPrefix("[Liaison digest] 2027-W01: ") == true }, "\(digests.map(\.subject))")
        #expect(!stack.inbox(of: "\(p)-lm-itu").contains { MIMEMessage(bytes: $0).subject?.hasPrefix("[Liaison digest]") == true })

        let ending = try await daemon.stop(with: SIGTERM)
        #expect(ending == .exited(0), "\(daemon.output())")
        let output = daemon.output()
        #expect(output.contains("LIAISON_CLOCK_FILE is set"), "the operator is warned")
        print("Clock jumps: 5 phases (+1 h, -1 h, +3 d, +1 h), \(expectedKeys.count) reminders recorded and delivered once each (1 late), 0 twice, \(digests.count) digest")
    }
}
