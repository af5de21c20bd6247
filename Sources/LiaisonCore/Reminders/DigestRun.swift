import Foundation

/// Sends the weekly digests due now: plans them, renders each, and records it together with its
/// outbox entry, so that a recipient gets at most one digest per ISO week.
public struct DigestRun: Sendable {
    private let store: any DigestStore
    private let planner: DigestPlanner
    private let mail: OutgoingMailFactory
    private let clock: any WallClock

    /// Creates a run.
    public init(store: any DigestStore, planner: DigestPlanner, mail: OutgoingMailFactory, clock: any WallClock) {
        self.store = store
        self.planner = planner
        self.mail = mail
        self.clock = clock
    }

    /// Records every digest due now that was not recorded before. An empty digest is recorded
    /// (the week is done for its recipient) but not sent.
    ///
    /// - Returns: the digests newly recorded, empty ones included.
    /// - Throws: when the store fails, or after the others when a digest cannot be rendered
    ///   (nothing is recorded for that one, so the next run tries it again).
    @discardableResult
    public func run() async throws -> [PlannedDigest] {
        let now = clock.now()
        guard let (week, _) = planner.dueWeek(at: now) else { return [] }
        let done = try await store.digestRecipients(recordedFrom: week)
        // Most runs of a week find every digest done: the statements are read only when needed.
        guard planner.recipients().contains(where: { !done.contains($0.contact.address.lowercased()) }) else { return [] }
        let statements = try await store.unclosedStatements()
        var recorded: [PlannedDigest] = []
        var renderingError: (any Error)?
        for digest in planner.due(statements, at: now, excluding: done) {
            let message: OutgoingMessage?
            do {
                message = digest.isEmpty ? nil : try mail.digest(digest, directory: planner.directory, now: now)
            } catch {
                // The others still go out; this one is tried again on the next run.
                renderingError = renderingError ?? error
                continue
            }
            if try await store.recordDigest(digest, message: message, at: now) {
                recorded.append(digest)
            }
        }
        if let renderingError { throw renderingError }
        return recorded
    }
}
