import Foundation
import LiaisonCore
import LiaisonStore
import Testing

@Suite("The outbox")
struct OutboxTests {
    static let a = "a@example.org"
    static let b = "b@example.org"
    static let c = "c@example.org"

    /// A store holding statement 1 whose forward goes to a, b and c; returns the forward's entry.
    func storeWithForward(_ kind: StoreKind = .memory) async throws -> (Harness, OutboxEntry) {
        let harness = try Harness(kind)
        try await harness.store.commit(Fixture.statementRecord(1, forwardTo: [Self.a, Self.b, Self.c]))
        let forward = try #require(try await harness.store.dueOutgoing(at: Fixture.t0).first { $0.message.kind == .forward })
        return (harness, forward)
    }

    @Test("mixed results leave only the temporary failure due, at the next attempt and not before", arguments: StoreKind.allCases)
    func mixedResults(kind: StoreKind) async throws {
        let (harness, forward) = try await storeWithForward(kind)
        let store = harness.store
        #expect(forward.pendingRecipients == [Self.a, Self.b, Self.c])

        let t1 = Fixture.t0 + 10
        let retry = t1 + 600
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [
                RecipientResult(address: Self.a, outcome: .delivered, code: 250, detail: "2.0.0 Ok: queued"),
                RecipientResult(address: Self.b, outcome: .temporaryFailure, code: 421, detail: "4.7.0 Try again later"),
                RecipientResult(address: Self.c, outcome: .permanentFailure, code: 550, detail: "5.1.1 No such user"),
            ],
            at: t1, nextAttempt: retry)

        for before in [retry - 1, retry - 0.5] {
            #expect(!(try await store.dueOutgoing(at: before)).contains { $0.id == forward.id })
        }
        let atRetry = try await store.dueOutgoing(at: retry)
        let entry = try #require(atRetry.first { $0.id == forward.id })
        #expect(entry.pendingRecipients == [Self.b])
        #expect(entry.attempts == 1)
        #expect(entry.message == forward.message, "the same bytes and Message-ID are sent again")

        let record = try #require(try await store.outgoing(reference: Fixture.reference(1)).first { $0.id == forward.id })
        #expect(record.state == .pending)
        #expect(record.attempts == 1)
        #expect(record.lastAttemptAt == t1)
        #expect(record.nextAttemptAt == retry)
        #expect(record.recipients == [
            OutgoingRecipientStatus(address: Self.a, state: .delivered, code: 250, detail: "2.0.0 Ok: queued", updatedAt: t1),
            OutgoingRecipientStatus(address: Self.b, state: .temporaryFailure, code: 421, detail: "4.7.0 Try again later", updatedAt: t1),
            OutgoingRecipientStatus(address: Self.c, state: .permanentFailure, code: 550, detail: "5.1.1 No such user", updatedAt: t1),
        ])

        let events = try await store.events(reference: Fixture.reference(1)).filter { $0.at == t1 }
        #expect(events.map(\.kind) == ["mail-sent", "mail-failed"])
        #expect(events[0].detail.contains("forward <fwd-1@liaison.example>"))
        #expect(events[0].detail.contains("1 recipient"))
        #expect(events[0].detail.contains(Self.a))
        #expect(events[1].detail.contains("\(Self.b) 421 (temporary)"))
        #expect(events[1].detail.contains("\(Self.c) 550 (permanent)"))
        #expect(!events[1].detail.contains(Self.a))

        // The retry delivers b: every recipient is settled, one failed permanently.
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [RecipientResult(address: Self.b, outcome: .delivered, code: 250, detail: "Ok")],
            at: retry, nextAttempt: retry + 1200)
        #expect(!(try await store.dueOutgoing(at: retry + 86400 * 30)).contains { $0.id == forward.id })
        let settled = try #require(try await store.outgoing(reference: Fixture.reference(1)).first { $0.id == forward.id })
        #expect(settled.state == .failed)
        #expect(settled.attempts == 2)
        #expect(settled.nextAttemptAt == nil)
        #expect(settled.recipients.map(\.state) == [.delivered, .delivered, .permanentFailure])
    }

    @Test("all recipients delivered: the entry is done and leaves the outbox")
    func allDelivered() async throws {
        let (harness, forward) = try await storeWithForward()
        let store = harness.store
        #expect(try await store.outboxDepth() == 2)
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [Self.a, Self.b, Self.c].map { RecipientResult(address: $0, outcome: .delivered, code: 250, detail: "Ok") },
            at: Fixture.t0 + 1, nextAttempt: Fixture.t0 + 601)

        #expect(try await store.outboxDepth() == 1)
        #expect(try await store.dueOutgoing(at: Fixture.t0 + 601).map(\.message.kind) == [.acknowledgement])
        let record = try #require(try await store.outgoing(reference: Fixture.reference(1)).first { $0.id == forward.id })
        #expect(record.state == .done)
        #expect(record.nextAttemptAt == nil)
        let events = try await store.events(reference: Fixture.reference(1))
        #expect(events.last?.kind == "mail-sent")
        #expect(events.last?.detail.contains("delivered to 3 recipients") == true)
        #expect(!events.contains { $0.kind == "mail-failed" })
    }

    @Test("no next attempt gives up the recipients still failing")
    func givingUp() async throws {
        let (harness, forward) = try await storeWithForward()
        let store = harness.store
        let t1 = Fixture.t0 + 100
        // a is delivered, b fails temporarily again, c is not in the results at all.
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [
                RecipientResult(address: Self.a, outcome: .delivered, code: 250, detail: "Ok"),
                RecipientResult(address: Self.b, outcome: .temporaryFailure, code: 451, detail: "4.3.0 Local error"),
            ],
            at: t1, nextAttempt: nil)

        #expect(!(try await store.dueOutgoing(at: t1 + 86400 * 365)).contains { $0.id == forward.id })
        let record = try #require(try await store.outgoing(reference: Fixture.reference(1)).first { $0.id == forward.id })
        #expect(record.state == .failed)
        #expect(record.recipients.map(\.state) == [.delivered, .permanentFailure, .permanentFailure])
        #expect(record.recipients[1].detail == "given up: 4.3.0 Local error")
        #expect(record.recipients[1].code == 451)
        #expect(record.recipients[2].detail == "given up")

        let failed = try #require(try await store.events(reference: Fixture.reference(1)).last)
        #expect(failed.kind == "mail-failed")
        #expect(failed.detail.contains("\(Self.b) 451 (temporary, given up)"))
        #expect(failed.detail.contains("\(Self.c) - (never tried, given up)"))
    }

    @Test("a connection failure (every recipient temporary) keeps everyone due at the next attempt")
    func connectionFailure() async throws {
        let (harness, forward) = try await storeWithForward()
        let store = harness.store
        let next = Fixture.t0 + 300
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [Self.a, Self.b, Self.c].map {
                RecipientResult(address: $0, outcome: .temporaryFailure, code: 0, detail: "connection refused")
            },
            at: Fixture.t0, nextAttempt: next)
        let entry = try #require(try await store.dueOutgoing(at: next).first { $0.id == forward.id })
        #expect(entry.pendingRecipients == [Self.a, Self.b, Self.c])
        #expect(entry.attempts == 1)
        let failed = try #require(try await store.events(reference: Fixture.reference(1)).last)
        #expect(failed.detail.contains("next attempt"))
    }

    @Test("results for settled or unknown recipients change nothing")
    func settledRecipientsStaySettled() async throws {
        let (harness, forward) = try await storeWithForward()
        let store = harness.store
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [RecipientResult(address: Self.a, outcome: .delivered, code: 250, detail: "Ok")],
            at: Fixture.t0, nextAttempt: Fixture.t0 + 60)
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [
                RecipientResult(address: "A@EXAMPLE.ORG", outcome: .permanentFailure, code: 550, detail: "late"),
                RecipientResult(address: "stranger@example.org", outcome: .delivered, code: 250, detail: "?"),
            ],
            at: Fixture.t0 + 60, nextAttempt: Fixture.t0 + 120)
        let record = try #require(try await store.outgoing(reference: Fixture.reference(1)).first { $0.id == forward.id })
        #expect(record.recipients.map(\.state) == [.delivered, .pending, .pending])
        #expect(record.recipients.map(\.address) == [Self.a, Self.b, Self.c])
        #expect(record.attempts == 2)
    }

    @Test("an unknown outbox entry is an error")
    func unknownEntry() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(await storeError { try await store.recordAttempt(outboxID: 42, results: [], at: Fixture.t0, nextAttempt: nil) }
            == .unknownOutboxEntry(id: 42))
    }

    @Test("due entries come oldest first; recipients are deduplicated")
    func orderAndDeduplication() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(2, uid: 2, at: Fixture.t0 + 50))
        try await store.commit(Fixture.statementRecord(1, uid: 1, at: Fixture.t0, forwardTo: [Self.a, "A@Example.org", Self.b]))
        let due = try await store.dueOutgoing(at: Fixture.t0 + 50)
        #expect(due.map(\.message.messageID) == [
            "fwd-1@liaison.example", "ack-1@liaison.example", "fwd-2@liaison.example", "ack-2@liaison.example",
        ])
        #expect(due[0].pendingRecipients == [Self.a, Self.b])
        #expect(due[0].message.envelope.recipients == [Self.a, Self.b])
        #expect(try await store.dueOutgoing(at: Fixture.t0 + 49).map(\.message.messageID) == ["fwd-1@liaison.example", "ack-1@liaison.example"])
    }
}
