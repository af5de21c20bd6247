import Foundation
import LiaisonCore
import LiaisonStore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("The database file")
struct FileDatabaseTests {
    @Test("a file database runs in WAL mode with synchronous=FULL, foreign keys and a busy timeout")
    func durabilitySettings() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        let store = try SQLiteStore(path: path)
        let settings = try await store.diagnostics()
        #expect(settings.path == path)
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "2 is FULL; GRDB's pool default would be 1 (NORMAL)")
        #expect(settings.foreignKeys)
        #expect(settings.busyTimeoutMilliseconds == 5000)
        #expect(settings.appliedMigrations == SQLiteStore.knownMigrations)

        // The WAL file is really there after a commit.
        try await store.commit(Fixture.statementRecord(1))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))

        // Reopening keeps the settings (synchronous is per connection, set on every open).
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.diagnostics().synchronous == 2)
        #expect(try await reopened.diagnostics().appliedMigrations == SQLiteStore.knownMigrations)
    }

    @Test("the in-memory store has the same schema and foreign keys")
    func inMemorySettings() async throws {
        let settings = try await SQLiteStore.inMemory().diagnostics()
        #expect(settings.journalMode == "memory")
        #expect(settings.foreignKeys)
        #expect(settings.appliedMigrations == SQLiteStore.knownMigrations)
    }

    @Test("the integrity check passes", arguments: StoreKind.allCases)
    func integrity(kind: StoreKind) async throws {
        let store = try Harness(kind).store
        try await store.commit(Fixture.statementRecord(1))
        try await store.commit(Fixture.quarantineRecord(2, uid: 9))
        #expect(try await store.integrityCheck())
    }

    @Test("committed data survives closing and reopening the file")
    func durableAcrossReopen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        let record = Fixture.statementRecord(1, uid: 3)
        do {
            let store = try SQLiteStore(path: path)
            try await store.commit(record)
            _ = try await store.nextReference(prefix: "LS", year: 2026)
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.statement(reference: Fixture.reference(1)) == record.statement)
        #expect(try await store.cursor(mailbox: "INBOX")?.lastUID == 3)
        #expect(try await store.dueOutgoing(at: Fixture.t0).count == 2)
        #expect(try await store.nextReference(prefix: "LS", year: 2026).number == 2)
    }

    @Test("a missing directory is named in the error")
    func missingDirectory() async throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("nope")
        let error = await storeError { _ = try SQLiteStore(path: missing + "/liaison.sqlite") }
        #expect(error == .directoryMissing(path: missing))
        #expect(error?.description.contains(missing) == true)
    }

    @Test("a directory that cannot be written is named in the error")
    func readOnlyDirectory() async throws {
        let directory = try TemporaryDirectory()
        let readOnly: String
        if geteuid() == 0 {
            // Permission bits do not stop root; sysfs refuses new files to everyone.
            readOnly = "/sys"
        } else {
            readOnly = directory.file("read-only")
            try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly)
        }
        let path = readOnly + "/liaison.sqlite"
        let error = try #require(await storeError { _ = try SQLiteStore(path: path) })
        #expect(error.description.contains(readOnly), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a file that is not a database is reported, not crashed on")
    func notADatabase() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        try Data(repeating: 0x5a, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = try #require(await storeError { _ = try SQLiteStore(path: path) })
        #expect(error.description.contains(path), "\(error)")
        if case .corrupt = error {} else { Issue.record("expected .corrupt, got \(error)") }
    }
}

@Suite("The state directory lock")
struct StateDirectoryLockTests {
    @Test("a second holder is refused until the first releases")
    func exclusive() throws {
        let directory = try TemporaryDirectory()
        let lock = try StateDirectoryLock(directory: directory.path)
        #expect(lock.isHeld)
        #expect(lock.path == directory.file("liaison.lock"))
        #expect(FileManager.default.fileExists(atPath: lock.path))

        #expect(throws: StoreError.alreadyLocked(path: directory.file("liaison.lock"))) {
            _ = try StateDirectoryLock(directory: directory.path)
        }

        lock.release()
        #expect(!lock.isHeld)
        let second = try StateDirectoryLock(directory: directory.path)
        #expect(second.isHeld)
        let contents = try String(contentsOfFile: second.path, encoding: .utf8)
        #expect(contents == "\(getpid())\n")
    }

    @Test("dropping the lock object releases it")
    func releasedOnDeinit() throws {
        let directory = try TemporaryDirectory()
        do {
            let lock = try StateDirectoryLock(directory: directory.path)
            #expect(lock.isHeld)
        }
        let again = try StateDirectoryLock(directory: directory.path)
        #expect(again.isHeld)
    }

    @Test("a missing directory is named")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("absent")
        #expect(throws: StoreError.directoryMissing(path: missing)) {
            _ = try StateDirectoryLock(directory: missing)
        }
    }
}
