import Foundation
import LiaisonCore
import LiaisonStore
import Testing

/// A permanent failure and the delivery-failure notice it causes are one transaction: there is no
/// moment at which the failure is recorded and the notice not yet queued (a crash there lost it).
@Suite("Failure and its notice in one transaction")
struct FailureNoticeTransactionTests {
    static let bad = "nosuch@example.org"

    @Test("The attempt's results and the notice are stored together", arguments: StoreKind.allCases)
    func together(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let store = harness.store
        try await store.commit(Fixture.statementRecord(1, forwardTo: ["a@example.org", Self.bad]))
        let forward = try #require(try await store.dueOutgoing(at: Fixture.t0).first { $0.message.kind == .forward })
        let notice = Fixture.outgoing(
            "notice-1@liaison.example", kind: .deliveryFailure, reference: Fixture.reference(1), recipients: ["lm@ietf.org"])
        let t1 = Fixture.t0 + 5
        try await store.recordAttempt(
            outboxID: forward.id,
            results: [
                RecipientResult(address: "a@example.org", outcome: .delivered, code: 250, detail: "ok"),
                RecipientResult(address: Self.bad, outcome: .permanentFailure, code: 550, detail: "5.1.1 User unknown"),
            ],
            at: t1, nextAttempt: nil, notice: notice)

        let outgoing = try await store.outgoing(reference: Fixture.reference(1))
        #expect(outgoing.first { $0.id == forward.id }?.state == .failed)
        let queued = try #require(outgoing.first { $0.message.messageID == "notice-1@liaison.example" })
        #expect(queued.state == .pending && queued.createdAt == t1)
        #expect(try await store.dueOutgoing(at: t1).contains { $0.id == queued.id }, "the notice is due at once")
    }

    @Test("When the notice cannot be stored, the attempt is not recorded either: the send is redone, never half-recorded",
        arguments: StoreKind.allCases)
    func atomic(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let store = harness.store
        try await store.commit(Fixture.statementRecord(1, forwardTo: ["a@example.org", Self.bad]))
        let forward = try #require(try await store.dueOutgoing(at: Fixture.t0).first { $0.message.kind == .forward })
        // The second step fails: a notice about a statement the store does not know.
        let notice = Fixture.outgoing(
            "notice-9@liaison.example", kind: .deliveryFailure, reference: Fixture.reference(9), recipients: ["lm@ietf.org"])
        await #expect(throws: StoreError.self) {
            try await store.recordAttempt(
                outboxID: forward.id,
                results: [RecipientResult(address: Self.bad, outcome: .permanentFailure, code: 550, detail: "5.1.1 User unknown")],
                at: Fixture.t0 + 5, nextAttempt: nil, notice: notice)
        }
        let record = try #require(try await store.outgoing(reference: Fixture.reference(1)).first { $0.id == forward.id })
        #expect(record.state == .pending && record.attempts == 0, "the failure was rolled back with the notice")
        #expect(record.recipients.allSatisfy { $0.state == .pending })
        #expect(try await store.outgoing(reference: Fixture.reference(9)).isEmpty)
        let events = try await store.events(reference: Fixture.reference(1))
        #expect(!events.contains { $0.kind == "mail-failed" })
    }
}
