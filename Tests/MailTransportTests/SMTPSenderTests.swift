import Foundation
import LiaisonCore
import Logging
import Testing

@testable import MailTransport

/// SMTPSender against the real Postfix of `scripts/mailstack`, reading deliveries over IMAP.
@Suite(.enabled(if: MailStack.shouldRun, "mail stack not running: scripts/mailstack start"))
struct SMTPSenderTests {
    let stack: MailStack
    let logger: Logger
    let logs: RecordingLogHandler.Store

    init() throws {
        stack = try MailStack.require()
        (logger, logs) = RecordingLogHandler.logger()
    }

    /// Submission (587-like): STARTTLS and AUTH required.
    func submission(password: String? = nil, caFile: String? = nil) -> SMTPConfiguration {
        SMTPConfiguration(
            url: "smtp://\(stack.host):\(stack.submissionPort)", tls: .starttls, caFile: caFile ?? stack.caFile,
            username: stack.uniqueAddress("sender"), password: password ?? stack.password,
            heloName: "client.example.test", connectTimeout: .seconds(10), transferTimeout: .seconds(60))
    }

    /// The first message that arrives in `address`'s INBOX within 10 s.
    func awaitDelivery(to address: String) async throws -> [UInt8] {
        let configuration = IMAPConfiguration(
            url: "imap://\(stack.host):\(stack.imapPort)", username: address, password: stack.password, tls: .starttls,
            caFile: stack.caFile)
        let mailbox = try IMAPMailbox(configuration: configuration, logger: logger)
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            if let uid = try await mailbox.uids(after: 0).first {
                return try await mailbox.fetch(uid: uid, uidValidity: try await mailbox.status().uidValidity)
            }
            guard ContinuousClock.now < deadline else {
                throw MailStackUnavailable(path: address, detail: "no delivery within 10 s")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func submissionDeliversAndReportsEachRecipient() async throws {
        let first = stack.uniqueAddress("to1")
        let refused = "nosuch\(UInt32.random(in: 0...UInt32.max))@\(stack.domain)"
        let second = stack.uniqueAddress("to2")
        let sender = try SMTPSender(configuration: submission(), logger: logger)
        let message = TestMessages.protocolLookalike(to: first)

        let results = try await sender.send(
            message, envelope: MailEnvelope(sender: "liaison@\(stack.domain)", recipients: [first, refused, second]))

        #expect(results.map(\.address) == [first, refused, second])
        #expect(results.map(\.outcome) == [.delivered, .permanentFailure, .delivered])
        #expect(results.map(\.code) == [250, 550, 250])
        #expect(results[1].detail.hasPrefix("550 5.1.1"))
        #expect(results[1].detail.contains(refused))
        for address in [first, second] {
            let delivered = try await awaitDelivery(to: address)
            // Postfix prepends Return-Path, Delivered-To, X-Original-To and Received.
            #expect(Array(delivered.suffix(message.count)) == message)
        }
        for line in logs.all { #expect(!line.contains(stack.password)) }
        for line in logs.all where !line.hasPrefix("debug") { #expect(!line.contains(first)) }
    }

    @Test func implicitTLSWithAuthenticationDelivers() async throws {
        let recipient = stack.uniqueAddress("smtps")
        let configuration = SMTPConfiguration(
            url: "smtps://\(stack.host):\(stack.smtpsPort)", tls: .implicit, caFile: stack.caFile,
            username: stack.uniqueAddress("sender"), password: stack.password)
        let sender = try SMTPSender(configuration: configuration, logger: logger)
        let message = TestMessages.longLine(to: recipient, length: 900)
        let results = try await sender.send(message, envelope: MailEnvelope(sender: "", recipients: [recipient]))
        #expect(results.map(\.outcome) == [.delivered])
        #expect(Array(try await awaitDelivery(to: recipient).suffix(message.count)) == message)
    }

    @Test func everyRecipientRefusedIsStillAResultPerRecipient() async throws {
        let configuration = SMTPConfiguration(
            url: "smtp://\(stack.host):\(stack.smtpPort)", tls: .starttls, caFile: stack.caFile)
        let sender = try SMTPSender(configuration: configuration, logger: logger)
        let recipients = ["nosuchone@\(stack.domain)", "nosuchtwo@\(stack.domain)"]
        let results = try await sender.send(
            TestMessages.simple(to: recipients[0], subject: "nobody"),
            envelope: MailEnvelope(sender: "liaison@\(stack.domain)", recipients: recipients))
        #expect(results.map(\.address) == recipients)
        #expect(results.allSatisfy { $0.outcome == .permanentFailure && $0.code == 550 })
    }

    @Test func oneConnectionServesSeveralMessages() async throws {
        let sender = try SMTPSender(configuration: submission(), logger: logger)
        for index in 1...3 {
            let recipient = stack.uniqueAddress("reuse\(index)")
            let results = try await sender.send(
                TestMessages.simple(to: recipient, subject: "reuse \(index)"),
                envelope: MailEnvelope(sender: "liaison@\(stack.domain)", recipients: [recipient]))
            #expect(results.map(\.outcome) == [.delivered])
        }
        #expect(try await sender.connectionsOpened == 1)
    }

    @Test func anUntrustedCertificateIsATLSError() async throws {
        let sender = try SMTPSender(configuration: submission(caFile: stack.wrongCAFile), logger: logger)
        let recipient = stack.uniqueAddress("tls")
        let error = await #expect(throws: TransportError.self) {
            try await sender.send(
                TestMessages.simple(to: recipient, subject: "x"),
                envelope: MailEnvelope(sender: "liaison@\(stack.domain)", recipients: [recipient]))
        }
        guard case .tlsFailed(let server, let code, _) = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(server == "smtp://\(stack.host):\(stack.submissionPort)")
        #expect(code == 60)
    }

    @Test func aWrongPasswordIsAnAuthenticationErrorWithoutThePassword() async throws {
        let wrong = "wrong-\(UInt64.random(in: 0...UInt64.max))"
        let configuration = submission(password: wrong)
        let sender = try SMTPSender(configuration: configuration, logger: logger)
        let recipient = stack.uniqueAddress("auth")
        let error = await #expect(throws: TransportError.self) {
            try await sender.send(
                TestMessages.simple(to: recipient, subject: "x"),
                envelope: MailEnvelope(sender: "liaison@\(stack.domain)", recipients: [recipient]))
        }
        guard case .authenticationFailed(_, let username, let code, let message) = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(username == configuration.username)
        #expect(code == 67)
        #expect(message.contains("535"))
        #expect(!"\(error!)".contains(wrong))
        #expect(!"\(configuration)".contains(wrong))
        #expect(!String(reflecting: configuration).contains(wrong))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(wrong))
        for line in logs.all { #expect(!line.contains(wrong)) }
    }
}

/// SMTPSender checks that need no mail stack: refusals before sending, a closed port, and a
/// loopback fake server that offers no AUTH.
struct SMTPSenderLocalTests {
    let logger: Logger

    init() {
        (logger, _) = RecordingLogHandler.logger()
    }

    @Test(arguments: [
        "victim@example.test\r\nRCPT TO:<other@example.test>", "a@example.test\nDATA", "a b@example.test",
        "<a@example.test>", "a@example.test>", "a\u{0}@example.test", "a\u{7F}@example.test", "a\u{85}@example.test",
        "a\u{2028}@example.test", "nodomain", "@example.test", "local@", "",
    ])
    func unsafeAddressesAreRefusedBeforeSending(address: String) async throws {
        // The port is closed: reaching libcurl would give a connection error instead.
        let configuration = SMTPConfiguration(url: "smtp://127.0.0.1:\(try FakeSMTPServer.closedPort())", tls: .none)
        let sender = try SMTPSender(configuration: configuration, logger: logger)
        let message = TestMessages.simple(to: "x@example.test", subject: "x")
        await #expect(throws: TransportError.invalidAddress(address)) {
            try await sender.send(message, envelope: MailEnvelope(sender: "ok@example.test", recipients: [address]))
        }
        if !address.isEmpty {
            await #expect(throws: TransportError.invalidAddress(address)) {
                try await sender.send(message, envelope: MailEnvelope(sender: address, recipients: ["ok@example.test"]))
            }
        }
    }

    @Test func aMessageWithABareLineFeedIsRefusedBeforeSending() async throws {
        let configuration = SMTPConfiguration(url: "smtp://127.0.0.1:\(try FakeSMTPServer.closedPort())", tls: .none)
        let sender = try SMTPSender(configuration: configuration, logger: logger)
        let message = Array("Subject: x\r\n\r\nline one\n.\r\nMAIL FROM:<evil@example.test>\r\n".utf8)
        await #expect(throws: TransportError.invalidMessage(offset: 22, reason: "bare LF (lines must end with CRLF)")) {
            try await sender.send(
                message, envelope: MailEnvelope(sender: "a@example.test", recipients: ["b@example.test"]))
        }
    }

    @Test func aClosedPortIsAConnectionErrorNamingTheServer() async throws {
        let port = try FakeSMTPServer.closedPort()
        let configuration = SMTPConfiguration(
            url: "smtp://127.0.0.1:\(port)", tls: .starttls, caFile: nil, username: "u@example.test",
            password: "pw-closed-port", connectTimeout: .seconds(5))
        let sender = try SMTPSender(configuration: configuration, logger: logger)
        let error = await #expect(throws: TransportError.self) {
            try await sender.send(
                TestMessages.simple(to: "b@example.test", subject: "x"),
                envelope: MailEnvelope(sender: "a@example.test", recipients: ["b@example.test"]))
        }
        guard case .connectionFailed(let server, let code, _) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(server == "smtp://127.0.0.1:\(port)")
        #expect(code == 7)
        #expect("\(error!)".contains("127.0.0.1:\(port)"))
        #expect(!"\(error!)".contains("pw-closed-port"))
    }

    @Test func aServerWithoutAuthGetsNoMessageWhenCredentialsAreConfigured() async throws {
        let server = try FakeSMTPServer()
        server.serveOne()
        let configuration = SMTPConfiguration(
            url: "smtp://127.0.0.1:\(server.port)", tls: .none, username: "u@example.test", password: "secret-pw",
            allowPlaintextAuthenticationOnLoopback: true, connectTimeout: .seconds(5), transferTimeout: .seconds(20))
        let sender = try SMTPSender(configuration: configuration, logger: logger)
        await #expect(throws: TransportError.authenticationNotOffered(server: "smtp://127.0.0.1:\(server.port)")) {
            try await sender.send(
                TestMessages.simple(to: "b@example.test", subject: "x"),
                envelope: MailEnvelope(sender: "a@example.test", recipients: ["b@example.test"]))
        }
        #expect(server.messageBytes == 0)
        #expect(!server.commands.contains { $0.uppercased().hasPrefix("AUTH") })
    }
}
