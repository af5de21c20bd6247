import Foundation
import LiaisonCore
import Testing

@testable import LiaisonStore

/// Weekly digests in the store: once per recipient and ISO week, in the transaction of their
/// outbox entry; schema v3 over a v2 database.
@Suite("Weekly digests in the store")
struct DigestStoreTests {
    func digest(_ address: String, week: Int, statements: Int = 1) throws -> PlannedDigest {
        let entries = (0..<statements).map { n in
            DigestEntry(
                reference: Fixture.reference(n + 1), title: "LS \(n + 1)", organization: "ITU-T", purpose: .action,
                deadline: nil, daysLeft: nil, groups: ["ccamp"])
        }
        return PlannedDigest(
            recipient: DigestRecipient(contact: Contact(address: address), organizations: ["ITU-T"]),
            week: ISOWeek(year: 2026, week: week), day: try #require(CalendarDate(year: 2026, month: 11, day: 23)),
            horizonDays: 30, open: entries)
    }

    func message(_ id: String, to address: String) -> OutgoingMessage {
        Fixture.outgoing(id, kind: .digest, reference: nil, recipients: [address])
    }

    @Test("Recorded once per address and week, with its outbox entry; never for an earlier week", arguments: StoreKind.allCases)
    func once(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let store = harness.store
        let lm = "lm@example.org"
        #expect(try await store.recordDigest(try digest(lm, week: 48), message: message("d-48@x", to: lm), at: Fixture.t0))
        #expect(!(try await store.recordDigest(try digest("LM@Example.org", week: 48), message: message("d-48b@x", to: lm), at: Fixture.t0)))
        #expect(try await store.recordDigest(try digest("other@example.org", week: 48), message: message("d-48c@x", to: "other@example.org"), at: Fixture.t0))
        #expect(try await store.recordDigest(try digest(lm, week: 50), message: message("d-50@x", to: lm), at: Fixture.t0))
        // The clock set back: week 49 comes after week 50 was recorded.
        #expect(!(try await store.recordDigest(try digest(lm, week: 49), message: message("d-49@x", to: lm), at: Fixture.t0)))

        let due = try await store.dueOutgoing(at: Fixture.t0)
        #expect(due.map(\.message.messageID).sorted() == ["d-48@x", "d-48c@x", "d-50@x"], "nothing stored for a refused digest")
        #expect(due.allSatisfy { entry in entry.message.kind == .digest })
        #expect(try await store.digestRecipients(recordedFrom: ISOWeek(year: 2026, week: 49)) == [lm])
        #expect(try await store.digestRecipients(recordedFrom: ISOWeek(year: 2026, week: 48)) == [lm, "other@example.org"])
        #expect(try await store.digestRecipients(recordedFrom: ISOWeek(year: 2027, week: 1)).isEmpty)
        let rows = try await store.digests()
        #expect(rows.map(\.week) == ["2026-W48", "2026-W48", "2026-W50"])
        #expect(rows.allSatisfy { row in row.sent })
    }

    @Test("An empty digest is recorded without an outbox entry")
    func empty() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.recordDigest(try digest("lm@example.org", week: 48, statements: 0), message: nil, at: Fixture.t0))
        #expect(try await store.dueOutgoing(at: Fixture.t0).isEmpty)
        let rows = try await store.digests()
        #expect(rows.count == 1)
        #expect(rows.first?.count == 0)
        #expect(rows.first?.sent == false)
        #expect(!(try await store.recordDigest(try digest("lm@example.org", week: 48), message: message("d@x", to: "lm@example.org"), at: Fixture.t0)))
    }

    @Test("A failing outbox insert records no digest either (one transaction)")
    func atomic() async throws {
        let store = try SQLiteStore.inMemory()
        let lm = "lm@example.org"
        #expect(try await store.recordDigest(try digest(lm, week: 48), message: message("same@x", to: lm), at: Fixture.t0))
        await #expect(throws: (any Error).self) {
            try await store.recordDigest(try digest("b@example.org", week: 48), message: message("same@x", to: "b@example.org"), at: Fixture.t0)
        }
        #expect(try await store.digestRecipients(recordedFrom: ISOWeek(year: 2026, week: 48)) == [lm])
    }

    @Test("Unclosed statements: closed ones are left out, those without a deadline kept")
    func unclosed() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1))
        try await store.commit(Fixture.statementRecord(2))
        #expect(try await store.unclosedStatements().map(\.reference.number) == [1, 2])
        #expect(try await store.close(Fixture.reference(1), reason: "action taken", at: Fixture.t0))
        #expect(try await store.unclosedStatements().map(\.reference.number) == [2])
    }

    @Test("A v2 database migrates to v3 and keeps its statements and reminders")
    func fromV2() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        try SQLiteStore.createSchema(at: path, upTo: "v2")
        let reference = Fixture.reference(1)
        do {
            // Written through the v2 schema only, as the release before digests would have.
            let v2 = try SQLiteStore(pathWithoutMigrating: path)
            try await v2.commit(Fixture.statementRecord(1))
            let deadline = try #require(Fixture.statement().deadline)
            let utc = try #require(TimeZone(identifier: "UTC"))
            let noon = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(
                timeZone: utc, year: deadline.year, month: deadline.month, day: deadline.day, hour: 12)))
            let open = OpenStatement(reference: reference, statement: Fixture.statement(), routing: Fixture.routing())
            let reminder = try #require(ReminderPlanner(timeZone: utc, directory: Directory()).due([open], at: noon).first)
            #expect(reminder.kind == .before(days: 0))
            #expect(
                try await v2.recordReminder(
                    reminder, deadline: deadline, message: Fixture.outgoing("rem@x", kind: .reminder, reference: reference, recipients: ["ccamp-chairs@ietf.org"]),
                    at: Fixture.t0))
            #expect(try await v2.diagnostics().appliedMigrations == ["v1", "v2"])
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.diagnostics().appliedMigrations == SQLiteStore.knownMigrations)
        #expect(try await store.statement(reference: reference)?.statement.title == "LS on OTN evolution")
        #expect(try await store.reminders(reference: reference).map(\.kind) == ["before-0"])
        #expect(try await store.recordDigest(try digest("lm@example.org", week: 48), message: message("d@x", to: "lm@example.org"), at: Fixture.t0))
        #expect(try await store.digests().count == 1)
        #expect(try await store.integrityCheck())
    }
}
