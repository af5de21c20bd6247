import Foundation
import LiaisonCore
import Logging
import MIME
import MailTransport
import Testing

/// Mail loops on the real stack: two Liaison instances that are each other's peer, plus a naive
/// vacation auto-responder, exchange mail; the exchange must stop within two messages.
///
/// Instance A's liaison manager for the Broadband Forum is B's intake and B's is A's, so every
/// forwarded copy one sends about a BBF statement lands in the other's intake; a statement from
/// B's address to A is acknowledged to B's intake and the other way round; and the MARS chairs of
/// both are one mailbox whose owner is on vacation behind a responder that answers every message
/// it receives (RFC 3834 notwithstanding), quoting it, to its envelope sender.
@Suite("Loops", .serialized, .enabled(if: MailStack.shouldRun))
struct LoopTests {
    /// A Maildir mailbox of the stack: every message in every folder (INBOX, Processed, Quarantine…).
    func allMessages(_ stack: MailStack, _ address: String) -> [String: [UInt8]] {
        let local = String(address.prefix { $0 != "@" })
        let base = "\(stack["MAILSTACK_MAILDIR_ROOT"])/example.test/\(local)/Maildir"
        var messages: [String: [UInt8]] = [:]
        let folders = ["."] + ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).filter { $0.hasPrefix(".") }
        for folder in folders {
            for sub in ["new", "cur"] {
                let directory = "\(base)/\(folder)/\(sub)"
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                    // Maildir names change when a message moves between new/ and cur/ (":2,S" flags).
                    let key = "\(folder)/" + String(name.prefix { $0 != ":" })
                    if let data = FileManager.default.contents(atPath: "\(directory)/\(name)") { messages[key] = [UInt8](data) }
                }
            }
        }
        return messages
    }

    /// A statement in the Datatracker layout from `sender` (the other instance's address) to MARS.
    func statement(from sender: String, to intake: String, chairs: String, id: String, title: String) -> [UInt8] {
        let text = """
            From: Peer Liaison <\(sender)>
            To: \(intake)
            Subject: New Liaison Statement, "\(title)"
            Date: Fri, 20 Nov 2026 09:30:00 +0000
            Message-ID: <\(id)>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Title: \(title)
            Submission Date: 2026-11-20
            Please reply by 2027-01-15

            From: Broadband Forum (Peer Liaison <\(sender)>)
            To: MARS WG Chairs <\(chairs)>
            Response Contacts: Peer Liaison <\(sender)>
            Purpose: For action

            Body: The Broadband Forum asks the MARS WG to review the module list.

            """
        return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    /// The naive responder's answer: a fixed subject, the original quoted, to the envelope sender.
    func vacationReply(to original: MIMEMessage, from responder: String, number: Int) -> (bytes: [UInt8], to: String)? {
        guard let to = AutoReplyPolicy.acknowledgementRecipient(for: original)?.address else { return nil }
        let quoted = (original.textBody() ?? "").split(separator: "\n", omittingEmptySubsequences: false).prefix(60)
            .map { "> " + $0.trimmingCharacters(in: ["\r"]) }.joined(separator: "\r\n")
        let inReplyTo = original.messageID.map { "In-Reply-To: <\($0)>\r\nReferences: <\($0)>\r\n" } ?? ""
        let text =
            "From: Chair on Vacation <\(responder)>\r\nTo: \(to)\r\nSubject: Out of office\r\n"
            + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\nMessage-ID: <vacation-\(number)-\(UUID().uuidString)@example.test>\r\n"
            + inReplyTo + "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "I am out of the office until 1 December, without mail.\r\n\r\n" + quoted + "\r\n"
        return (Array(text.utf8), to)
    }

    @Test("Two instances that are each other's peer, plus a vacation responder: the exchange stops within two messages")
    func peersAndResponder() async throws {
        let stack = try MailStack.load()
        let a = try TestRun(stack: stack)
        let b = try TestRun(stack: stack)
        let responder = "\(a.prefix)-vacation@example.test"
        // Different reference prefixes, so a reference in a subject never matches the other's statements.
        for (run, other, prefix) in [(a, b, "LSA"), (b, a, "LSB")] {
            let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
                .replacingOccurrences(of: "reference_prefix: LS", with: "reference_prefix: \(prefix)")
                .replacingOccurrences(
                    of: "\"BBF Liaison Manager <\(run.address("lm-bbf"))>\"", with: "\"Peer Liaison <\(other.address("intake"))>\"")
                .replacingOccurrences(of: "\"MARS WG Chairs <\(run.address("mars-chairs"))>\"", with: "\"MARS WG Chairs <\(responder)>\"")
            #expect(config.contains(other.address("intake")) && config.contains(responder))
            try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
            let check = try run.liaison("check-config")
            try #require(check.status == 0, "\(check.output)")
        }

        // MX port, no authentication from loopback: the messages get a real Return-Path.
        let mx = try SMTPSender(
            configuration: SMTPConfiguration(url: "smtp://\(stack.host):\(stack["MAILSTACK_SMTP_PORT"])", tls: .starttls, caFile: stack["MAILSTACK_CA"]),
            logger: Logger(label: "loop-test"))
        let seeds: [(from: TestRun, to: TestRun)] = [(b, a), (a, b)]
        for (number, seed) in seeds.enumerated() {
            let bytes = statement(
                from: seed.from.address("intake"), to: seed.to.address("intake"), chairs: responder,
                id: "\(a.prefix)-seed-\(number)@peer.example", title: "LS on loop test \(number + 1)")
            let results = try await mx.send(
                bytes, envelope: MailEnvelope(sender: seed.from.address("intake"), recipients: [seed.to.address("intake")]))
            #expect(results.allSatisfy { $0.outcome == .delivered }, "\(results)")
        }

        // The loop's participants: both intakes and the responder. Other mailboxes (lists, ADs, the
        // liaison managers) are counted too, to see that nothing grows anywhere.
        let participants = [a.address("intake"), b.address("intake"), responder]
        let others = ["mars", "ops-ads", "lm", "lm-bbf"].flatMap { [a.address($0), b.address($0)] }
        let everyone = participants + others
        func counts() -> [String: Int] { Dictionary(uniqueKeysWithValues: everyone.map { ($0, allMessages(stack, $0).count) }) }

        try await stack.waitForDelivery { allMessages(stack, a.address("intake")).count == 1 && allMessages(stack, b.address("intake")).count == 1 }
        var answered = Set<String>()
        var history: [[String: Int]] = [counts()]
        var log = ""
        // Each round: A polls (and sends what is due), Postfix delivers, B polls, Postfix delivers,
        // the responder answers what it received, Postfix delivers. So each round moves every chain
        // of mail by at least one hop; a loop would grow every round. Six rounds.
        for round in 1...6 {
            for run in [a, b] {
                let poll = try run.liaison("poll", "--once")
                #expect(poll.status == 0, "\(poll.output)")
                log += "round \(round) \(run.prefix):\n\(poll.output)\n"
                try await stack.waitForDelivery { true }
            }
            for (key, bytes) in allMessages(stack, responder).sorted(by: { $0.key < $1.key }) where answered.insert(key).inserted {
                guard let reply = vacationReply(to: MIMEMessage(bytes: bytes), from: responder, number: answered.count) else { continue }
                let results = try await mx.send(reply.bytes, envelope: MailEnvelope(sender: responder, recipients: [reply.to]))
                #expect(results.allSatisfy { $0.outcome == .delivered }, "\(results)")
            }
            try await stack.waitForDelivery { true }
            history.append(counts())
        }

        let table = history.enumerated().map { "after round \($0.offset): \($0.element.sorted { $0.key < $1.key })" }
            .joined(separator: "\n")
        // Growth of the participants' mailboxes per round.
        let growth = (1..<history.count).map { round in
            participants.map { (history[round][$0] ?? 0) - (history[round - 1][$0] ?? 0) }.reduce(0, +)
        }
        // Rounds 1 and 2 carry the automatic messages the seeds cause (an acknowledgement, a forwarded
        // copy, a vacation reply, the other instance's copy of a copy); from round 3 on nothing moves.
        #expect(growth.dropFirst(2).allSatisfy { $0 == 0 }, "the exchange goes on: growth per round \(growth)\n\(table)\n\(log)")
        for address in participants {
            #expect(history.last?[address] == history[2][address], "\(address) still receives mail after round 2\n\(table)")
        }
        // The liaison managers may still get the notices of what round 2 brought (quarantined
        // loops) in round 3; after that nothing arrives anywhere.
        for address in others {
            #expect(history.last?[address] == history[3][address], "\(address) still receives mail after round 3\n\(table)")
        }
        // What the seeds caused, for docs/reliability.md (printed when run with --verbose / on failure).
        print("LoopTests: growth of the participants' mailboxes per round \(growth)\n\(table)\n\(log)")
        // The responder's replies are never acknowledged: nothing Liaison sent it is an acknowledgement.
        let toResponder = allMessages(stack, responder).values.map { MIMEMessage(bytes: $0) }
        #expect(toResponder.allSatisfy { $0.header["Auto-Submitted"] != "auto-replied" }, "\(table)")
        // Each instance acknowledged the other's statement exactly once, and never an acknowledgement.
        for run in [a, b] {
            let acks = allMessages(stack, run.address("intake")).values.map { MIMEMessage(bytes: $0) }
                .filter { $0.header["Auto-Submitted"] == "auto-replied" && $0.header["X-Liaison-Loop"] != nil }
            #expect(acks.count == 1, "\(run.address("intake")) got \(acks.count) acknowledgements\n\(table)\n\(log)")
        }
    }
}
