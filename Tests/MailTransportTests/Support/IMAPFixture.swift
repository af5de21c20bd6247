import Foundation
import LiaisonCore
import Logging
import Testing

@testable import MailTransport

/// One fresh test user on the stack and the ways the tests open its mailboxes.
struct IMAPFixture {
    let stack: MailStack
    /// The user's login (a unique `t…-intake@example.test`).
    let user: String
    /// Everything the transport logged, for the "no secrets in logs" checks.
    let logs: RecordingLogHandler.Store
    private let logger: Logger

    init(role: String = "intake") throws {
        stack = try MailStack.require()
        user = stack.uniqueAddress(role)
        (logger, logs) = RecordingLogHandler.logger()
    }

    /// A configuration for this user over `tls` (plain IMAP port for `.starttls`/`.none`).
    func configuration(
        mailbox: String = "INBOX", tls: TLSMode = .starttls, password: String? = nil, caFile: String? = nil
    )
        -> IMAPConfiguration
    {
        let url =
            tls == .implicit
            ? "imaps://\(stack.host):\(stack.imapsPort)" : "imap://\(stack.host):\(stack.imapPort)"
        return IMAPConfiguration(
            url: url, mailbox: mailbox, username: user, password: password ?? stack.password, tls: tls,
            caFile: caFile ?? stack.caFile, connectTimeout: .seconds(10), transferTimeout: .seconds(60))
    }

    /// Opens `mailbox` of this user (a new connection per call).
    func open(_ mailbox: String = "INBOX", tls: TLSMode = .starttls) throws -> IMAPMailbox {
        try IMAPMailbox(configuration: configuration(mailbox: mailbox, tls: tls), logger: logger)
    }

    /// Opens a mailbox with an arbitrary configuration, logging into the same store.
    func open(_ configuration: IMAPConfiguration) throws -> IMAPMailbox {
        try IMAPMailbox(configuration: configuration, logger: logger)
    }

    /// Asserts that nothing logged contains the password.
    func expectNoSecretsLogged(sourceLocation: SourceLocation = #_sourceLocation) {
        for line in logs.all {
            #expect(!line.contains(stack.password), "a log line contains the password", sourceLocation: sourceLocation)
        }
    }

    /// Disconnects every IMAP session of this user (`doveadm kick`); `false` when doveadm or the
    /// stack's Dovecot config is not at hand.
    func kickSessions() throws -> Bool {
        guard let text = try? String(contentsOfFile: MailStack.environmentFile, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("MAILSTACK_DIR=") })
        else { return false }
        let config = "\(line.dropFirst("MAILSTACK_DIR=".count))/dovecot/dovecot.conf"
        guard FileManager.default.fileExists(atPath: config),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/doveadm")
        else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/doveadm")
        process.arguments = ["-c", config, "kick", user]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
