import Foundation
import LiaisonCore
import MIME
import Testing

@testable import LiaisonStore

@Suite("Schema migrations")
struct MigrationTests {
    @Test("A database made by the first schema (v1) migrates forward and keeps its statements")
    func fromV1() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        try SQLiteStore.createSchema(at: path, upTo: "v1")
        do {
            // Written through the v1 schema only, as the first release would have.
            let v1 = try SQLiteStore(pathWithoutMigrating: path)
            try await v1.commit(Fixture.statementRecord(1))
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.diagnostics().appliedMigrations == SQLiteStore.knownMigrations)
        let reference = Fixture.reference(1)
        #expect(try await store.statement(reference: reference)?.statement.title == "LS on OTN evolution")
        let open = try await store.openStatements()
        #expect(open.map(\.reference) == (Fixture.statement().deadline == nil ? [] : [reference]))
        #expect(try await store.close(reference, reason: "action taken", at: Fixture.t0))
        #expect(try await store.openStatements().isEmpty)
        #expect(try await store.integrityCheck())
    }

    @Test("A v3 database migrates to v4: messages and locations kept, reports stored as reports, retries restart the give-up window")
    func fromV3() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        try SQLiteStore.createSchema(at: path, upTo: "v3")
        do {
            let v3 = try SQLiteStore(pathWithoutMigrating: path)
            try await v3.commit(Fixture.statementRecord(1))
            try await v3.commit(Fixture.quarantineRecord(2, uid: 2))
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.diagnostics().appliedMigrations == SQLiteStore.knownMigrations)
        #expect(try await store.integrityCheck())
        #expect(try await store.receivedMessageCounts() == ["statement": 1, "quarantined": 1])
        #expect(try await store.rawMessage(sha256: SHA256.hex(of: Fixture.raw(1))) == Fixture.raw(1))
        // The rebuilt table still answers for the moves recorded against it.
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1).map(\.location.uid).sorted() == [1, 2])

        var report = Fixture.quarantineRecord(3, uid: 3)
        report.disposition = .report(Fixture.reference(1))
        report.outgoing = []
        report.destination = "Processed"
        try await store.commit(report)
        #expect(try await store.receivedMessageCounts() == ["statement": 1, "quarantined": 1, "report": 1])

        // A forward that keeps failing temporarily past the give-up time is given up, unless an
        // operator retried it: then the give-up time counts from the retry.
        let forward = try #require(try await store.dueOutgoing(at: Fixture.t0).first { $0.message.kind == .forward })
        #expect(forward.retryWindowStart == Fixture.t0)
        let later = Fixture.t0.addingTimeInterval(6 * 86400)
        _ = try await store.retryOutgoing(ids: [forward.id], at: later, by: "test")
        let retried = try #require(try await store.dueOutgoing(at: later).first { $0.id == forward.id })
        #expect(retried.retryWindowStart == later)
        #expect(RetryPolicy().nextAttempt(after: 1, createdAt: retried.retryWindowStart, now: later) != nil)
        #expect(RetryPolicy().nextAttempt(after: 1, createdAt: retried.createdAt, now: later) == nil)
    }
}
