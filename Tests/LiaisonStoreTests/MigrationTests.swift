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
        #expect(try await store.diagnostics().appliedMigrations == ["v1", "v2", "v3"])
        let reference = Fixture.reference(1)
        #expect(try await store.statement(reference: reference)?.statement.title == "LS on OTN evolution")
        let open = try await store.openStatements()
        #expect(open.map(\.reference) == (Fixture.statement().deadline == nil ? [] : [reference]))
        #expect(try await store.close(reference, reason: "action taken", at: Fixture.t0))
        #expect(try await store.openStatements().isEmpty)
        #expect(try await store.integrityCheck())
    }
}
