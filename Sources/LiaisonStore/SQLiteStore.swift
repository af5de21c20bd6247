import Foundation
import GRDB
import LiaisonCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The durable state of Liaison in one SQLite database, through GRDB.
///
/// A file database is opened as a `DatabasePool` in WAL mode with `synchronous = FULL` (a
/// committed transaction survives a power loss when the disk honours `fsync`), foreign keys on
/// and a 5-second busy timeout. Every method of ``StatementStore`` is one transaction; in
/// particular ``commit(_:)`` stores a message, its statement, events and outgoing mail and
/// advances the mailbox cursor together, so nothing is sent or moved on the server for a
/// message that is not committed.
///
/// Only one process may write a state directory: the daemon holds a ``StateDirectoryLock`` on
/// the directory for as long as it runs. Read-only commands (`liaison list`, `show`) may open
/// the store while the daemon runs; WAL lets them read alongside it.
///
/// Errors are ``StoreError`` values naming the path, the operation and what it was about;
/// a task cancelled while waiting for the database gets `CancellationError` unchanged.
public final class SQLiteStore: StatementStore, Sendable {
    /// The busy timeout: how long a write waits for another connection's lock.
    public static let busyTimeout: TimeInterval = 5

    /// The database file, or `:memory:` for ``inMemory()``.
    public let path: String

    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// The directory holding `path` must exist and be writable. Throws
    /// ``StoreError/directoryMissing(path:)``, ``StoreError/notWritable(path:reason:)``,
    /// ``StoreError/cannotOpen(path:reason:)``, ``StoreError/corrupt(path:operation:reason:)``,
    /// ``StoreError/schemaTooNew(path:unknownMigrations:)`` (a newer Liaison migrated it) or
    /// ``StoreError/migrationFailed(path:reason:)``.
    public convenience init(path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.directoryMissing(path: directory)
        }
        guard access(directory, W_OK) == 0 else {
            throw StoreError.notWritable(path: directory, reason: Self.errnoDescription())
        }
        if FileManager.default.fileExists(atPath: path), access(path, R_OK | W_OK) != 0 {
            throw StoreError.notWritable(path: path, reason: Self.errnoDescription())
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration())
            // DatabasePool switches the writer to `synchronous = NORMAL` when it enables WAL,
            // after `prepareDatabase` ran: set FULL again on the (single, long-lived) writer.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        } catch {
            throw Self.openError(error, path: path)
        }
        try self.init(writer: pool, path: path)
    }

    /// An empty in-memory store (a `DatabaseQueue`), for tests and dry runs.
    public static func inMemory() throws -> SQLiteStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration())
        } catch {
            throw openError(error, path: ":memory:")
        }
        return try SQLiteStore(writer: queue, path: ":memory:")
    }

    private init(writer: any DatabaseWriter, path: String, migrating: Bool = true) throws {
        self.writer = writer
        self.path = path
        if migrating { try Self.migrate(writer, path: path) }
    }

    /// Opens a database as it is, without migrating it (tests: writing through an older schema).
    convenience init(pathWithoutMigrating path: String) throws {
        try self.init(writer: try DatabasePool(path: path, configuration: Self.configuration()), path: path, migrating: false)
    }

    /// The connection settings: pragmas are set in `prepareDatabase` for every connection.
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "LiaisonStore"
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        return configuration
    }

    /// Creates a database at `path` with the schema as it was at `migration` (e.g. `v1`), so tests
    /// can check that every earlier schema migrates forward.
    static func createSchema(at path: String, upTo migration: String) throws {
        let queue = try DatabaseQueue(path: path, configuration: configuration())
        try Schema.migrator.migrate(queue, upTo: migration)
        try queue.close()
    }

    /// Refuses a database a newer Liaison migrated, then applies the missing migrations.
    private static func migrate(_ writer: any DatabaseWriter, path: String) throws {
        let migrator = Schema.migrator
        do {
            let unknown = try writer.read { db -> [String] in
                guard try migrator.hasBeenSuperseded(db) else { return [] }
                let known = Set(migrator.migrations)
                return try migrator.appliedIdentifiers(db).filter { !known.contains($0) }.sorted()
            }
            if !unknown.isEmpty {
                throw StoreError.schemaTooNew(path: path, unknownMigrations: unknown)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw openError(error, path: path)
        }
        do {
            try migrator.migrate(writer)
        } catch let error as DatabaseError {
            switch mapped(error, path: path, operation: "migrate the schema") {
            case .database(_, _, _, let reason), .corruptData(_, _, let reason):
                throw StoreError.migrationFailed(path: path, reason: reason)
            case let other:
                throw other
            }
        } catch {
            throw StoreError.migrationFailed(path: path, reason: String(describing: type(of: error)))
        }
    }

    // MARK: - Running transactions

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`), mapping every error.
    func write<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw storeError(error, operation: operation)
        }
    }

    /// Runs `body` in a read transaction (a snapshot of the last commit), mapping every error.
    func read<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw storeError(error, operation: operation)
        }
    }

    /// Maps any error thrown inside a transaction to a ``StoreError`` (cancellation passes).
    func storeError(_ error: any Error, operation: String) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as CancellationError:
            return error
        case let error as DatabaseError:
            return Self.mapped(error, path: path, operation: operation)
        case let error as JSONColumn.Failure:
            return StoreError.corruptData(path: path, operation: operation, reason: error.description)
        case let error as DecodingError:
            return StoreError.corruptData(path: path, operation: operation, reason: JSONColumn.describe(error))
        case is EncodingError:
            return StoreError.corruptData(path: path, operation: operation, reason: "cannot encode a value as JSON")
        default:
            // Never print the error itself: GRDB's row decoding errors may show column values.
            return StoreError.corruptData(path: path, operation: operation, reason: "\(type(of: error))")
        }
    }

    /// Maps an SQLite error by its primary result code. `message` is SQLite's own text
    /// (e.g. `UNIQUE constraint failed: statement.reference`), never bound values.
    static func mapped(_ error: DatabaseError, path: String, operation: String) -> StoreError {
        let reason = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_FULL:
            return .diskFull(path: path, operation: operation)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path, operation: operation)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .corrupt(path: path, operation: operation, reason: reason)
        case .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .ioFailure(path: path, operation: operation, reason: reason)
        default:
            return .database(path: path, operation: operation, code: error.extendedResultCode.rawValue, reason: reason)
        }
    }

    /// Maps an error met while opening a database.
    private static func openError(_ error: any Error, path: String) -> StoreError {
        guard let error = error as? DatabaseError else {
            return .cannotOpen(path: path, reason: "\(type(of: error))")
        }
        switch mapped(error, path: path, operation: "open the database") {
        case .ioFailure(_, _, let reason), .database(_, _, _, let reason):
            return .cannotOpen(path: path, reason: reason)
        case let other:
            return other
        }
    }

    private static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }

    // MARK: - Maintenance

    /// Runs `PRAGMA integrity_check` (the daemon does at startup); `true` when SQLite answers
    /// `ok`.
    public func integrityCheck() async throws -> Bool {
        try await read("check the database's integrity") { db in
            let lines = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            return lines == ["ok"]
        }
    }

    /// The pragmas in force on the write connection and the applied migrations.
    public func diagnostics() async throws -> StoreDiagnostics {
        let path = self.path
        do {
            return try await writer.writeWithoutTransaction { db in
                StoreDiagnostics(
                    path: path,
                    journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                    synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
                    foreignKeys: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false,
                    busyTimeoutMilliseconds: try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 0,
                    appliedMigrations: try Schema.migrator.appliedMigrations(db)
                )
            }
        } catch {
            throw storeError(error, operation: "read the database settings")
        }
    }
}

extension SQLiteStore {
    /// Runs SQL on the write connection, outside any transaction.
    ///
    /// Internal on purpose: tests reach it through `@testable import` to damage a row, cap the
    /// file size (`PRAGMA max_page_count`) or fake a newer schema, and check that the store
    /// reports those conditions instead of crashing.
    func executeOnWriter(_ sql: String) async throws {
        do {
            try await writer.writeWithoutTransaction { db in
                try db.execute(sql: sql)
            }
        } catch {
            throw storeError(error, operation: "execute SQL")
        }
    }
}
