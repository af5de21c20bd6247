import Foundation
import GRDB

/// Where a database's schema stands, for `liaison migrate`.
public struct SchemaStatus: Sendable, Equatable {
    /// The migrations applied, oldest first; empty for a new database.
    public var applied: [String]
    /// The migrations this version of Liaison would still apply.
    public var pending: [String]
}

extension SQLiteStore {
    /// The migrations every database gets, in order (`v1`, `v2`, …).
    public static var knownMigrations: [String] { Schema.migrator.migrations }

    /// The schema status of the database at `path`, read without changing it; a missing file
    /// has nothing applied.
    ///
    /// - Throws: ``StoreError`` naming the path when the file cannot be read as a database.
    public static func schemaStatus(at path: String) throws -> SchemaStatus {
        guard FileManager.default.fileExists(atPath: path) else {
            return SchemaStatus(applied: [], pending: knownMigrations)
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            let applied = try queue.read { db in try Schema.migrator.appliedMigrations(db) }
            return SchemaStatus(applied: applied, pending: knownMigrations.filter { !applied.contains($0) })
        } catch let error as DatabaseError {
            throw mapped(error, path: path, operation: "read the schema version")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(type(of: error))")
        }
    }
}
