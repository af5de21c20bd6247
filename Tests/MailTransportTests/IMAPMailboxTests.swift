import Foundation
import LiaisonCore
import Testing

@testable import MailTransport

/// IMAPMailbox against the real Dovecot of `scripts/mailstack`.
@Suite(.enabled(if: MailStack.shouldRun, "mail stack not running: scripts/mailstack start"))
struct IMAPMailboxTests {
    @Test func statusReportsUIDValidityUIDNextAndCount() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        let empty = try await mailbox.status()
        #expect(empty.messages == 0)
        #expect(empty.uidNext == 1)
        #expect(empty.uidValidity > 0)

        _ = try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "one"), to: "INBOX")
        _ = try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "two"), to: "INBOX")
        let two = try await mailbox.status()
        #expect(two == MailboxStatus(uidValidity: empty.uidValidity, uidNext: 3, messages: 2))
        fixture.expectNoSecretsLogged()
    }

    @Test(arguments: [true, false])
    func uidsAfterReturnsOnlyNewerMessages(esearch: Bool) async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        try await mailbox.setFallbacks(useESearch: esearch, useMove: true, searchWindow: 2)
        #expect(try await mailbox.uids(after: 0) == [])
        var appended: [UInt32] = []
        for index in 1...5 {
            let uid = try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "m\(index)"), to: "INBOX")
            appended.append(try #require(uid))
        }
        #expect(appended == [1, 2, 3, 4, 5])
        #expect(try await mailbox.uids(after: 0) == [1, 2, 3, 4, 5])
        #expect(try await mailbox.uids(after: 3) == [4, 5])
        // `6:*` matches the highest UID on the server; it must not come back.
        #expect(try await mailbox.uids(after: 5) == [])
        #expect(try await mailbox.uids(after: 1000) == [])
        _ = try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "m6"), to: "INBOX")
        #expect(try await mailbox.uids(after: 5) == [6])
    }

    @Test func fetchReturnsExactBytesOfProtocolLookalikeAndLongLine() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open(tls: .implicit)
        let messages = [
            TestMessages.protocolLookalike(to: fixture.user),
            TestMessages.longLine(to: fixture.user, length: 200_000),
        ]
        let validity = try await mailbox.status().uidValidity
        for message in messages {
            let uid = try #require(try await mailbox.append(message, to: "INBOX"))
            let fetched = try await mailbox.fetch(uid: uid, uidValidity: validity)
            #expect(fetched.count == message.count)
            #expect(fetched == message)
        }
    }

    @Test func fetchReturnsA25MegabyteMessageByteForByte() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        let message = TestMessages.withAttachment(to: fixture.user, size: 19_000_000)
        #expect(message.count > 25_000_000)
        let uid = try #require(try await mailbox.append(message, to: "INBOX"))
        let validity = try await mailbox.status().uidValidity
        let fetched = try await mailbox.fetch(uid: uid, uidValidity: validity)
        #expect(fetched.count == message.count)
        #expect(fetched == message)

        // A fetch cancelled half-way must leave the mailbox usable for the next call.
        let task = Task { try await mailbox.fetch(uid: uid, uidValidity: validity) }
        task.cancel()
        _ = try? await task.value
        #expect(try await mailbox.uids(after: 0) == [uid])
        #expect(try await mailbox.fetch(uid: uid, uidValidity: validity) == message)
    }

    @Test func fetchLeavesAnUnseenMessageUnseen() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        let validity = try await mailbox.status().uidValidity
        let unseen = try #require(
            try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "u"), to: "INBOX"))
        let seen = try #require(
            try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "s"), to: "INBOX"))
        try await mailbox.store(uid: unseen, "-FLAGS.SILENT (\\Seen)")
        #expect(try await mailbox.flags(uid: unseen)?.contains("\\Seen") == false)
        #expect(try await mailbox.flags(uid: seen)?.contains("\\Seen") == true)

        _ = try await mailbox.fetch(uid: unseen, uidValidity: validity)
        _ = try await mailbox.fetch(uid: seen, uidValidity: validity)
        #expect(try await mailbox.flags(uid: unseen)?.contains("\\Seen") == false)
        #expect(try await mailbox.flags(uid: seen)?.contains("\\Seen") == true)
    }

    @Test func fetchOfAMissingUIDThrowsMessageNotFound() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        _ = try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "x"), to: "INBOX")
        let validity = try await mailbox.status().uidValidity
        await #expect(throws: MailSourceError.messageNotFound(uid: 99)) {
            try await mailbox.fetch(uid: 99, uidValidity: validity)
        }
        // libcurl's own answer for the URL form is 78, the same code as a UIDVALIDITY change,
        // on a transfer that (re-)SELECTs the mailbox and so sees `[UIDVALIDITY n]`.
        try await mailbox.createMailbox("Side")
        _ = try await mailbox.uids(in: "Side")
        await #expect(throws: MailSourceError.messageNotFound(uid: 99)) {
            try await mailbox.download(uid: 99, uidValidity: validity)
        }
        await #expect(throws: MailSourceError.uidValidityChanged(mailbox: "INBOX", expected: validity &+ 1)) {
            try await mailbox.download(uid: 1, uidValidity: validity &+ 1)
        }
    }

    @Test(arguments: [true, false])
    func moveCreatesTheFolderAndRemovesTheMessage(useMove: Bool) async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        try await mailbox.setFallbacks(useESearch: true, useMove: useMove)
        let keep = try #require(
            try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "k"), to: "INBOX"))
        let message = TestMessages.simple(to: fixture.user, subject: "moved")
        let uid = try #require(try await mailbox.append(message, to: "INBOX"))
        let folder = "Processed/2026 Ärger"

        try await mailbox.move(uid: uid, to: folder)
        #expect(try await mailbox.uids(after: 0) == [keep])
        #expect(try await mailbox.listMailboxes().contains(folder))
        let moved = try await mailbox.uids(in: folder)
        #expect(moved.count == 1)

        let processed = try fixture.open(folder)
        let validity = try await processed.status().uidValidity
        #expect(try await processed.fetch(uid: moved[0], uidValidity: validity) == message)

        // The UID is gone now.
        await #expect(throws: MailSourceError.messageNotFound(uid: uid)) {
            try await mailbox.move(uid: uid, to: folder)
        }
        await #expect(throws: MailSourceError.messageNotFound(uid: 4242)) {
            try await mailbox.move(uid: 4242, to: "Elsewhere")
        }
    }

    @Test func recreatedMailboxReportsANewUIDValidity() async throws {
        let fixture = try IMAPFixture()
        let admin = try fixture.open()
        try await admin.createMailbox("Intake")
        let intake = try fixture.open("Intake")
        let first = TestMessages.simple(to: fixture.user, subject: "before")
        let oldUID = try #require(try await admin.append(first, to: "Intake"))
        let old = try await intake.status()
        #expect(try await intake.uids(after: 0) == [oldUID])
        #expect(try await intake.fetch(uid: oldUID, uidValidity: old.uidValidity) == first)

        try await admin.deleteMailbox("Intake")
        try await admin.createMailbox("Intake")
        let second = TestMessages.simple(to: fixture.user, subject: "after")
        let newUID = try #require(try await admin.append(second, to: "Intake"))

        let new = try await intake.status()
        #expect(new.uidValidity != old.uidValidity)
        await #expect(throws: MailSourceError.uidValidityChanged(mailbox: "Intake", expected: old.uidValidity)) {
            try await intake.fetch(uid: oldUID, uidValidity: old.uidValidity)
        }
        #expect(try await intake.uids(after: 0) == [newUID])
        #expect(try await intake.fetch(uid: newUID, uidValidity: new.uidValidity) == second)
    }

    @Test func operationsShareOneConnectionAndLogin() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        let uid = try #require(
            try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "r"), to: "INBOX"))
        let validity = try await mailbox.status().uidValidity
        _ = try await mailbox.uids(after: 0)
        _ = try await mailbox.fetch(uid: uid, uidValidity: validity)
        _ = try await mailbox.listMailboxes()
        try await mailbox.move(uid: uid, to: "Done")
        _ = try await mailbox.status()
        #expect(try await mailbox.connectionsOpened == 1)
    }

    @Test func aDroppedConnectionIsReplacedTransparently() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        let uid = try #require(
            try await mailbox.append(TestMessages.simple(to: fixture.user, subject: "k"), to: "INBOX"))
        #expect(try await mailbox.uids(after: 0) == [uid])
        guard try fixture.kickSessions() else { return }
        #expect(try await mailbox.uids(after: 0) == [uid])
        #expect(try await mailbox.connectionsOpened == 2)
    }

    @Test func readingAnotherMailboxDoesNotDisturbTheIntakeSelection() async throws {
        let fixture = try IMAPFixture()
        let intake = try fixture.open()
        let inboxMessage = TestMessages.simple(to: fixture.user, subject: "inbox 1")
        _ = try await intake.append(inboxMessage, to: "INBOX")
        _ = try await intake.append(TestMessages.simple(to: fixture.user, subject: "inbox 2"), to: "INBOX")
        try await intake.createMailbox("Other")
        let otherMessage = TestMessages.simple(to: fixture.user, subject: "other 1")
        _ = try await intake.append(otherMessage, to: "Other")

        let validity = try await intake.status().uidValidity
        #expect(try await intake.uids(after: 0) == [1, 2])
        #expect(try await intake.uids(in: "Other") == [1])
        // UID 1 exists in both mailboxes: the fetch must read INBOX's.
        #expect(try await intake.fetch(uid: 1, uidValidity: validity) == inboxMessage)
        #expect(try await intake.uids(in: "Other") == [1])
        #expect(try await intake.uids(after: 1) == [2])
        #expect(try await intake.connectionsOpened == 1)
    }

    @Test func aMissingIntakeMailboxIsReportedByName() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open("Nonexistent")
        await #expect {
            try await mailbox.uids(after: 0)
        } throws: { error in
            guard case .mailboxUnavailable(_, let name, _) = error as? TransportError else { return false }
            return name == "Nonexistent"
        }
        await #expect {
            try await mailbox.status()
        } throws: { error in
            guard case .mailboxUnavailable(_, let name, _) = error as? TransportError else { return false }
            return name == "Nonexistent"
        }
    }

    @Test func aWrongPasswordIsAnAuthenticationErrorWithoutThePassword() async throws {
        let fixture = try IMAPFixture()
        let wrong = "wrong-\(UInt64.random(in: 0...UInt64.max))"
        let mailbox = try fixture.open(fixture.configuration(password: wrong))
        let error = await #expect(throws: TransportError.self) { try await mailbox.status() }
        guard case .authenticationFailed(let server, let username, let code, _) = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(server == "imap://\(fixture.stack.host):\(fixture.stack.imapPort)")
        #expect(username == fixture.user)
        #expect(code == 67)
        #expect(!"\(error!)".contains(wrong))
        #expect(!"\(mailbox.configuration)".contains(wrong))
        for line in fixture.logs.all { #expect(!line.contains(wrong)) }
    }

    @Test(arguments: [TLSMode.implicit, .starttls])
    func anUntrustedCertificateIsATLSError(tls: TLSMode) async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open(fixture.configuration(tls: tls, caFile: fixture.stack.wrongCAFile))
        let error = await #expect(throws: TransportError.self) { try await mailbox.status() }
        guard case .tlsFailed(_, let code, _) = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(code == 60)
    }

    @Test func appendRefusesBareLineFeeds() async throws {
        let fixture = try IMAPFixture()
        let mailbox = try fixture.open()
        await #expect(throws: TransportError.invalidMessage(offset: 8, reason: "bare LF (lines must end with CRLF)")) {
            try await mailbox.append(Array("Subject:\nx\r\n".utf8) + [], to: "INBOX")
        }
    }
}
