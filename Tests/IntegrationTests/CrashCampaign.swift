import Foundation
import LiaisonCore
import LiaisonStore
import MIME
import MailTransport

#if canImport(Glibc)
import Glibc
#endif

/// The crash harness: runs the real `liaison run` against the shared Dovecot + Postfix, mails
/// statements in, and SIGKILLs it again and again — at every instrumented ``CrashPoint`` in turn
/// (`LIAISON_CRASH_AT`) and at random moments — restarting it each time; then lets one clean run
/// finish and counts what reached the database, the server and the recipients' mailboxes.
///
/// Kills alternate: an instrumented one (the points in turn, the N-th arrival chosen at random
/// among those the new batch is sure to reach), then a random one (SIGKILL after a random delay
/// up to twice the average time an instrumented run lived). Each cycle first appends a fresh batch
/// of statements, so there is always work in flight. After every kill the database files are
/// copied as they are (the WAL included, without the shared-memory index, as after a power cut)
/// and `PRAGMA integrity_check` runs on the copy, leaving the daemon's own files for its restart.
struct CrashCampaign {
    let stack: MailStack
    let run: TestRun
    let kills: Int
    let statements: Int
    let log: String

    struct InvalidParameters: Error, CustomStringConvertible {
        var description: String
    }

    init(stack: MailStack, kills: Int, statements: Int) throws {
        guard kills >= 1, statements >= kills else {
            throw InvalidParameters(description: "need at least one kill and one statement per kill (\(kills) kills, \(statements) statements)")
        }
        self.stack = stack
        self.kills = kills
        self.statements = statements
        run = try TestRun(stack: stack)
        log = run.directory.appendingPathComponent("daemon.log").path
        // Poll every second, and let one sender have every acknowledgement.
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: 1")
            .replacingOccurrences(of: "  reference_prefix: LS\n", with: "  reference_prefix: LS\n  acknowledgements_per_sender_per_day: 10000\n")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
    }

    var databasePath: String { run.directory.appendingPathComponent("state/liaison.sqlite").path }

    /// The `index`-th statement: a plain ITU-T statement for CCAMP with a unique title and Message-ID.
    func statement(_ index: Int) -> [UInt8] {
        let p = run.prefix
        return Array(
            """
            From: ITU-T SG15 Rapporteur <\(p)-sender@example.test>\r
            To: \(p)-intake@example.test\r
            Subject: LS on crash safety item \(index) (\(p))\r
            Date: Fri, 20 Nov 2026 11:02:00 +0100\r
            Message-ID: <\(p)-crash-\(index)@itu.int>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Dear colleagues,\r
            \r
            ITU-T Study Group 15 sends item \(index) of its crash safety series.\r
            \r
            To: IETF CCAMP WG\r
            For information.\r
            \r
            Best regards,\r
            Rapporteur Q14/15\r

            """.utf8)
    }

    func title(_ index: Int) -> String { "LS on crash safety item \(index) (\(run.prefix))" }

    /// How many times a batch of `batch` new statements is sure to reach `point`.
    static func arrivals(at point: CrashPoint, batch: Int) -> Int {
        switch point {
        case .afterSend, .afterRecord: 2 * batch  // a forward and an acknowledgement each
        default: batch
        }
    }

    /// Runs the campaign and returns the figures (the caller asserts on them).
    func execute() async throws -> CrashFigures {
        var figures = CrashFigures()
        figures.statements = statements
        let started = ContinuousClock.now
        let binary = try TestRun.binary()
        let intake = try stack.imap(user: run.address("intake"))
        var appended = 0
        var instrumentedTime: Duration = .zero
        var instrumentedRuns = 0

        for kill in 0..<kills {
            let batch = (statements - appended) / (kills - kill)
            for _ in 0..<batch {
                appended += 1
                _ = try await intake.append(statement(appended), to: "INBOX")
            }
            let instrumented = kill % 2 == 0
            let point = CrashPoint.allCases[(kill / 2) % CrashPoint.allCases.count]
            let arrival = Int.random(in: 1...Self.arrivals(at: point, batch: batch))
            let runStart = ContinuousClock.now
            let daemon = try DaemonProcess(
                binary: binary, config: run.configPath, log: log,
                environment: instrumented ? ["LIAISON_CRASH_AT": "\(point.rawValue):\(arrival)"] : [:])
            figures.starts += 1
            var ending: DaemonProcess.Ending?
            if instrumented {
                ending = try await daemon.wait(timeout: .seconds(120))
                if ending == nil {
                    figures.missedPoints.append("\(point.rawValue):\(arrival) not reached in 120 s")
                    ending = try await daemon.stop(with: SIGKILL)
                } else if !daemon.output().contains("crash point \(point.rawValue) reached (\(arrival))") {
                    figures.missedPoints.append("\(point.rawValue):\(arrival): ended without the crash point's line")
                }
                figures.killsAt[point, default: 0] += 1
                instrumentedTime += ContinuousClock.now - runStart
                instrumentedRuns += 1
            } else {
                let mean = instrumentedRuns == 0 ? Duration.milliseconds(1500) : instrumentedTime / instrumentedRuns
                let delay = Duration.milliseconds(Int.random(in: 0...max(1, Int(mean / .milliseconds(1) * 2))))
                try await Task.sleep(for: delay)
                ending = try await daemon.stop(with: SIGKILL)
                figures.randomKills += 1
            }
            figures.kills += 1
            if ending != .signalled(SIGKILL) {
                figures.unexpectedEndings.append("kill \(kill + 1): \(ending?.description ?? "still running"): \(daemon.output().suffix(2000))")
            }
            figures.integrityChecks += 1
            if let problem = await checkIntegrityOfCopy(label: "kill-\(kill + 1)") {
                figures.integrityFailures.append("after kill \(kill + 1): \(problem)")
            }
        }

        // One clean run finishes the work; SIGTERM stops it.
        let daemon = try DaemonProcess(binary: binary, config: run.configPath, log: log)
        figures.starts += 1
        let settled = try await waitUntilSettled(intake: intake, daemon: daemon)
        let ending = try await daemon.stop(with: SIGTERM)
        if !settled || ending != .exited(0) {
            figures.unexpectedEndings.append(
                "final run: \(settled ? "settled" : "did not settle"), \(ending?.description ?? "still running"): \(daemon.output().suffix(3000))")
        }
        try await count(into: &figures, intake: intake)
        figures.duration = ContinuousClock.now - started
        return figures
    }

    /// Copies the database as a crash left it and runs `PRAGMA integrity_check` on the copy;
    /// returns what went wrong, or nil.
    func checkIntegrityOfCopy(label: String) async -> String? {
        let copy = run.directory.appendingPathComponent("check-\(label)")
        defer { try? FileManager.default.removeItem(at: copy) }
        do {
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: databasePath + suffix) {
                try FileManager.default.copyItem(
                    atPath: databasePath + suffix, toPath: copy.appendingPathComponent("liaison.sqlite\(suffix)").path)
            }
            guard FileManager.default.fileExists(atPath: copy.appendingPathComponent("liaison.sqlite").path) else {
                return nil  // killed before the database was first created
            }
            let store = try SQLiteStore(path: copy.appendingPathComponent("liaison.sqlite").path)
            return try await store.integrityCheck() ? nil : "PRAGMA integrity_check did not answer ok"
        } catch {
            return "\(error)"
        }
    }

    /// Waits (bounded) until every statement is recorded, the intake mailbox is empty and the
    /// outbox has nothing pending or failed.
    func waitUntilSettled(intake: IMAPMailbox, daemon: DaemonProcess) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(120 + statements / 2)
        // Started (and so, a moment later, listening for SIGTERM) one check before it counts as settled.
        var started = false
        while ContinuousClock.now < deadline {
            if daemon.poll() != nil { return false }
            if started, try await intake.status().messages == 0 {
                let list = try run.liaison("list")
                let outbox = try run.liaison("outbox", "--json")
                let lines = list.output.split(separator: "\n").filter { $0.hasPrefix("LS-") }
                if list.status == 0, lines.count >= statements, outbox.status == 0,
                    outbox.output.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
                        == #"{"failed":[],"pending":[]}"#
                {
                    return true
                }
            }
            started = daemon.output().contains("liaison starting")
            try await Task.sleep(for: .milliseconds(500))
        }
        return false
    }

    /// Counts what reached the database, the server and the mailboxes.
    func count(into figures: inout CrashFigures, intake: IMAPMailbox) async throws {
        let store = try SQLiteStore(path: databasePath)
        figures.integrityChecks += 1
        if try await !store.integrityCheck() { figures.integrityFailures.append("final database") }

        let recorded = try await store.statements()
        figures.recorded = recorded.count
        var titles: [String: Int] = [:]
        for summary in recorded { titles[summary.title ?? "", default: 0] += 1 }
        figures.titlesRecordedTwice = titles.values.filter { $0 > 1 }.count
        figures.titlesMissing = (1...statements).filter { titles[title($0)] == nil }.count
        figures.receivedMessages = try await store.receivedMessageCount()
        figures.referenceGaps = (recorded.map(\.reference.number).max() ?? 0) - recorded.count
        figures.quarantined = try await store.quarantined().count
        let status = try await intake.status()
        figures.leftInInbox = status.messages
        figures.processedOnServer = try await intake.uids(in: "Processed").count
        figures.pendingMoves = try await store.pendingMoves(mailbox: "INBOX", uidValidity: status.uidValidity).count

        // Every (Message-ID, recipient) the outbox delivered, against the mailboxes' contents.
        let outgoing = try await store.outboxEntries(in: OutgoingRecord.State.allCases)
        figures.outgoingMessages = outgoing.count
        figures.outgoingNotDone = outgoing.filter { $0.state != .done }.count
        var expected: [String: Set<String>] = [:]  // mailbox (lower-cased address) → Message-IDs
        for record in outgoing {
            for recipient in record.recipients {
                expected[recipient.address.lowercased(), default: []].insert(record.message.messageID)
            }
        }
        figures.expectedCopies = expected.values.map(\.count).reduce(0, +)
        try await stack.waitForDelivery(timeout: .seconds(120 + statements / 5)) {
            expected.allSatisfy { address, ids in mailboxSize(address) >= ids.count }
        }
        var extraSends: [String: Int] = [:]  // Message-ID → most extra copies any recipient holds
        for (address, ids) in expected.sorted(by: { $0.key < $1.key }) {
            var copies: [String: Int] = [:]
            for raw in mailbox(address) {
                let id = MIMEMessage(bytes: raw).header["Message-ID"]?
                    .trimmingCharacters(in: CharacterSet(charactersIn: "<> \t")) ?? "(none)"
                copies[id, default: 0] += 1
            }
            for id in ids.sorted() where copies[id] == nil { figures.lostCopies.append("\(id) to \(address)") }
            for (id, count) in copies.sorted(by: { $0.key < $1.key }) {
                guard ids.contains(id) else {
                    figures.unexpectedCopies.append("\(id) in \(address) (\(count))")
                    continue
                }
                figures.duplicateCopies += count - 1
                if count > 1 { extraSends[id] = max(extraSends[id] ?? 0, count - 1) }
            }
        }
        figures.duplicatedMessages = extraSends.count
        figures.duplicateSends = extraSends.values.reduce(0, +)
    }

    /// How many messages `address` holds, counting files only where it can (cheap to repeat).
    func mailboxSize(_ address: String) -> Int {
        let parts = address.split(separator: "@", maxSplits: 1)
        guard parts.count == 2, parts[1] == "example.test" else { return mailbox(address).count }
        let base = "\(stack["MAILSTACK_MAILDIR_ROOT"])/example.test/\(parts[0])/Maildir"
        return ["new", "cur"].map { ((try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\($0)")) ?? []).count }
            .reduce(0, +)
    }

    /// The raw messages delivered to `address` (this run's mailboxes, or the sink for other domains).
    func mailbox(_ address: String) -> [[UInt8]] {
        let parts = address.split(separator: "@", maxSplits: 1)
        if parts.count == 2, parts[1] == "example.test" { return stack.inbox(of: String(parts[0])) }
        return stack.sink(for: address)
    }
}
