import Foundation
import LiaisonCore
import Logging
import Testing

@testable import MailTransport

/// The IDLE watcher against the real Dovecot of `scripts/mailstack`.
///
/// The timeouts here are upper bounds that keep a broken watcher from hanging the run; no test
/// measures time. A wait that should wake is given a minute and must return `true`.
@Suite(.enabled(if: MailStack.shouldRun, "mail stack not running: scripts/mailstack start"))
struct IMAPIdleWatcherTests {
    /// Everything the watchers of one test logged.
    private let logs: RecordingLogHandler.Store
    private let logger: Logger

    init() {
        (logger, logs) = RecordingLogHandler.logger()
    }

    private func watcher(_ fixture: IMAPFixture, mailbox: String = "INBOX", tls: TLSMode = .starttls) throws
        -> IMAPIdleWatcher
    {
        try IMAPIdleWatcher(configuration: fixture.configuration(mailbox: mailbox, tls: tls), logger: logger)
    }

    private func expectNoSecretsLogged(_ fixture: IMAPFixture, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!logs.all.isEmpty, sourceLocation: sourceLocation)
        for line in logs.all {
            #expect(!line.contains(fixture.stack.password), "a log line contains the password", sourceLocation: sourceLocation)
        }
    }

    @Test func anAppendedMessageWakesTheWatcher() async throws {
        let fixture = try IMAPFixture()
        let poller = try fixture.open()
        let watcher = try watcher(fixture)
        // A fresh connection cannot know what it missed: it says "poll".
        #expect(try await watcher.waitForChange(timeout: .seconds(60)) == true)
        // Nothing new: the wait runs out.
        #expect(try await watcher.waitForChange(timeout: .milliseconds(500)) == false)

        let waiting = Task { try await watcher.waitForChange(timeout: .seconds(60)) }
        _ = try await poller.append(TestMessages.simple(to: fixture.user, subject: "wake up"), to: "INBOX")
        #expect(try await waiting.value == true)
        #expect(try await watcher.connectionsOpened == 1)
        expectNoSecretsLogged(fixture)
    }

    @Test func theDaemonsOwnMovesDoNotWakeButTheNextArrivalDoes() async throws {
        let fixture = try IMAPFixture()
        let poller = try fixture.open()
        for index in 1...3 {
            _ = try await poller.append(TestMessages.simple(to: fixture.user, subject: "old \(index)"), to: "INBOX")
        }
        let watcher = try watcher(fixture, tls: .implicit)
        #expect(try await watcher.waitForChange(timeout: .seconds(60)) == true)
        // The poller moves everything out while the watcher idles: three EXPUNGEs, no wake.
        let validity = try await poller.status().uidValidity
        let moving = Task {
            for uid in try await poller.uids(after: 0) {
                _ = try await poller.fetch(uid: uid, uidValidity: validity)
                try await poller.move(uid: uid, to: "Processed")
            }
        }
        #expect(try await watcher.waitForChange(timeout: .seconds(2)) == false)
        try await moving.value
        #expect(try await poller.status().messages == 0)
        // One message after the moves: the count (1) is below the old baseline (3) and still wakes.
        let waiting = Task { try await watcher.waitForChange(timeout: .seconds(60)) }
        _ = try await poller.append(TestMessages.simple(to: fixture.user, subject: "new"), to: "INBOX")
        #expect(try await waiting.value == true)
        #expect(try await watcher.connectionsOpened == 1)
    }

    @Test func idleIsReissuedWithinOneLongWait() async throws {
        let fixture = try IMAPFixture()
        let watcher = try watcher(fixture)
        #expect(try await watcher.waitForChange(timeout: .seconds(60)) == true)
        try await watcher.setIdleSlice(.milliseconds(300))
        #expect(try await watcher.waitForChange(timeout: .milliseconds(1500)) == false)
        #expect(watcher.idleCommands >= 3)
        // The re-issued IDLE still hears new mail.
        let waiting = Task { try await watcher.waitForChange(timeout: .seconds(60)) }
        _ = try await fixture.open().append(TestMessages.simple(to: fixture.user, subject: "late"), to: "INBOX")
        #expect(try await waiting.value == true)
        #expect(try await watcher.connectionsOpened == 1)
    }

    @Test(arguments: ["Eingang für LS", #"Intake "quoted" \ name"#, "Intake;UID=1? x"])
    func mailboxNamesAreQuotedAndEncoded(name: String) async throws {
        let fixture = try IMAPFixture()
        let poller = try fixture.open()
        try await poller.createMailbox(name)
        let watcher = try watcher(fixture, mailbox: name)
        #expect(try await watcher.waitForChange(timeout: .seconds(60)) == true)
        // INBOX mail must not wake a watcher of another mailbox.
        _ = try await poller.append(TestMessages.simple(to: fixture.user, subject: "elsewhere"), to: "INBOX")
        #expect(try await watcher.waitForChange(timeout: .seconds(1)) == false)
        let waiting = Task { try await watcher.waitForChange(timeout: .seconds(60)) }
        _ = try await poller.append(TestMessages.simple(to: fixture.user, subject: "here"), to: name)
        #expect(try await waiting.value == true)
    }

    @Test func cancellingAWaitEndsItAndTheNextWaitReconnects() async throws {
        let fixture = try IMAPFixture()
        let watcher = try watcher(fixture)
        #expect(try await watcher.waitForChange(timeout: .seconds(60)) == true)
        let waiting = Task { try await watcher.waitForChange(timeout: .seconds(600)) }
        // Cancel once the IDLE is under way.
        while watcher.idleCommands == 0 { await Task.yield() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(try await watcher.waitForChange(timeout: .seconds(60)) == true)
        #expect(try await watcher.connectionsOpened == 2)
    }

    @Test func aMissingMailboxIsReported() async throws {
        let fixture = try IMAPFixture()
        let watcher = try watcher(fixture, mailbox: "NoSuchMailbox")
        await #expect {
            _ = try await watcher.waitForChange(timeout: .seconds(5))
        } throws: { error in
            guard case .mailboxUnavailable(_, let mailbox, _) = error as? TransportError else { return false }
            return mailbox == "NoSuchMailbox"
        }
    }

    @Test func tlsAndLoginFailuresAreTheMailboxsOwn() async throws {
        let fixture = try IMAPFixture()
        let wrongCA = try IMAPIdleWatcher(
            configuration: fixture.configuration(tls: .implicit, caFile: fixture.stack.wrongCAFile),
            logger: logger)
        await #expect {
            _ = try await wrongCA.waitForChange(timeout: .seconds(5))
        } throws: { error in
            (error as? TransportError)?.tlsFailure == .untrustedCertificate
        }
        let badPassword = try IMAPIdleWatcher(
            configuration: fixture.configuration(password: "wrong-\(fixture.stack.password)"), logger: logger)
        await #expect {
            _ = try await badPassword.waitForChange(timeout: .seconds(5))
        } throws: { error in
            guard case .authenticationFailed = error as? TransportError else { return false }
            return !"\(error)".contains(fixture.stack.password)
        }
        for line in logs.all { #expect(!line.contains(fixture.stack.password)) }
        // The configuration is checked before anything connects, exactly as for IMAPMailbox.
        #expect(throws: TransportError.self) {
            try IMAPIdleWatcher(
                configuration: IMAPConfiguration(
                    url: "imap://127.0.0.1:1", username: "u", password: "p", tls: .none), logger: logger)
        }
    }
}

/// A server without IDLE: the watcher says so, so the daemon polls instead.
struct IMAPIdleFallbackTests {
    @Test func aServerWithoutIdleIsNotSupported() async throws {
        let server = try FakeIMAPServer(capabilities: "IMAP4rev1")
        server.serveOne()
        let (logger, _) = RecordingLogHandler.logger()
        let watcher = try IMAPIdleWatcher(
            configuration: IMAPConfiguration(
                url: "imap://127.0.0.1:\(server.port)", username: "user", password: "secret", tls: .none,
                allowPlaintextAuthentication: true, connectTimeout: .seconds(5), transferTimeout: .seconds(5)),
            logger: logger)
        await #expect {
            _ = try await watcher.waitForChange(timeout: .seconds(5))
        } throws: { error in
            guard case .notSupported(let reason) = error as? MailboxWatcherError else { return false }
            return reason.contains("IDLE")
        }
        // It asked for the capabilities after login and never sent IDLE.
        #expect(server.verbs.contains("LOGIN"))
        #expect(server.verbs.filter { $0 == "CAPABILITY" }.count >= 2)
        #expect(!server.verbs.contains("IDLE"))
    }
}
