import Foundation
import MIME
import Testing

/// The whole pipeline against the real Dovecot and Postfix, through the `liaison` executable.
@Suite("End to end on the real mail stack", .serialized, .enabled(if: MailStack.shouldRun))
struct PipelineIntegrationTests {
    /// Finds the one copy of a statement in a mailbox, by its reference in the subject.
    func copies(_ messages: [[UInt8]], about reference: String) -> [MIMEMessage] {
        messages.map { MIMEMessage(bytes: $0) }.filter { $0.subject?.contains("[\(reference)]") == true }
    }

    /// The statement references `poll --once` printed, in UID order.
    func references(in output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "recorded ") else { return nil }
            return line[range.upperBound...].split(separator: " ").first.map(String.init)
        }
    }

    /// The Word attachment inside the forwarded copy's attached original.
    func forwardedAttachment(_ message: MIMEMessage) -> [UInt8]? {
        message.attachments.first { $0.contentType.mimeType == "message/rfc822" }?.embeddedMessage?
            .attachments.first { $0.filename == "statement.docx" }?.decodedBody()
    }

    @Test("Three statements: recorded, routed, forwarded, acknowledged, moved; a second poll does nothing")
    func threeStatements() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let intake = try stack.imap(user: run.address("intake"))
        for name in ["1-datatracker", "2-itu-plain", "3-no-fields"] {
            _ = try await intake.append(try run.sample(name), to: "INBOX")
        }

        let check = try run.liaison("check-config")
        #expect(check.status == 0, "\(check.output)")

        let poll = try run.liaison("poll", "--once")
        #expect(poll.status == 0, "\(poll.output)")
        let refs = references(in: poll.output)
        try #require(refs.count == 3, "\(poll.output)")
        #expect(poll.output.contains("(needs-triage)"))

        let p = run.prefix
        let expected: [String: Int] = [
            "\(p)-mars": 1, "\(p)-mars-chairs": 1, "\(p)-ops-ads": 1, "\(p)-lm-bbf": 1,
            "\(p)-ccamp": 1, "\(p)-ccamp-chairs": 1, "\(p)-rtg-ads": 1, "\(p)-lm-itu": 1,
            "\(p)-lm": 1, "\(p)-alice": 1,
        ]
        try await stack.waitForDelivery {
            expected.allSatisfy { stack.inbox(of: $0.key).count >= $0.value }
                && stack.sink(for: "\(p)-rapporteur@itu.int").count >= 1
        }

        // Statement 1 (Datatracker layout, Word attachment) went to MARS: list, chairs, ADs, BBF's liaison manager.
        let docx = try [UInt8](Data(contentsOf: TestRun.repository.appendingPathComponent("demo/statements/statement.docx")))
        for box in ["mars", "mars-chairs", "ops-ads", "lm-bbf"] {
            let found = copies(stack.inbox(of: "\(p)-\(box)"), about: refs[0])
            #expect(found.count == 1, "\(box) holds \(found.count) copies of \(refs[0])")
            #expect(found.first.flatMap(forwardedAttachment) == docx, "the attachment reached \(box) byte-identical")
        }
        // Statement 2 (plain LS from itu.int) went to CCAMP and ITU-T's liaison manager.
        for box in ["ccamp", "ccamp-chairs", "rtg-ads", "lm-itu"] {
            #expect(copies(stack.inbox(of: "\(p)-\(box)"), about: refs[1]).count == 1, "\(box) holds one copy of \(refs[1])")
        }
        // Statement 3 (no usable fields) went to the liaison manager for triage.
        let triage = copies(stack.inbox(of: "\(p)-lm"), about: refs[2])
        #expect(triage.count == 1)
        #expect(triage.first?.subject?.contains("Needs triage") == true)
        for box in ["mars", "ccamp", "lm-itu", "lm-bbf"] {
            #expect(stack.inbox(of: "\(p)-\(box)").count == 1, "\(box) holds nothing but its copy")
        }

        // Acknowledgements: one per sender, none for the Auto-Submitted message.
        let aliceAcks = copies(stack.inbox(of: "\(p)-alice"), about: refs[0])
        #expect(aliceAcks.count == 1)
        #expect(aliceAcks.first?.header["Auto-Submitted"] == "auto-replied")
        #expect(aliceAcks.first?.inReplyTo == ["\(p)-datatracker-1@broadband-forum.example"])
        // Postfix records a null reverse path as <MAILER-DAEMON>.
        #expect(aliceAcks.first?.header["Return-Path"] == "<MAILER-DAEMON>", "acknowledgements use a null envelope sender")
        #expect(copies(stack.sink(for: "\(p)-rapporteur@itu.int"), about: refs[1]).count == 1)
        #expect(stack.inbox(of: "\(p)-robot").isEmpty)

        // The intake messages were moved.
        #expect(try await intake.status().messages == 0)
        #expect(try await intake.uids(in: "Processed").count == 3)

        let show = try run.liaison("show", refs[0])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.output.contains("History:") && show.output.contains("acknowledged: acknowledgement to \(p)-alice@example.test"))
        #expect(show.output.contains("\(p)-mars@example.test: delivered 250"), "\(show.output)")
        let due = try run.liaison("due", "--within", "3650d")
        #expect(due.output.split(separator: "\n").count == 2, "the two statements with a deadline: \(due.output)")
        #expect(due.output.contains("\(refs[1])\t2027-01-15"))

        let list = try run.liaison("list")
        #expect(list.output.split(separator: "\n").count == 3)
        #expect(list.output.contains("\(refs[2])\tneeds-triage"))

        // A second poll sends nothing and records nothing.
        let again = try run.liaison("poll", "--once")
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains(": 0 new"), "\(again.output)")
        #expect(again.output.contains("outbox: 0 messages sent"), "\(again.output)")
        #expect(try run.liaison("list").output == list.output)
        try await stack.waitForDelivery { true }
        for (box, count) in expected {
            #expect(stack.inbox(of: box).count == count, "\(box) after the second poll")
        }
    }

    @Test("A message that is not a statement is quarantined with its reason, and the liaison manager is told")
    func quarantine() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let intake = try stack.imap(user: run.address("intake"))
        let bounce = Array(
            """
            From: MAILER-DAEMON@example.test (Mail Delivery System)\r
            To: \(run.address("intake"))\r
            Subject: Undelivered Mail Returned to Sender\r
            Message-ID: <\(run.prefix)-bounce@example.test>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain\r
            \r
            Delivery failed.\r
            --b\r
            Content-Type: message/delivery-status\r
            \r
            Final-Recipient: rfc822; nosuch@example.test\r
            Action: failed\r
            Status: 5.1.1\r
            --b--\r

            """.utf8)
        _ = try await intake.append(bounce, to: "INBOX")
        _ = try await intake.append(try run.sample("2-itu-plain"), to: "INBOX")

        let poll = try run.liaison("poll", "--once")
        #expect(poll.status == 0, "\(poll.output)")
        #expect(poll.output.contains("UID 1: quarantined: delivery or disposition report (delivery-status)"), "\(poll.output)")
        #expect(references(in: poll.output).count == 1, "the statement after it is still handled")
        #expect(try await intake.uids(in: "Quarantine").count == 1)
        #expect(try await intake.uids(in: "Processed").count == 1)

        try await stack.waitForDelivery { !stack.inbox(of: "\(run.prefix)-lm").isEmpty }
        let notices = stack.inbox(of: "\(run.prefix)-lm").map { MIMEMessage(bytes: $0) }
        #expect(notices.count == 1)
        #expect(notices.first?.subject == "[Liaison quarantine] Undelivered Mail Returned to Sender")
        #expect(notices.first?.textBody()?.contains("Reason:     delivery or disposition report (delivery-status)") == true)
        #expect(stack.inbox(of: "\(run.prefix)-robot").isEmpty && stack.sink(for: "mailer-daemon@example.test").isEmpty)
    }

    @Test("A 25 MB attachment is forwarded byte-identical")
    func largeAttachment() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        var generator = SystemRandomNumberGenerator()
        let payload = (0..<25 * 1024 * 1024).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let sample = String(decoding: try run.sample("1-datatracker"), as: UTF8.self)
        let encodedStart = try #require(sample.range(of: "Content-Transfer-Encoding: base64\r\n\r\n"))
        let encodedEnd = try #require(sample.range(of: "--=_liaison_demo_1--"))
        let big = Array(sample[..<encodedStart.upperBound].utf8) + Base64.encode(payload) + Array("\r\n".utf8)
            + Array(sample[encodedEnd.lowerBound...].utf8)
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(big, to: "INBOX")

        let poll = try run.liaison("poll", "--once")
        #expect(poll.status == 0, "\(poll.output)")
        let refs = references(in: poll.output)
        try #require(refs.count == 1, "\(poll.output)")
        try await stack.waitForDelivery(timeout: .seconds(120)) { !stack.inbox(of: "\(run.prefix)-mars").isEmpty }
        let copy = copies(stack.inbox(of: "\(run.prefix)-mars"), about: refs[0])
        #expect(copy.count == 1)
        let forwarded = copy.first.flatMap(forwardedAttachment)
        #expect(forwarded?.count == payload.count)
        #expect(forwarded == payload)
        #expect(try await intake.uids(in: "Processed").count == 1)
    }
}
