import Foundation
import LiaisonCore
import MIME
import LiaisonStore
import Testing

@Suite("Committing intake records")
struct IntakeTests {
    @Test("a committed record reads back whole", arguments: StoreKind.allCases)
    func commitAndReadBack(kind: StoreKind) async throws {
        let store = try Harness(kind).store
        let record = Fixture.statementRecord(1, uid: 7)
        let reference = Fixture.reference(1)

        #expect(try await store.containsMessage(sha256: record.sha256) == false)
        try await store.commit(record)

        #expect(try await store.containsMessage(sha256: record.sha256))
        #expect(try await store.receivedMessageCount() == 1)
        #expect(try await store.rawMessage(sha256: record.sha256) == record.raw)
        #expect(try await store.cursor(mailbox: "INBOX") == MailboxCursor(mailbox: "INBOX", uidValidity: 1, lastUID: 7))
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1)
            == [PendingMove(location: record.location, destination: "Processed")])

        // The statement, every field of it, and its history.
        let recorded = try #require(try await store.statement(reference: reference))
        #expect(recorded == record.statement)
        #expect(recorded.statement.sources[.title] == FieldSource(origin: .body, location: "3", confidence: 0.95))
        #expect(try await store.events(reference: reference) == record.events)
        #expect(try await store.statement(reference: Fixture.reference(2)) == nil)

        let summaries = try await store.statements()
        #expect(summaries == [
            StatementSummary(
                reference: reference,
                title: "LS on OTN evolution",
                fromOrganization: "ITU-T",
                groups: ["ccamp", "mpls"],
                purpose: .action,
                deadline: CalendarDate(year: 2026, month: 9, day: 1),
                state: .routed,
                recordedAt: Fixture.t0
            )
        ])

        // The outbox: both messages due at once, every recipient pending.
        let due = try await store.dueOutgoing(at: record.receivedAt)
        #expect(due.map(\.message) == record.outgoing)
        #expect(due.map(\.pendingRecipients) == [["ccamp-chairs@ietf.org", "mpls-chairs@ietf.org"], ["tsb@itu.int"]])
        #expect(due.allSatisfy { $0.attempts == 0 && $0.createdAt == record.receivedAt })
        #expect(Set(due.map(\.id)).count == 2)
        #expect(try await store.dueOutgoing(at: record.receivedAt.addingTimeInterval(-1)).isEmpty)
        #expect(try await store.outboxDepth() == 2)

        let outgoing = try await store.outgoing(reference: reference)
        #expect(outgoing.map(\.message) == record.outgoing)
        #expect(outgoing.allSatisfy { $0.state == .pending && $0.nextAttemptAt == record.receivedAt && $0.lastAttemptAt == nil })
        #expect(outgoing[0].recipients.map(\.state) == [.pending, .pending])
        #expect(outgoing[0].recipients.map(\.code) == [nil, nil])
    }

    @Test("committing the same record twice stores it once", arguments: StoreKind.allCases)
    func commitIsIdempotent(kind: StoreKind) async throws {
        let store = try Harness(kind).store
        let record = Fixture.statementRecord(1, uid: 7)
        try await store.commit(record)
        try await store.commit(record)

        #expect(try await store.receivedMessageCount() == 1)
        #expect(try await store.statements().count == 1)
        #expect(try await store.events(reference: Fixture.reference(1)).count == 2)
        #expect(try await store.dueOutgoing(at: Fixture.t0).count == 2)
        #expect(try await store.outgoing(reference: Fixture.reference(1)).flatMap(\.recipients).count == 2 + 1)
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1).count == 1)
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 7)
    }

    @Test("the same bytes committed at a new location add the location, nothing else")
    func replayAtAnotherLocationIsADuplicate() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1, uid: 7))
        // A race: another poll committed the same message under a new UIDVALIDITY.
        var again = Fixture.statementRecord(1, uid: 3, uidValidity: 2)
        again.statement = Fixture.recorded(Fixture.reference(2))
        again.disposition = .statement(Fixture.reference(2))
        try await store.saveCursor(MailboxCursor(mailbox: "INBOX", uidValidity: 2, lastUID: 0))
        try await store.commit(again)

        #expect(try await store.receivedMessageCount() == 1)
        #expect(try await store.statements().map(\.reference) == [Fixture.reference(1)])
        #expect(try await store.dueOutgoing(at: Fixture.t0).count == 2)
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 2).map(\.location.uid) == [3])
        #expect(try await store.cursor(mailbox: "INBOX") == MailboxCursor(mailbox: "INBOX", uidValidity: 2, lastUID: 3))
    }

    @Test("a duplicate after a UIDVALIDITY change adds a location and advances the new cursor")
    func duplicateAfterUIDValidityChange() async throws {
        let store = try SQLiteStore.inMemory()
        let record = Fixture.statementRecord(1, uid: 5)
        try await store.commit(record)
        try await store.saveCursor(MailboxCursor(mailbox: "INBOX", uidValidity: 2, lastUID: 0))

        let seenAgain = ServerLocation(mailbox: "INBOX", uidValidity: 2, uid: 3)
        try await store.commitDuplicate(location: seenAgain, sha256: record.sha256, destination: "Processed", at: Fixture.t0 + 60)

        #expect(try await store.cursor(mailbox: "INBOX") == MailboxCursor(mailbox: "INBOX", uidValidity: 2, lastUID: 3))
        #expect(try await store.receivedMessageCount() == 1)
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 2) == [PendingMove(location: seenAgain, destination: "Processed")])
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1) == [PendingMove(location: record.location, destination: "Processed")])
        #expect(try await store.dueOutgoing(at: Fixture.t0 + 60).count == 2, "a duplicate sends nothing new")

        // Seeing it again at the same place changes nothing.
        try await store.commitDuplicate(location: seenAgain, sha256: record.sha256, destination: "Processed", at: Fixture.t0 + 120)
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 2).count == 1)

        // A duplicate seen in another mailbox starts that mailbox's cursor.
        let elsewhere = ServerLocation(mailbox: "Liaisons", uidValidity: 9, uid: 40)
        try await store.commitDuplicate(location: elsewhere, sha256: record.sha256, destination: "Processed", at: Fixture.t0 + 180)
        #expect(try await store.cursor(mailbox: "Liaisons") == MailboxCursor(mailbox: "Liaisons", uidValidity: 9, lastUID: 40))
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 3)
    }

    @Test("a duplicate of an unknown message is refused")
    func duplicateOfUnknownMessage() async throws {
        let store = try SQLiteStore.inMemory()
        let sha = String(repeating: "0", count: 64)
        let error = await storeError {
            try await store.commitDuplicate(
                location: ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: 1), sha256: sha, destination: "Processed", at: Fixture.t0)
        }
        #expect(error == .unknownMessage(sha256: sha))
        #expect(try await store.cursor(mailbox: "INBOX") == nil)
    }

    @Test("saving a cursor with a new UIDVALIDITY resets it; commits only move the current one forward")
    func cursorReset() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.cursor(mailbox: "INBOX") == nil)
        try await store.commit(Fixture.statementRecord(1, uid: 10))
        #expect(try await store.cursor(mailbox: "INBOX") == MailboxCursor(mailbox: "INBOX", uidValidity: 1, lastUID: 10))

        try await store.saveCursor(MailboxCursor(mailbox: "INBOX", uidValidity: 2, lastUID: 0))
        #expect(try await store.cursor(mailbox: "INBOX") == MailboxCursor(mailbox: "INBOX", uidValidity: 2, lastUID: 0))

        // A late commit under the old UIDVALIDITY does not move the new cursor.
        try await store.commit(Fixture.statementRecord(2, uid: 11, uidValidity: 1))
        #expect(try await store.cursor(mailbox: "INBOX") == MailboxCursor(mailbox: "INBOX", uidValidity: 2, lastUID: 0))

        try await store.commit(Fixture.statementRecord(3, uid: 4, uidValidity: 2))
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 4)
        // Never backwards.
        try await store.commit(Fixture.statementRecord(4, uid: 2, uidValidity: 2))
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 4)
        // Other mailboxes are separate.
        #expect(try await store.cursor(mailbox: "Other") == nil)
    }

    @Test("pending moves are listed until completed", arguments: StoreKind.allCases)
    func pendingMoves(kind: StoreKind) async throws {
        let store = try Harness(kind).store
        let first = Fixture.statementRecord(1, uid: 20)
        let second = Fixture.quarantineRecord(2, uid: 12)
        try await store.commit(first)
        try await store.commit(second)

        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1) == [
            PendingMove(location: second.location, destination: "Quarantine"),
            PendingMove(location: first.location, destination: "Processed"),
        ])
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 2).isEmpty)
        #expect(try await store.pendingMoves(mailbox: "Other", uidValidity: 1).isEmpty)

        try await store.completeMove(second.location, at: Fixture.t0 + 5)
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1).map(\.location) == [first.location])
        try await store.completeMove(second.location, at: Fixture.t0 + 6)
        try await store.completeMove(ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: 999), at: Fixture.t0 + 6)
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1).map(\.location) == [first.location])

        try await store.completeMove(first.location, at: Fixture.t0 + 7)
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1).isEmpty)
        // Completing a move does not forget the message.
        #expect(try await store.containsMessage(sha256: first.sha256))
    }

    @Test("quarantined messages are listed with their reason")
    func quarantined() async throws {
        let store = try SQLiteStore.inMemory()
        let record = Fixture.quarantineRecord(1, uid: 3, reason: "no liaison statement recognised")
        try await store.commit(record)
        try await store.commit(Fixture.statementRecord(2, uid: 4))

        #expect(try await store.quarantined() == [
            QuarantinedMessage(
                sha256: record.sha256, messageID: nil, reason: "no liaison statement recognised",
                receivedAt: Fixture.t0, size: record.raw.count)
        ])
        #expect(try await store.receivedMessageCount() == 2)
        // The notice to the liaison manager is in the outbox, about no statement.
        let due = try await store.dueOutgoing(at: Fixture.t0)
        #expect(due.map(\.message.kind) == [.quarantineNotice, .forward, .acknowledgement])
        #expect(due[0].message.statement == nil)
    }

    @Test("statements are listed newest first")
    func statementsOrdering() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1, uid: 1, at: Fixture.t0))
        try await store.commit(Fixture.statementRecord(2, uid: 2, at: Fixture.t0 + 3600))
        try await store.commit(Fixture.statementRecord(3, uid: 3, at: Fixture.t0 + 600))
        // Same instant: the higher number is newer.
        try await store.commit(Fixture.statementRecord(4, uid: 4, at: Fixture.t0 + 600))

        let summaries = try await store.statements()
        #expect(summaries.map(\.reference.number) == [2, 4, 3, 1])
        #expect(summaries.map(\.recordedAt) == [Fixture.t0 + 3600, Fixture.t0 + 600, Fixture.t0 + 600, Fixture.t0])
    }

    @Test("events are added to an already recorded statement")
    func eventsForExistingStatement() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1, uid: 1))
        // A later message about LS-2026-0001 (e.g. a reply) adds history, no new statement.
        let bytes = Fixture.raw(50)
        let reply = IntakeRecord(
            location: ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: 2),
            raw: bytes, sha256: SHA256.hex(of: bytes), messageID: nil, receivedAt: Fixture.t0 + 60,
            disposition: .statement(Fixture.reference(1)), statement: nil,
            events: [StatementEvent(kind: "reply", detail: "reply received", at: Fixture.t0 + 60)],
            outgoing: [], destination: "Processed")
        try await store.commit(reply)
        #expect(try await store.events(reference: Fixture.reference(1)).map(\.kind) == ["received", "routed", "reply"])
        #expect(try await store.statements().count == 1)
    }

    @Test("a record that contradicts itself stores nothing")
    func invalidRecords() async throws {
        let store = try SQLiteStore.inMemory()

        var mismatched = Fixture.statementRecord(1)
        mismatched.disposition = .statement(Fixture.reference(9))
        #expect(await storeError { try await store.commit(mismatched) }.map { "\($0)" }?.contains("LS-2026-0001") == true)

        var eventsWithoutStatement = Fixture.quarantineRecord(2, uid: 2)
        eventsWithoutStatement.events = [StatementEvent(kind: "received", detail: "", at: Fixture.t0)]
        if case .invalidRecord = await storeError({ try await store.commit(eventsWithoutStatement) }) {} else {
            Issue.record("events without a statement must be refused")
        }

        var badHash = Fixture.statementRecord(3)
        badHash.sha256 = badHash.sha256.uppercased()
        if case .invalidRecord = await storeError({ try await store.commit(badHash) }) {} else {
            Issue.record("an uppercase SHA-256 must be refused")
        }

        // An outgoing message about a statement that is not recorded.
        var orphan = Fixture.quarantineRecord(4, uid: 4)
        orphan.outgoing = [Fixture.outgoing("o@x", reference: Fixture.reference(77), recipients: ["a@example.org"])]
        #expect(await storeError { try await store.commit(orphan) } == .unknownStatement(reference: "LS-2026-0077"))

        #expect(try await store.receivedMessageCount() == 0)
        #expect(try await store.dueOutgoing(at: Fixture.t0 + 86400).isEmpty)
        #expect(try await store.cursor(mailbox: "INBOX") == nil)
    }

    @Test("a reference or Message-ID used twice is refused and the transaction rolled back")
    func duplicateKeys() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1, uid: 1))

        // Another message (other bytes) claiming LS-2026-0001.
        var sameReference = Fixture.statementRecord(1, uid: 2)
        sameReference.raw = Fixture.raw(1, salt: "-other")
        sameReference.sha256 = SHA256.hex(of: sameReference.raw)
        sameReference.outgoing = []
        #expect(await storeError { try await store.commit(sameReference) } == .duplicateReference(reference: "LS-2026-0001"))

        // A new statement whose forward reuses an existing Message-ID.
        var sameMessageID = Fixture.statementRecord(2, uid: 3)
        sameMessageID.outgoing[0].messageID = "fwd-1@liaison.example"
        let error = await storeError { try await store.commit(sameMessageID) }
        #expect(error == .duplicateMessageID(messageID: "fwd-1@liaison.example"))
        #expect(error?.description.contains("<fwd-1@liaison.example>") == true)

        #expect(try await store.receivedMessageCount() == 1)
        #expect(try await store.statements().count == 1)
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 1)
    }

    @Test("a location already recorded for other bytes is a conflict")
    func locationConflict() async throws {
        let store = try SQLiteStore.inMemory()
        let first = Fixture.statementRecord(1, uid: 5)
        try await store.commit(first)
        let other = Fixture.statementRecord(2, uid: 5)
        let error = await storeError { try await store.commit(other) }
        #expect(error == .locationConflict(mailbox: "INBOX", uidValidity: 1, uid: 5, recordedSHA256: first.sha256))
        #expect(error?.description.contains("INBOX UIDVALIDITY 1 UID 5") == true)
        #expect(try await store.statement(reference: Fixture.reference(2)) == nil)
    }
}
