import Foundation
import LiaisonCore
import LiaisonStore
import MIME
import Testing

@testable import MailTransport

#if canImport(Glibc)
import Glibc
#endif

/// The IMAP connection cut in the middle of a message fetch, at many exact bytes of the server's
/// answer, by a proxy between Liaison and Dovecot (docs/reliability.md, "IMAP connection cut
/// mid-fetch"): no partial message is ever recorded, nothing moves on the server before the
/// commit, the error names what failed, and once the connection holds every statement is
/// recorded, forwarded and acknowledged exactly once.
///
/// `LIAISON_CUT_POINTS` sets how many cut points fall evenly inside the literal (default 12; the
/// landmarks around it are always tried).
@Suite("IMAP connection cut mid-fetch", .serialized, .enabled(if: MailStack.shouldRun))
struct IMAPCutTests {
    static let interiorPoints = ProcessInfo.processInfo.environment["LIAISON_CUT_POINTS"].flatMap { Int($0) } ?? 12

    /// A statement with a unique title; `attachmentLines` lines of text attached (base64).
    func statement(_ run: TestRun, _ index: Int, attachmentLines: Int = 0) -> [UInt8] {
        let head = """
            From: ITU-T SG15 Rapporteur <\(run.prefix)-sender@example.test>\r
            To: \(run.address("intake"))\r
            Subject: LS on cut item \(index)\r
            Message-ID: <\(run.prefix)-cut-\(index)@itu.int>\r
            MIME-Version: 1.0\r

            """
        let body = """
            ITU-T Study Group 15 sends item \(index).\r
            \r
            To: IETF CCAMP WG\r
            For information.\r

            """
        guard attachmentLines > 0 else {
            return Array((head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).utf8)
        }
        var text = ""
        for line in 1...attachmentLines {
            text += "Line \(line) of the attached liaison text for item \(index): optical transport network clauses.\n"
        }
        let encoded = Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let boundary = "cut-boundary-\(index)"
        return Array(
            (head + "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n\r\n"
                + "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
                + "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Disposition: attachment; filename=\"ls-cut-\(index).txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + encoded + "\r\n--\(boundary)--\r\n").utf8)
    }

    /// The titles recorded, from the database.
    func titles(_ store: SQLiteStore) async throws -> [String] {
        try await store.statements().compactMap(\.title).filter { $0.hasPrefix("LS on cut item") }.sorted()
    }

    @Test("The IMAP connection cut at many bytes of a message fetch: nothing partial recorded, nothing moved early, all once after")
    func cutMidFetch() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let proxy = try TCPProxy(upstreamHost: stack.host, upstreamPort: Int(stack["MAILSTACK_IMAP_PORT"]) ?? 0)
        defer { proxy.stop() }
        // Plain IMAP through the proxy (so it can place each cut at a byte of the response);
        // Dovecot allows a plaintext login from loopback. Poll every second under `liaison run`.
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(
                of: "  url: imap://\(stack.host):\(stack["MAILSTACK_IMAP_PORT"])\n  tls: starttls\n",
                with: "  url: imap://127.0.0.1:\(proxy.port)\n  tls: none\n  allow_plaintext: true\n")
            .replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: 1")
        try #require(config.contains("127.0.0.1:\(proxy.port)"))
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))

        // Three statements; the second is large (an attachment of about 200 KB).
        let intake = try stack.imap(user: run.address("intake"))
        for index in 1...3 {
            _ = try await intake.append(statement(run, index, attachmentLines: index == 2 ? 2_000 : 0), to: "INBOX")
        }
        let status = try await intake.status()
        let uids = try await intake.uids(after: 0)
        try #require(uids.count == 3)
        // The message as Dovecot serves it: what a complete fetch must record, byte for byte.
        let large = try await intake.fetch(uid: uids[1], uidValidity: status.uidValidity)
        let largeSHA = SHA256.hex(of: large)
        let size = large.count
        try #require(size > 150_000)

        let trigger = Array("UID FETCH \(uids[1]) BODY[]".utf8)
        var points: [TCPProxy.Cut.Point] = [.literal(-1_000_000), .literal(-20), .literal(-3), .literal(-1), .literal(0), .literal(1)]
        for step in 1..<Self.interiorPoints { points.append(.literal(size * step / Self.interiorPoints)) }
        points += [.literal(size - 1), .literal(size), .literal(size + 1), .end(-10), .end(-1)]

        let statePath = run.directory.appendingPathComponent("state/liaison.sqlite").path
        var outputs: [String] = []
        for (number, point) in points.enumerated() {
            let cut = TCPProxy.Cut(trigger: trigger, point: point, reset: number % 3 == 2)
            proxy.setCut(cut)
            let cutsBefore = proxy.cuts.count
            let (status, output) = try run.liaison("poll", "--once")
            outputs.append(output)
            #expect(status != 0, "the poll cut at \(cut) fails: \(output)")
            #expect(proxy.cuts.count > cutsBefore, "the proxy cut the fetch at \(cut)")
            #expect(output.contains("UID \(uids[1])"), "the error names the message: \(output)")

            // Only the first statement is recorded; the large one and the one after it are not.
            let store = try SQLiteStore(path: statePath)
            #expect(try await store.receivedMessageCount() == 1, "cut at \(cut)")
            #expect(try await titles(store) == ["LS on cut item 1"], "cut at \(cut)")
            #expect(try await store.containsMessage(sha256: largeSHA) == false)
            // Nothing moved on the server but the committed first message.
            #expect(try await intake.uids(after: 0) == Array(uids[1...]), "cut at \(cut)")
            #expect(try await intake.uids(in: "Processed").count == 1, "cut at \(cut)")
        }
        let made = proxy.cuts
        print("IMAP cut mid-fetch: \(points.count) cut points over a \(size)-byte literal, \(made.count) cuts made")
        for cut in made {
            print("  cut \(cut.cut): \(cut.forwarded) response bytes passed on (literal at \(cut.literalStart), \(cut.literalSize) bytes)")
        }
        for (number, output) in outputs.enumerated() {
            print("  poll \(number + 1): \(output.split(separator: "\n").last { $0.contains("Error") || $0.contains("error") } ?? "")")
        }

        // The daemon itself: cut on every attempt, it keeps running and says why; then the
        // connection holds and everything is recorded once.
        proxy.setCut(TCPProxy.Cut(trigger: trigger, point: .literal(size / 2)))
        let cutsBefore = proxy.cuts.count
        let daemon = try DaemonProcess(
            binary: try TestRun.binary(), config: run.configPath, log: run.directory.appendingPathComponent("daemon.log").path)
        #expect(
            try await eventually { daemon.output().components(separatedBy: "poll failed").count > 2 },
            "\(daemon.output())")
        #expect(daemon.poll() == nil, "the daemon keeps running")
        #expect(proxy.cuts.count >= cutsBefore + 2)
        proxy.setCut(nil)
        let store = try SQLiteStore(path: statePath)
        #expect(
            try await eventually {
                let outbox = try run.liaison("outbox", "--json").output.filter { !$0.isWhitespace }
                return try await titles(store).count == 3 && outbox == #"{"failed":[],"pending":[]}"#
            }, "\(daemon.output())")
        #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
        print("  daemon: \(daemon.output().components(separatedBy: "poll failed").count - 1) failed polls, then: \(try await titles(store))")

        // Every statement once, the large one byte for byte; all three moved; each forwarded
        // to the list and acknowledged to the sender exactly once.
        #expect(try await titles(store) == ["LS on cut item 1", "LS on cut item 2", "LS on cut item 3"])
        #expect(try await store.receivedMessageCount() == 3)
        #expect(try await store.rawMessage(sha256: largeSHA) == large)
        #expect(try await intake.uids(after: 0).isEmpty)
        #expect(try await intake.uids(in: "Processed").count == 3)
        let outgoing = try await store.outboxEntries(in: OutgoingRecord.State.allCases)
        #expect(outgoing.count == 6 && outgoing.allSatisfy { $0.state == .done })
        try await stack.waitForDelivery { stack.inbox(of: "\(run.prefix)-ccamp").count >= 3 && stack.inbox(of: "\(run.prefix)-sender").count >= 3 }
        for box in ["ccamp", "sender"] {
            let ids = stack.inbox(of: "\(run.prefix)-\(box)").compactMap { MIMEMessage(bytes: $0).header["Message-ID"] }
            #expect(ids.count == 3 && Set(ids).count == 3, "\(box) holds one copy of each of the three: \(ids)")
        }
        let forwards = stack.inbox(of: "\(run.prefix)-ccamp").map { String(decoding: $0, as: UTF8.self) }
        #expect(forwards.filter { $0.contains("LS on cut item 2") }.count == 1)
    }
}
