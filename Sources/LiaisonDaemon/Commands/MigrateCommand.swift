import Foundation
import LiaisonStore

extension Liaison {
    /// `liaison migrate [--dry-run]`: brings the database schema up to date before a new version
    /// starts (the daemon also migrates when it opens the database; this makes the step explicit
    /// and checkable in an upgrade).
    ///
    /// It takes the state directory's lock, so it refuses to run while a daemon works on the
    /// same state: an older daemon must not keep writing under a newer schema.
    ///
    /// - Throws: ``StoreError/schemaTooNew(path:unknownMigrations:)`` when a newer Liaison
    ///   migrated the database, ``StoreError/alreadyLocked(path:)`` while the daemon runs, or
    ///   another ``StoreError`` naming the database.
    public static func migrate(configPath: String, dryRun: Bool) throws -> String {
        let configuration = try configuration(at: configPath)
        let path = configuration.databasePath
        let before = try SQLiteStore.schemaStatus(at: path)
        let unknown = before.applied.filter { !SQLiteStore.knownMigrations.contains($0) }
        guard unknown.isEmpty else { throw StoreError.schemaTooNew(path: path, unknownMigrations: unknown) }
        let current = before.applied.last.map { "schema \($0)" } ?? "no schema yet"
        guard !before.pending.isEmpty else { return "\(path): \(current), up to date\n" }
        let pending = before.pending.joined(separator: ", ")
        if dryRun { return "\(path): \(current); would apply \(pending)\n" }
        let lock = try StateDirectoryLock(directory: configuration.stateDirectory)
        defer { lock.release() }
        _ = try SQLiteStore(path: path)
        let after = try SQLiteStore.schemaStatus(at: path)
        return "\(path): \(current) → schema \(after.applied.last ?? "?"); applied \(pending)\n"
    }
}
