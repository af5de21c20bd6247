import Foundation
import LiaisonCore
import Logging
import MailTransport
import Testing

/// TLS fails closed against the real Dovecot and Postfix: the stack serves the same accounts on
/// 127.0.0.2–4 with an untrusted, an expired and a wrong-name certificate, and on 127.0.0.5
/// without STARTTLS (docs/mailstack.md, "Bad certificates and no STARTTLS"). Each must stop the
/// connection with a `TransportError.tlsFailed` naming the server and the reason, before any
/// login: the servers' logs never see the user. The same servers with the stack's CA work.
@Suite("TLS fails closed", .enabled(if: MailStack.shouldRun))
struct TLSFailClosedTests {
    /// One bad listener of the stack: its env key and what must go wrong there.
    struct Case: Sendable, CustomTestStringConvertible {
        var hostKey: String
        var tls: TLSMode
        var expected: TLSFailure
        var testDescription: String { "\(expected.rawValue) over \(tls.rawValue)" }
    }

    static let cases: [Case] = [TLSMode.implicit, .starttls].flatMap { tls in
        [
            Case(hostKey: "MAILSTACK_UNTRUSTED_HOST", tls: tls, expected: .untrustedCertificate),
            Case(hostKey: "MAILSTACK_EXPIRED_HOST", tls: tls, expected: .expiredCertificate),
            Case(hostKey: "MAILSTACK_WRONG_NAME_HOST", tls: tls, expected: .hostNameMismatch),
        ]
    } + [Case(hostKey: "MAILSTACK_NO_STARTTLS_HOST", tls: .starttls, expected: .startTLSNotOffered)]

    let logger = Logger(label: "tls-fail-closed-test")

    /// A login no other test uses, so the servers' logs show whether it ever reached them.
    static func uniqueLogin(_ role: String) -> String {
        "tfc\(String(UInt64.random(in: 0...UInt64.max), radix: 36))-\(role)@example.test"
    }

    func imapURL(_ stack: MailStack, host: String, tls: TLSMode) -> String {
        tls == .implicit
            ? "imaps://\(host):\(stack["MAILSTACK_IMAPS_PORT"])" : "imap://\(host):\(stack["MAILSTACK_IMAP_PORT"])"
    }

    func smtpURL(_ stack: MailStack, host: String, tls: TLSMode) -> String {
        tls == .implicit
            ? "smtps://\(host):\(stack["MAILSTACK_SMTPS_PORT"])" : "smtp://\(host):\(stack["MAILSTACK_SUBMISSION_PORT"])"
    }

    func imap(
        _ stack: MailStack, host: String, tls: TLSMode, user: String, caFile: String? = nil, allowPlaintext: Bool = false
    ) throws -> IMAPMailbox {
        try IMAPMailbox(
            configuration: IMAPConfiguration(
                url: imapURL(stack, host: host, tls: tls), username: user, password: stack.password, tls: tls,
                caFile: caFile ?? stack["MAILSTACK_CA"], allowPlaintextAuthentication: allowPlaintext,
                connectTimeout: .seconds(10), transferTimeout: .seconds(20)),
            logger: logger)
    }

    func smtp(
        _ stack: MailStack, host: String, tls: TLSMode, user: String, caFile: String? = nil, allowPlaintext: Bool = false
    ) throws -> SMTPSender {
        try SMTPSender(
            configuration: SMTPConfiguration(
                url: smtpURL(stack, host: host, tls: tls), tls: tls, caFile: caFile ?? stack["MAILSTACK_CA"],
                username: user, password: stack.password, allowPlaintextAuthentication: allowPlaintext,
                heloName: "tls-test.example.test", connectTimeout: .seconds(10), transferTimeout: .seconds(20)),
            logger: logger)
    }

    /// A one-line message from `tls-sender@example.test` to `recipient`.
    func message(to recipient: String) -> (bytes: [UInt8], envelope: MailEnvelope) {
        let text =
            "From: tls-sender@example.test\r\nTo: \(recipient)\r\nSubject: TLS fail-closed test\r\n"
            + "Message-ID: <\(UUID().uuidString)@example.test>\r\n\r\nbody\r\n"
        return (Array(text.utf8), MailEnvelope(sender: "tls-sender@example.test", recipients: [recipient]))
    }

    /// Checks the error: `.tlsFailed` for `server`, with the expected reason in its text.
    func expectFailure(
        _ error: TransportError?, server: String, _ expected: TLSFailure, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error, case .tlsFailed(let reported, let code, _) = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(reported == server, sourceLocation: sourceLocation)
        #expect(error.tlsFailure == expected, "\(error)", sourceLocation: sourceLocation)
        #expect(code == (expected == .startTLSNotOffered ? 64 : 60), "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("\(server): TLS failed, connection closed: "), sourceLocation: sourceLocation)
        #expect(error.description.contains(expected.explanation), sourceLocation: sourceLocation)
    }

    /// Waits (bounded) until a later login, `marker`, has been logged, then checks `login` never
    /// was: the server never received the credentials. The marker login happens after the attempt
    /// under test, so once it is in the log, anything the attempt caused is too.
    func expectNeverLoggedIn(
        _ login: String, stack: MailStack, marker: (_ user: String) async throws -> Void
    ) async throws {
        let user = Self.uniqueLogin("marker")
        try await marker(user)
        let logs = ["dovecot.log", "postfix.log"].map { "\(stack["MAILSTACK_LOG_DIR"])/\($0)" }
        let deadline = ContinuousClock.now + .seconds(20)
        var text = ""
        while ContinuousClock.now < deadline {
            text = logs.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }.joined()
            if text.contains(user) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(text.contains(user), "the marker login never reached the logs")
        #expect(!text.contains(login), "the server saw the login \(login)")
    }

    /// A failed IMAP login on the good server: Dovecot logs the user ("Password mismatch").
    func imapMarker(_ stack: MailStack, user: String) async throws {
        let mailbox = try IMAPMailbox(
            configuration: IMAPConfiguration(
                url: imapURL(stack, host: stack.host, tls: .implicit), username: user, password: "not-the-password",
                tls: .implicit, caFile: stack["MAILSTACK_CA"]),
            logger: logger)
        await #expect(throws: TransportError.self) { try await mailbox.status() }
    }

    /// A message through the good submission port: Postfix logs the SASL user.
    func smtpMarker(_ stack: MailStack, user: String) async throws {
        let sender = try smtp(stack, host: stack.host, tls: .starttls, user: user)
        let mail = message(to: Self.uniqueLogin("marker-rcpt"))
        let results = try await sender.send(mail.bytes, envelope: mail.envelope)
        #expect(results.map(\.outcome) == [.delivered])
    }

    // MARK: IMAP

    @Test("IMAP: a bad certificate or a missing STARTTLS stops the connection before the login", arguments: cases)
    func imapFailsClosed(_ failure: Case) async throws {
        let stack = try MailStack.load()
        let host = stack[failure.hostKey]
        try #require(!host.isEmpty, "the stack's env file lacks \(failure.hostKey): restart it with scripts/mailstack")
        let login = Self.uniqueLogin("imap")
        let mailbox = try imap(stack, host: host, tls: failure.tls, user: login)
        let error = await #expect(throws: TransportError.self) { try await mailbox.status() }
        expectFailure(error, server: imapURL(stack, host: host, tls: failure.tls), failure.expected)
        #expect(!"\(String(describing: error))".contains(stack.password))
        // A second call fails the same way: no half-open session is reused.
        let again = await #expect(throws: TransportError.self) { try await mailbox.uids(after: 0) }
        #expect(again?.tlsFailure == failure.expected)
        try await expectNeverLoggedIn(login, stack: stack) { try await imapMarker(stack, user: $0) }
    }

    @Test("IMAP: the same servers work with the stack's CA and the right name", arguments: [TLSMode.implicit, .starttls])
    func imapGoodCertificateWorks(tls: TLSMode) async throws {
        let stack = try MailStack.load()
        let status = try await imap(stack, host: stack.host, tls: tls, user: Self.uniqueLogin("good")).status()
        #expect(status.uidValidity > 0)
        // The untrusted listener's only defect is its CA: trusting that CA makes it work.
        let untrusted = try imap(
            stack, host: stack["MAILSTACK_UNTRUSTED_HOST"], tls: tls, user: Self.uniqueLogin("bad-ca"),
            caFile: stack["MAILSTACK_BAD_CA"])
        #expect(try await untrusted.status().uidValidity > 0)
    }

    @Test("IMAP: the STARTTLS-less server accepts a plain-text login, so refusing it is the client's doing")
    func imapPlaintextControl() async throws {
        let stack = try MailStack.load()
        let mailbox = try imap(
            stack, host: stack["MAILSTACK_NO_STARTTLS_HOST"], tls: .none, user: Self.uniqueLogin("plain"),
            allowPlaintext: true)
        #expect(try await mailbox.status().uidValidity > 0)
    }

    // MARK: SMTP

    @Test("SMTP: a bad certificate or a missing STARTTLS stops the connection before AUTH and DATA", arguments: cases)
    func smtpFailsClosed(_ failure: Case) async throws {
        let stack = try MailStack.load()
        let host = stack[failure.hostKey]
        try #require(!host.isEmpty, "the stack's env file lacks \(failure.hostKey): restart it with scripts/mailstack")
        let login = Self.uniqueLogin("smtp")
        let recipient = Self.uniqueLogin("rcpt")
        let sender = try smtp(stack, host: host, tls: failure.tls, user: login)
        let mail = message(to: recipient)
        let error = await #expect(throws: TransportError.self) {
            try await sender.send(mail.bytes, envelope: mail.envelope)
        }
        expectFailure(error, server: smtpURL(stack, host: host, tls: failure.tls), failure.expected)
        #expect(!"\(String(describing: error))".contains(stack.password))
        try await expectNeverLoggedIn(login, stack: stack) { try await smtpMarker(stack, user: $0) }
        #expect(stack.inbox(of: String(recipient.dropLast("@example.test".count))).isEmpty, "nothing was delivered")
    }

    @Test("SMTP: the same servers work with the stack's CA and the right name", arguments: [TLSMode.implicit, .starttls])
    func smtpGoodCertificateWorks(tls: TLSMode) async throws {
        let stack = try MailStack.load()
        for (host, caFile) in [(stack.host, stack["MAILSTACK_CA"]), (stack["MAILSTACK_UNTRUSTED_HOST"], stack["MAILSTACK_BAD_CA"])] {
            let sender = try smtp(stack, host: host, tls: tls, user: Self.uniqueLogin("good"), caFile: caFile)
            let mail = message(to: Self.uniqueLogin("good-rcpt"))
            #expect(try await sender.send(mail.bytes, envelope: mail.envelope).map(\.outcome) == [.delivered])
        }
    }

    @Test("SMTP: the STARTTLS-less server accepts AUTH in clear, so refusing it is the client's doing")
    func smtpPlaintextControl() async throws {
        let stack = try MailStack.load()
        let sender = try smtp(
            stack, host: stack["MAILSTACK_NO_STARTTLS_HOST"], tls: .none, user: Self.uniqueLogin("plain"),
            allowPlaintext: true)
        let mail = message(to: Self.uniqueLogin("plain-rcpt"))
        #expect(try await sender.send(mail.bytes, envelope: mail.envelope).map(\.outcome) == [.delivered])
    }

    // MARK: The daemon

    @Test("liaison poll --once against an expired IMAP certificate exits with the reason and touches nothing")
    func daemonStopsOnABadCertificate() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try run.sample("1-datatracker"), to: "INBOX")
        let expiredURL = "imap://\(stack["MAILSTACK_EXPIRED_HOST"]):\(stack["MAILSTACK_IMAP_PORT"])"
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(of: "url: imap://\(stack.host):", with: "url: imap://\(stack["MAILSTACK_EXPIRED_HOST"]):")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))

        let (status, output) = try run.liaison("poll", "--once")
        #expect(status != 0)
        #expect(output.contains("\(expiredURL): TLS failed, connection closed: the server's certificate has expired"), "\(output)")
        #expect(!output.contains(stack.password))
        #expect(try await intake.uids(after: 0).count == 1, "the statement is still in the INBOX")
        #expect(try await intake.listMailboxes().contains("Processed") == false)
    }

    @Test("liaison poll --once with an SMTP server that drops STARTTLS keeps the mail in the outbox with the reason")
    func daemonKeepsMailWhenSTARTTLSIsMissing() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try run.sample("1-datatracker"), to: "INBOX")
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(
                of: "url: smtp://\(stack.host):", with: "url: smtp://\(stack["MAILSTACK_NO_STARTTLS_HOST"]):")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))

        let (status, output) = try run.liaison("poll", "--once")
        #expect(status == 0, "\(output)")
        let outbox = try run.liaison("outbox").output
        #expect(outbox.contains("Pending"), "\(outbox)")
        #expect(outbox.contains("does not offer STARTTLS"), "\(outbox)")
        #expect(!outbox.contains("delivered"), "\(outbox)")
        #expect(!(output + outbox).contains(stack.password))
        #expect(stack.inbox(of: "\(run.prefix)-mars").isEmpty, "nothing was sent in clear")
    }
}
