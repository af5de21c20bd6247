import Foundation
import LiaisonCore
import LiaisonStore
import Testing

/// What `liaison outbox` lists and what `liaison outbox retry` changes.
@Suite("Outbox listing and retry")
struct OutboxQueryTests {
    static let a = "a@example.org"
    static let b = "b@example.org"
    static let c = "c@example.org"
    static let operatorName = "the operator (test)"

    /// A store holding statement 1 (forward to a, b, c; acknowledgement to tsb@itu.int); returns
    /// the forward's and the acknowledgement's ids.
    func store(_ kind: StoreKind = .memory) async throws -> (Harness, forward: Int64, ack: Int64) {
        let harness = try Harness(kind)
        try await harness.store.commit(Fixture.statementRecord(1, forwardTo: [Self.a, Self.b, Self.c]))
        let due = try await harness.store.dueOutgoing(at: Fixture.t0)
        let forward = try #require(due.first { $0.message.kind == .forward }).id
        let ack = try #require(due.first { $0.message.kind == .acknowledgement }).id
        return (harness, forward, ack)
    }

    /// The forward failed for good for b (given up) and c (550); a was delivered.
    func failForward(_ store: SQLiteStore, _ id: Int64, at date: Date) async throws {
        try await store.recordAttempt(
            outboxID: id,
            results: [
                RecipientResult(address: Self.a, outcome: .delivered, code: 250, detail: "2.0.0 Ok"),
                RecipientResult(address: Self.b, outcome: .temporaryFailure, code: 451, detail: "4.3.0 try later"),
                RecipientResult(address: Self.c, outcome: .permanentFailure, code: 550, detail: "5.1.1 no such user"),
            ],
            at: date, nextAttempt: nil)
    }

    @Test("pending and failed entries are listed, oldest first; delivered ones are not", arguments: StoreKind.allCases)
    func listing(kind: StoreKind) async throws {
        let (harness, forward, ack) = try await store(kind)
        let store = harness.store
        let pending = try await store.outboxEntries(in: [.pending, .failed])
        #expect(pending.map(\.id) == [forward, ack])
        #expect(pending.allSatisfy { $0.state == .pending && $0.attempts == 0 && $0.nextAttemptAt == Fixture.t0 })
        #expect(pending.first?.message.messageID == "fwd-1@liaison.example")
        #expect(pending.first?.recipients.map(\.address) == [Self.a, Self.b, Self.c])

        try await failForward(store, forward, at: Fixture.t0 + 10)
        try await store.recordAttempt(
            outboxID: ack, results: [RecipientResult(address: "tsb@itu.int", outcome: .delivered, code: 250, detail: "Ok")],
            at: Fixture.t0 + 10, nextAttempt: nil)
        #expect(try await store.outboxEntries(in: [.pending]).isEmpty)
        let failed = try await store.outboxEntries(in: [.failed])
        #expect(failed.map(\.id) == [forward])
        #expect(failed.first?.recipients.map(\.state) == [.delivered, .permanentFailure, .permanentFailure])
        #expect(try await store.outboxEntries(in: [.done]).map(\.id) == [ack])
        #expect(try await store.outboxEntry(id: ack)?.state == .done)
        #expect(try await store.outboxEntry(id: 999) == nil)
    }

    @Test("a failed entry goes back to pending for its undelivered recipients only; the Message-ID stays")
    func retryFailed() async throws {
        let (harness, forward, _) = try await store()
        let store = harness.store
        try await failForward(store, forward, at: Fixture.t0 + 10)
        let before = try #require(try await store.outboxEntry(id: forward))
        #expect(!(try await store.dueOutgoing(at: Fixture.t0 + 86400)).contains { $0.id == forward })

        let now = Fixture.t0 + 3600
        let retried = try await store.retryOutgoing(ids: [forward], at: now, by: Self.operatorName)
        #expect(retried == [
            OutboxRetry(
                id: forward, messageID: "fwd-1@liaison.example", kind: "forward", statement: Fixture.reference(1),
                previousState: .failed, recipients: [Self.b, Self.c])
        ])
        #expect(!(try await store.dueOutgoing(at: now - 1)).contains { $0.id == forward }, "due now, not before")
        let entry = try #require(try await store.dueOutgoing(at: now).first { $0.id == forward })
        #expect(entry.pendingRecipients == [Self.b, Self.c], "a was delivered and is never sent again")
        #expect(entry.message == before.message, "same bytes, same Message-ID")
        #expect(entry.attempts == 1)

        let record = try #require(try await store.outboxEntry(id: forward))
        #expect(record.state == .pending)
        #expect(record.nextAttemptAt == now)
        #expect(record.recipients.map(\.state) == [.delivered, .pending, .pending])
        #expect(record.recipients[0] == before.recipients[0], "the delivered recipient is untouched")
        #expect(record.recipients[2].code == 550, "the last result is kept for the listing")

        let event = try #require(try await store.events(reference: Fixture.reference(1)).last)
        #expect(event.kind == "mail-retry")
        #expect(event.at == now)
        #expect(event.detail == "forward <fwd-1@liaison.example> due again now for \(Self.b), \(Self.c) (was failed), asked by \(Self.operatorName)")

        // The retry succeeds: the entry is done, a was not in the envelope.
        try await store.recordAttempt(
            outboxID: forward,
            results: [Self.b, Self.c].map { RecipientResult(address: $0, outcome: .delivered, code: 250, detail: "Ok") },
            at: now + 1, nextAttempt: now + 301)
        #expect(try await store.outboxEntry(id: forward)?.state == .done)
    }

    @Test("a pending entry waiting for its next attempt becomes due now")
    func retryPending() async throws {
        let (harness, forward, _) = try await store()
        let store = harness.store
        let later = Fixture.t0 + 3600
        try await store.recordAttempt(
            outboxID: forward,
            results: [Self.a, Self.b, Self.c].map { RecipientResult(address: $0, outcome: .temporaryFailure, code: 0, detail: "refused") },
            at: Fixture.t0, nextAttempt: later)
        let now = Fixture.t0 + 60
        #expect(!(try await store.dueOutgoing(at: now)).contains { $0.id == forward })

        let retried = try await store.retryOutgoing(ids: [forward], at: now, by: Self.operatorName)
        #expect(retried.map(\.recipients) == [[Self.a, Self.b, Self.c]])
        #expect(retried.map(\.previousState) == [.pending])
        #expect(try await store.dueOutgoing(at: now).first { $0.id == forward }?.pendingRecipients == [Self.a, Self.b, Self.c])
    }

    @Test("an entry delivered to everyone is left alone; an unknown id changes nothing")
    func retryDoneAndUnknown() async throws {
        let (harness, forward, ack) = try await store()
        let store = harness.store
        try await store.recordAttempt(
            outboxID: ack, results: [RecipientResult(address: "tsb@itu.int", outcome: .delivered, code: 250, detail: "Ok")],
            at: Fixture.t0 + 1, nextAttempt: nil)
        let eventsBefore = try await store.events(reference: Fixture.reference(1))
        let done = try await store.retryOutgoing(ids: [ack], at: Fixture.t0 + 60, by: Self.operatorName)
        #expect(done.map(\.recipients) == [[]])
        #expect(done.map(\.previousState) == [.done])
        #expect(try await store.outboxEntry(id: ack)?.state == .done)
        #expect(try await store.events(reference: Fixture.reference(1)) == eventsBefore)

        try await failForward(store, forward, at: Fixture.t0 + 2)
        #expect(
            await storeError { _ = try await store.retryOutgoing(ids: [forward, 999], at: Fixture.t0 + 60, by: Self.operatorName) }
                == .unknownOutboxEntry(id: 999))
        #expect(try await store.outboxEntry(id: forward)?.state == .failed, "one transaction: nothing was retried")
    }

    @Test("--all retries every pending and failed entry and nothing else")
    func retryAll() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1, forwardTo: [Self.a, Self.b, Self.c]))
        try await store.commit(Fixture.statementRecord(2, uid: 2, at: Fixture.t0 + 5))
        let due = try await store.dueOutgoing(at: Fixture.t0 + 5)
        let forward1 = try #require(due.first { $0.message.messageID == "fwd-1@liaison.example" }).id
        let ack1 = try #require(due.first { $0.message.messageID == "ack-1@liaison.example" }).id
        try await failForward(store, forward1, at: Fixture.t0 + 10)
        try await store.recordAttempt(
            outboxID: ack1, results: [RecipientResult(address: "tsb@itu.int", outcome: .delivered, code: 250, detail: "Ok")],
            at: Fixture.t0 + 10, nextAttempt: nil)

        let retried = try await store.retryOutgoing(ids: nil, at: Fixture.t0 + 20, by: Self.operatorName)
        #expect(retried.map(\.messageID) == ["fwd-1@liaison.example", "fwd-2@liaison.example", "ack-2@liaison.example"])
        #expect(retried.map(\.previousState) == [.failed, .pending, .pending])
        #expect(try await store.outboxEntry(id: ack1)?.state == .done)
        #expect(try await store.outboxEntries(in: [.failed]).isEmpty)
        #expect(try await store.dueOutgoing(at: Fixture.t0 + 20).count == 3)

        let empty = try SQLiteStore.inMemory()
        #expect(try await empty.retryOutgoing(ids: nil, at: Fixture.t0, by: Self.operatorName).isEmpty)
    }
}
