import Foundation
import LiaisonCore
import LiaisonStore
import Testing

@Suite("Reference numbers")
struct ReferenceTests {
    @Test("numbers increase per year, restart each year and respect the prefix")
    func perYearAndPrefix() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.nextReference(prefix: "LS", year: 2026) == StatementReference(prefix: "LS", year: 2026, number: 1))
        #expect(try await store.nextReference(prefix: "LS", year: 2026) == StatementReference(prefix: "LS", year: 2026, number: 2))
        #expect(try await store.nextReference(prefix: "LS", year: 2027) == StatementReference(prefix: "LS", year: 2027, number: 1))
        #expect(try await store.nextReference(prefix: "LS", year: 2026) == StatementReference(prefix: "LS", year: 2026, number: 3))
        let other = try await store.nextReference(prefix: "LIAISE", year: 2026)
        #expect(other == StatementReference(prefix: "LIAISE", year: 2026, number: 1))
        #expect(other.description == "LIAISE-2026-0001")
    }

    @Test("a number allocated for a commit that failed is not handed out again")
    func neverReusedAfterFailedCommit() async throws {
        let store = try SQLiteStore.inMemory()
        let reference = try await store.nextReference(prefix: "LS", year: 2026)
        var record = Fixture.statementRecord(reference.number)
        record.sha256 = "not a hash"
        #expect(await storeError { try await store.commit(record) } != nil)
        #expect(try await store.nextReference(prefix: "LS", year: 2026).number == reference.number + 1)
    }

    @Test("two stores over one file never hand out the same number")
    func twoStoresOneFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        var numbers: [Int] = []
        for store in [first, second, first, second, second] {
            numbers.append(try await store.nextReference(prefix: "LS", year: 2026).number)
        }
        #expect(numbers == [1, 2, 3, 4, 5])

        // Concurrent allocations from both stores: all distinct, none lost.
        let concurrent = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.nextReference(prefix: "LS", year: 2026).number }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(concurrent.sorted() == Array(6...25))

        // A store opened later continues the sequence.
        let third = try SQLiteStore(path: path)
        #expect(try await third.nextReference(prefix: "LS", year: 2026).number == 26)
    }

    @Test("a prefix or year that cannot form a reference is refused", arguments: [("", 2026), ("L-S", 2026), ("LS", 26), ("ÉS", 2026)])
    func invalidPrefix(prefix: String, year: Int) async throws {
        let store = try SQLiteStore.inMemory()
        #expect(await storeError { _ = try await store.nextReference(prefix: prefix, year: year) } == .invalidReference(prefix: prefix, year: year))
    }
}
