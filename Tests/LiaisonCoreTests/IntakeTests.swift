import Foundation
import LiaisonCore
import MIME
import Testing

@Suite("Classification and RFC 3834")
struct ClassificationTests {
    func message(_ headers: String, body: String = "For action. Please reply by 2027-01-15.") -> MIMEMessage {
        MIMEMessage(bytes: Array("\(headers)Subject: LS on x\r\n\r\n\(body)\r\n".utf8))
    }

    @Test(
        "Automatic and list mail is never acknowledged",
        arguments: [
            "From: a@itu.int\r\nAuto-Submitted: auto-generated\r\n",
            "From: a@itu.int\r\nAuto-Submitted: auto-replied; owner-email=\"x@y.z\"\r\n",
            "From: a@itu.int\r\nPrecedence: bulk\r\n",
            "From: a@itu.int\r\nPrecedence: list\r\n",
            "From: a@itu.int\r\nList-Id: <mars.ietf.org>\r\n",
            "From: a@itu.int\r\nList-Unsubscribe: <mailto:x@y.z>\r\n",
            "From: a@itu.int\r\nX-Auto-Response-Suppress: All\r\n",
            "Return-Path: <>\r\nFrom: a@itu.int\r\n",
            "Return-Path: <MAILER-DAEMON>\r\nFrom: a@itu.int\r\n",
            "From: owner-mars@ietf.org\r\n",
            "From: mars-request@ietf.org\r\n",
            "From: noreply@itu.int\r\n",
        ])
    func noAcknowledgement(headers: String) {
        guard case .automaticStatement = MessageClassification.classify(message(headers), settings: testSettings) else {
            Issue.record("expected an automatic statement for \(headers.debugDescription)")
            return
        }
    }

    @Test("Auto-Submitted: no is a person's mail")
    func autoSubmittedNo() {
        #expect(MessageClassification.classify(message("From: a@itu.int\r\nAuto-Submitted: no\r\n"), settings: testSettings) == .statement)
    }

    @Test(
        "Bounces, reports, loops and header-less input are not statements",
        arguments: [
            "From: t-intake@example.test\r\n",
            "From: a@itu.int\r\nX-Liaison-Loop: liaison-test\r\n",
            "From: MAILER-DAEMON@example.test\r\n",
            "To: someone@example.test\r\n",
        ])
    func notStatements(headers: String) {
        guard case .notAStatement = MessageClassification.classify(message(headers), settings: testSettings) else {
            Issue.record("expected a quarantine for \(headers.debugDescription)")
            return
        }
    }

    @Test("The bounce fixture is a delivery report, as is any multipart/report")
    func bounceFixture() throws {
        let result = MessageClassification.classify(MIMEMessage(bytes: try fixture("bounce.eml")), settings: testSettings)
        guard case .report(let report) = result else {
            Issue.record("expected a report, got \(result)")
            return
        }
        #expect(report.kind == .deliveryStatus)
        #expect(report.summary == "DSN from mail.example.test: failed 5.1.1 nosuch@example.test")
        let bare = message("From: a@itu.int\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n")
        guard case .report = MessageClassification.classify(bare, settings: testSettings) else {
            Issue.record("expected a report for a bare multipart/report")
            return
        }
    }

    @Test("Acknowledgements go to the envelope sender when the delivery agent recorded it")
    func replyAddress() {
        let viaReturnPath = message("Return-Path: <bounce@itu.int>\r\nFrom: Jane <jane@itu.int>\r\n")
        #expect(AutoReplyPolicy.acknowledgementRecipient(for: viaReturnPath)?.address == "bounce@itu.int")
        let viaFrom = message("From: Jane <jane@itu.int>\r\n")
        #expect(AutoReplyPolicy.acknowledgementRecipient(for: viaFrom)?.address == "jane@itu.int")
    }
}

@Suite("Outgoing mail")
struct OutgoingMailTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func processor(templates: any TemplateRendering = EchoTemplates()) -> IntakeProcessor {
        IntakeProcessor(
            settings: testSettings,
            extractor: StatementExtractor(directory: testDirectory),
            router: Router(directory: testDirectory, rules: [], liaisonManager: testSettings.liaisonManager),
            mail: OutgoingMailFactory(settings: testSettings, templates: templates, uniqueToken: { "0123456789abcdef" })
        )
    }

    func record(_ name: String) throws -> IntakeRecord {
        let raw = try fixture(name)
        let processor = processor()
        guard case .statement(let message, let statement, let noAck) = processor.triage(raw) else {
            throw FixtureError.missing("a statement in \(name)")
        }
        return try processor.statementRecord(
            message: message, statement: statement, noAcknowledgementReason: noAck,
            reference: StatementReference(year: 2026, number: 7),
            location: ServerLocation(mailbox: "INBOX", uidValidity: 9, uid: 3),
            sha256: SHA256.hex(of: raw), now: now)
    }

    @Test("A statement gives a forwarded copy and an acknowledgement")
    func forwardAndAcknowledgement() throws {
        let record = try record("1-datatracker.eml")
        #expect(record.statement?.state == .routed)
        #expect(record.destination == "Processed")
        #expect(record.outgoing.map(\.kind) == [.forward, .acknowledgement])

        let forward = try #require(record.outgoing.first)
        #expect(forward.envelope.sender == "t-intake@example.test")
        #expect(forward.envelope.recipients == ["t-mars-chairs@example.test", "t-mars@example.test", "t-ops-ads@example.test", "t-lm-bbf@example.test"])
        #expect(forward.messageID == "LS-2026-0007.forward.0123456789abcdef@example.test")
        let parsed = MIMEMessage(bytes: forward.raw)
        #expect(parsed.subject == "[LS-2026-0007] New liaison statement: LS on YANG models for access network management")
        #expect(parsed.replyTo.map(\.address) == ["t-alice@example.test"])
        #expect(parsed.header["Auto-Submitted"] == "auto-generated")
        #expect(parsed.header["X-Liaison-Reference"] == "LS-2026-0007")
        #expect(parsed.references == ["t-datatracker-1@broadband-forum.example"])
        let embedded = try #require(parsed.attachments.first { $0.contentType.mimeType == "message/rfc822" }?.embeddedMessage)
        let original = MIMEMessage(bytes: try fixture("1-datatracker.eml"))
        #expect(embedded.attachments.first?.decodedBody() == original.attachments.first?.decodedBody())

        let ack = try #require(record.outgoing.last)
        #expect(ack.envelope.sender == "", "RFC 3834: automatic replies use a null reverse path")
        #expect(ack.envelope.recipients == ["t-alice@example.test"])
        let ackParsed = MIMEMessage(bytes: ack.raw)
        #expect(ackParsed.subject == "[LS-2026-0007] Received: LS on YANG models for access network management")
        #expect(ackParsed.header["Auto-Submitted"] == "auto-replied")
        #expect(ackParsed.inReplyTo == ["t-datatracker-1@broadband-forum.example"])
        for message in record.outgoing {
            #expect(!hasBareLineBreak(message.raw), "outgoing \(message.kind) must use CRLF only")
        }
    }

    @Test("An automatic mail without fields goes to triage, without acknowledgement")
    func triageWithoutAcknowledgement() throws {
        let record = try record("3-no-fields.eml")
        #expect(record.statement?.state == .needsTriage)
        #expect(record.outgoing.map(\.kind) == [.forward])
        #expect(record.outgoing.first?.envelope.recipients == ["t-lm@example.test"])
        #expect(record.events.map(\.kind) == ["received", "triage", "routed", "no-acknowledgement"])
        #expect(MIMEMessage(bytes: record.outgoing[0].raw).subject?.hasPrefix("[LS-2026-0007] Needs triage:") == true)
    }

    @Test("A title with a line break is forwarded with a space instead: no header field is added")
    func injectedTitle() throws {
        let raw = Array("From: a@itu.int\r\nSubject: LS on x\r\n\r\nTitle: LS on x\rBcc: victim@example.org\r\nFrom: ITU-T\r\nTo: IETF MARS WG\r\nPurpose: For information\r\n".utf8)
        let processor = processor()
        guard case .statement(let message, let statement, _) = processor.triage(raw) else {
            Issue.record("expected a statement")
            return
        }
        let record = try processor.statementRecord(
            message: message, statement: statement, noAcknowledgementReason: nil,
            reference: StatementReference(year: 2026, number: 1),
            location: ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: 1), sha256: "x", now: now)
        for mail in record.outgoing {
            let sent = MIMEMessage(bytes: mail.raw)
            #expect(!sent.header.contains("Bcc"))
            #expect(sent.subject?.contains("LS on x Bcc: victim@example.org") == true, "\(sent.subject ?? "")")
            #expect(!mail.envelope.recipients.contains("victim@example.org"))
        }
    }

    func hasBareLineBreak(_ bytes: [UInt8]) -> Bool {
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0a && (index == 0 || bytes[index - 1] != 0x0d) { return true }
            if byte == 0x0d && (index + 1 == bytes.count || bytes[index + 1] != 0x0a) { return true }
        }
        return false
    }
}

@Suite("Support")
struct SupportTests {
    @Test("Retries back off from 5 minutes, doubling to 1 hour, and give up after 5 days")
    func retryPolicy() {
        let policy = RetryPolicy()
        let created = Date(timeIntervalSince1970: 0)
        #expect(policy.nextAttempt(after: 1, createdAt: created, now: created) == Date(timeIntervalSince1970: 300))
        #expect(policy.nextAttempt(after: 2, createdAt: created, now: created) == Date(timeIntervalSince1970: 600))
        #expect(policy.nextAttempt(after: 9, createdAt: created, now: created) == Date(timeIntervalSince1970: 3600))
        #expect(policy.nextAttempt(after: 50, createdAt: created, now: Date(timeIntervalSince1970: 5 * 86400 - 100)) == nil)
    }
}

@Suite("Reply commands")
struct StatementReplyTests {
    func message(subject: String, body: String) -> MIMEMessage {
        MIMEMessage(bytes: Array("From: Chair <chair@example.test>\r\nSubject: \(subject)\r\n\r\n\(body)\r\n".utf8))
    }

    @Test(
        "The reference in the subject and the first command line",
        arguments: [
            ("Re: [LS-2026-0007] Deadline in one week: LS on x", "Action: taken", StatementReply.Command.taken),
            ("RE: [ls-2026-0007] x", "We need more time.\r\nAction: extend 2027-02-01", .extend(CalendarDate(year: 2027, month: 2, day: 1)!)),
            ("Fwd: LS-2026-0007", "action: Extend 1 February 2027", .extend(CalendarDate(year: 2027, month: 2, day: 1)!)),
        ])
    func commands(subject: String, body: String, command: StatementReply.Command) {
        let reply = StatementReply.parse(message(subject: subject, body: body), prefix: "LS")
        #expect(reply?.reference == StatementReference(year: 2026, number: 7))
        #expect(reply?.command == command)
        #expect(reply?.sender == "chair@example.test")
    }

    @Test("Quoted commands, other prefixes and subjects without a reference do not count")
    func notCommands() {
        #expect(StatementReply.parse(message(subject: "Re: [LS-2026-0007] x", body: "> Action: taken"), prefix: "LS")?.command == nil)
        #expect(StatementReply.parse(message(subject: "Re: [XY-2026-0007] x", body: "Action: taken"), prefix: "LS") == nil)
        #expect(StatementReply.parse(message(subject: "LS on timing", body: "Action: taken"), prefix: "LS") == nil)
    }
}
