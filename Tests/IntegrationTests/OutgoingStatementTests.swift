import Foundation
import LiaisonCore
import LiaisonStore
import MIME
import Testing

/// Outgoing statements on the real Dovecot and Postfix, through the `liaison` executable: a draft
/// with a missing field comes back with the list; a complete one waits for an area director's
/// `Approved`; forged approvals (an unauthorized address, an unauthenticated one) are ignored; the
/// real one sends it to the peer with the right copies; the peer's reply closes it.
@Suite("Outgoing statements on the real mail stack", .serialized, .enabled(if: MailStack.shouldRun))
struct OutgoingStatementTests {
    /// The demo configuration plus a submission address, sender authentication and an ITU-T profile.
    func configure(_ run: TestRun) throws {
        var config = try String(contentsOfFile: run.configPath, encoding: .utf8)
        config = config.replacingOccurrences(
            of: "service:\n",
            with: """
                service:
                  submission_address: "Liaison Submissions <\(run.address("submit"))>"
                  sender_authentication:
                    trusted_authserv_ids: [mx.example.test]

                """)
        config = config.replacingOccurrences(
            of: "\nrules: []",
            with: """
                  profiles:
                    - name: ITU-T
                      liaison_address: "ITU-T TSB <\(run.prefix)-tsb@itu.int>"
                      required_fields: ["Question(s)", "Study Group"]
                      title_pattern: '^(Reply )?LS on '

                rules: []
                """)
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
    }

    /// A mail to the submission address (as the alias delivers it into the intake mailbox).
    func mail(_ run: TestRun, from: String, subject: String, id: String, authenticated: Bool, extra: String = "", body: String) -> [UInt8] {
        let results = authenticated ? "Authentication-Results: mx.example.test; dmarc=pass header.from=example.test\r\n" : ""
        var text = "\(results)From: \(from)\r\nTo: Liaison Submissions <\(run.address("submit"))>\r\nSubject: \(subject)\r\n"
        text += "Message-ID: <\(id)>\r\nDate: Wed, 18 Nov 2026 10:00:00 +0000\r\n\(extra)MIME-Version: 1.0\r\n"
        text += "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        text += body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        return Array(text.utf8)
    }

    func draft(_ run: TestRun, questions: Bool) -> String {
        """
        Title: LS on access node YANG models
        From: IETF MARS WG
        To: ITU-T SG15 <\(run.prefix)-rapporteur@itu.int>
        Response Contacts: MARS WG Chairs <\(run.address("mars-chairs"))>
        Technical Contacts: Alice <\(run.address("alice"))>
        Purpose: For action
        Deadline: 2031-03-01
        \(questions ? "Question(s): 14/15\n" : "")Study Group: 15
        Body:
        The MARS WG asks Q14/15 to review its YANG models.
        """
    }

    func poll(_ run: TestRun) throws -> String {
        let result = try run.liaison("poll", "--once")
        #expect(result.status == 0, "\(result.output)")
        return result.output
    }

    func with(_ messages: [[UInt8]], subject: String) -> [MIMEMessage] {
        messages.map { MIMEMessage(bytes: $0) }.filter { $0.subject?.contains(subject) == true }
    }

    @Test("Draft with a missing field returned; complete draft approved by the AD only; sent; the peer's reply closes it")
    func outgoingStatement() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        try configure(run)
        let p = run.prefix
        let check = try run.liaison("check-config")
        #expect(check.status == 0, "\(check.output)")
        let intake = try stack.imap(user: run.address("intake"))
        let chairs = "MARS WG Chairs <\(run.address("mars-chairs"))>"

        // 1. A draft without Question(s): the list goes back, nothing is recorded or sent.
        _ = try await intake.append(
            mail(run, from: chairs, subject: "Draft LS", id: "\(p)-draft-1@example.test", authenticated: true, body: draft(run, questions: false)),
            to: "INBOX")
        let first = try poll(run)
        #expect(first.contains("draft statement not sent"), "\(first)")
        try await stack.waitForDelivery { !with(stack.inbox(of: "\(p)-mars-chairs"), subject: "Draft statement not sent").isEmpty }
        let returned = try #require(with(stack.inbox(of: "\(p)-mars-chairs"), subject: "Draft statement not sent").first)
        #expect(returned.textBody()?.contains("Question(s): missing") == true, "\(returned.textBody() ?? "")")
        #expect(returned.header["Auto-Submitted"] == "auto-replied")
        #expect(returned.inReplyTo == ["\(p)-draft-1@example.test"])
        #expect(try run.liaison("list").output.contains("no statements recorded"))
        #expect(stack.inbox(of: "\(p)-ops-ads").isEmpty)

        // 2. The complete draft: recorded, the area directors asked, nothing to the peer yet.
        _ = try await intake.append(
            mail(run, from: chairs, subject: "Draft LS", id: "\(p)-draft-2@example.test", authenticated: true, body: draft(run, questions: true)),
            to: "INBOX")
        let second = try poll(run)
        let reference = try #require(
            second.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "recorded ") else { return nil }
                return line[range.upperBound...].split(separator: " ").first.map(String.init)
            }.first, "\(second)")
        try await stack.waitForDelivery { !with(stack.inbox(of: "\(p)-ops-ads"), subject: "[\(reference)] Approval needed").isEmpty }
        let request = try #require(with(stack.inbox(of: "\(p)-ops-ads"), subject: "[\(reference)] Approval needed").first)
        #expect(request.header["Auto-Submitted"] == "auto-generated")
        #expect(request.header["Reply-To"]?.contains(run.address("submit")) == true)
        let requestID = try #require(request.messageID)
        #expect(stack.sink(for: "\(p)-tsb@itu.int").isEmpty)

        // 3. Forged approvals: an authenticated address that is no approver, and the AD's
        //    address without authentication. Both are logged and ignored.
        _ = try await intake.append(
            mail(
                run, from: "Mallory <\(run.address("mallory"))>", subject: "Re: [\(reference)] Approval needed", id: "\(p)-forged-1@example.test",
                authenticated: true, extra: "In-Reply-To: <\(requestID)>\r\n", body: "Approved"),
            to: "INBOX")
        _ = try await intake.append(
            mail(
                run, from: "Operations ADs <\(run.address("ops-ads"))>", subject: "Re: [\(reference)] Approval needed",
                id: "\(p)-forged-2@example.test", authenticated: false, body: "Approved"),
            to: "INBOX")
        _ = try poll(run)
        let afterForged = try run.liaison("show", reference).output
        #expect(afterForged.contains("not an approver of MARS"), "\(afterForged)")
        #expect(afterForged.contains("sender not authenticated"), "\(afterForged)")
        try await stack.waitForDelivery { true }
        #expect(stack.sink(for: "\(p)-tsb@itu.int").isEmpty, "a forged approval sent the statement")
        #expect(stack.sink(for: "\(p)-rapporteur@itu.int").isEmpty)

        // 4. The AD's real approval (answering the request, no reference in the subject): sent.
        _ = try await intake.append(
            mail(
                run, from: "Operations ADs <\(run.address("ops-ads"))>", subject: "Re: Approval needed", id: "\(p)-approval@example.test",
                authenticated: true, extra: "In-Reply-To: <\(requestID)>\r\n", body: "Approved.\n\n> Approved"),
            to: "INBOX")
        _ = try poll(run)
        let copies = ["\(p)-lm-itu", "\(p)-mars-chairs", "\(p)-mars", "\(p)-alice"]
        try await stack.waitForDelivery {
            !stack.sink(for: "\(p)-tsb@itu.int").isEmpty && !stack.sink(for: "\(p)-rapporteur@itu.int").isEmpty
                && copies.allSatisfy { !with(stack.inbox(of: $0), subject: "[\(reference)] LS on").isEmpty }
        }
        let sent = try #require(with(stack.sink(for: "\(p)-tsb@itu.int"), subject: "[\(reference)] LS on access node YANG models").first)
        #expect(with(stack.sink(for: "\(p)-rapporteur@itu.int"), subject: "[\(reference)] LS on").count == 1)
        #expect(sent.to.map(\.address) == ["\(p)-tsb@itu.int", "\(p)-rapporteur@itu.int"])
        #expect(Set(sent.cc.map(\.address)) == Set(copies.map { "\($0)@example.test" }))
        #expect(sent.header["Auto-Submitted"] == "auto-generated")
        #expect(sent.textBody()?.contains("Question(s): 14/15") == true)
        for box in copies {
            #expect(with(stack.inbox(of: box), subject: "[\(reference)] LS on").count == 1, "\(box) holds one copy")
        }
        let sentID = try #require(sent.messageID)

        // 5. The peer's reply (its subject keeps the reference): recorded, linked, and it closes the statement.
        let replyText: String = """
            Authentication-Results: mx.example.test; dmarc=pass header.from=itu.int\r
            From: Q14/15 Rapporteur <\(p)-rapporteur@itu.int>\r
            To: \(run.address("intake"))\r
            Subject: Re: [\(reference)] LS on access node YANG models\r
            Message-ID: <\(p)-reply@itu.int>\r
            In-Reply-To: <\(sentID)>\r
            Date: Thu, 19 Nov 2026 10:00:00 +0000\r
            MIME-Version: 1.0\r
            Content-Type: text/plain\r
            \r
            Title: Reply LS on access node YANG models\r
            From: ITU-T SG15\r
            To: IETF MARS WG\r
            Purpose: For information\r
            Body:\r
            SG15 reviewed the models.\r

            """
        let reply = Array(replyText.utf8)
        _ = try await intake.append(reply, to: "INBOX")
        let last = try poll(run)
        #expect(last.contains("recorded "), "\(last)")
        let shown = try run.liaison("show", reference).output
        #expect(shown.contains("answered by"), "\(shown)")
        #expect(shown.contains("Outgoing: replied, submitted by "), "\(shown)")
        #expect(shown.contains("  approved by \(run.address("ops-ads")) at "), "\(shown)")
        let store = try SQLiteStore(path: run.directory.appendingPathComponent("state/liaison.sqlite").path)
        let parsed = try #require(StatementReference(reference))
        let outgoing = try #require(try await store.outgoingStatement(reference: parsed))
        #expect(outgoing.state == .replied)
        #expect(outgoing.approvedBy == run.address("ops-ads"))
        #expect(try await store.isClosed(parsed))
    }
}
