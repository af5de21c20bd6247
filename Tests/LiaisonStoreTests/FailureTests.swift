import Foundation
import LiaisonCore
import MIME
@testable import LiaisonStore
import Testing

/// Conditions a healthy database never shows, provoked through the internal
/// `executeOnWriter(_:)`: the store must report them as ``StoreError`` values, never crash.
@Suite("Failures are reported, not crashed on")
struct FailureTests {
    @Test("a full disk rolls the commit back and names the path and the message")
    func diskFull() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        let store = try SQLiteStore(path: path)
        try await store.commit(Fixture.statementRecord(1, uid: 1))
        // The file may not grow any more (SQLite clamps the limit to the current size).
        try await store.executeOnWriter("PRAGMA max_page_count = 1")

        var big = Fixture.statementRecord(2, uid: 2)
        big.raw = Array(repeating: UInt8(ascii: "x"), count: 256 * 1024)
        big.sha256 = SHA256.hex(of: big.raw)
        let error = await storeError { try await store.commit(big) }
        guard case .diskFull(let errorPath, let operation) = error else {
            Issue.record("expected .diskFull, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(operation.contains("INBOX UIDVALIDITY 1 UID 2"))
        #expect(operation.contains("LS-2026-0002"))
        #expect(error?.description.contains(path) == true)

        // Nothing of the failed commit is visible.
        #expect(try await store.receivedMessageCount() == 1)
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 1)
        #expect(try await store.statement(reference: Fixture.reference(2)) == nil)
        #expect(try await store.dueOutgoing(at: Fixture.t0).count == 2)

        // Space is back: the same commit goes through.
        try await store.executeOnWriter("PRAGMA max_page_count = 1073741823")
        try await store.commit(big)
        #expect(try await store.receivedMessageCount() == 2)
        #expect(try await store.integrityCheck())
    }

    @Test("a database migrated by a newer Liaison is refused")
    func schemaTooNew() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        let store = try SQLiteStore(path: path)
        try await store.executeOnWriter("INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
        let error = await storeError { _ = try SQLiteStore(path: path) }
        #expect(error == .schemaTooNew(path: path, unknownMigrations: ["v99"]))
    }

    @Test("unreadable stored values are reported with the row they belong to")
    func corruptRows() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1, uid: 1))

        try await store.executeOnWriter("UPDATE statement SET statement_json = '{' WHERE reference = 'LS-2026-0001'")
        let statementError = await storeError { _ = try await store.statement(reference: Fixture.reference(1)) }
        guard case .corruptData(_, let operation, let reason) = statementError else {
            Issue.record("expected .corruptData, got \(String(describing: statementError))")
            return
        }
        #expect(operation.contains("LS-2026-0001"))
        #expect(reason.contains("statement_json"))
        // The list does not read the JSON, so it still works.
        #expect(try await store.statements().map(\.reference) == [Fixture.reference(1)])

        try await store.executeOnWriter("UPDATE outgoing_message SET kind = 'telegram' WHERE message_id = 'fwd-1@liaison.example'")
        let outboxError = await storeError { _ = try await store.dueOutgoing(at: Fixture.t0) }
        #expect(outboxError?.description.contains("<fwd-1@liaison.example>") == true, "\(String(describing: outboxError))")
        #expect(outboxError?.description.contains("telegram") == true)

        try await store.executeOnWriter("UPDATE statement SET recorded_at = 'yesterday'")
        let listError = await storeError { _ = try await store.statements() }
        if case .corruptData = listError {} else { Issue.record("expected .corruptData, got \(String(describing: listError))") }
    }

    @Test("the schema's constraints hold even against hand-written SQL")
    func constraints() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit(Fixture.statementRecord(1, uid: 1))
        for sql in [
            "UPDATE outgoing_recipient SET state = 'sent'",
            "UPDATE outgoing_message SET state = 'sent'",
            "UPDATE received_message SET disposition = 'quarantined'",  // without a reason
            "INSERT INTO statement_event (statement_reference, kind, detail, at) VALUES ('LS-2026-0099', 'x', '', '2026-01-01')",
            "DELETE FROM statement",
        ] {
            let error = await storeError { try await store.executeOnWriter(sql) }
            guard case .database(_, _, let code, _) = error else {
                Issue.record("\(sql): expected a constraint error, got \(String(describing: error))")
                continue
            }
            #expect(code & 0xff == 19, "SQLITE_CONSTRAINT for \(sql)")
        }
        #expect(try await store.integrityCheck())
    }
}
