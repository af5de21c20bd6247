import Foundation

/// A durable step of intake or sending at which a crash test may stop the process.
///
/// Test-only: the daemon's crash harness (`LIAISON_CRASH_AT`, see docs/reliability.md) names these
/// points to kill `liaison run` exactly there and prove that a restart loses and doubles nothing.
public enum CrashPoint: String, Sendable, CaseIterable {
    /// A message's bytes were fetched; nothing about it is committed.
    case afterFetch = "after-fetch"
    /// A reference number was handed out (its own transaction); the statement is not committed.
    case afterReference = "after-reference"
    /// A message's transaction (record, outbox, cursor) was committed; it is not moved yet.
    case afterCommit = "after-commit"
    /// A committed message is about to be moved on the server (also for moves left pending).
    case beforeMove = "before-move"
    /// The server moved the message; the move is not recorded yet.
    case afterMove = "after-move"
    /// The SMTP server answered (250 or not); the result is not recorded yet — the one window in
    /// which a crash sends a message twice, with the same Message-ID.
    case afterSend = "after-send"
    /// The result of a send was recorded.
    case afterRecord = "after-record"
}

/// Where the pipeline reports reaching a ``CrashPoint``: a no-op unless a test harness injected
/// a hook (LiaisonCore does no I/O; the daemon supplies the hook that kills the process).
public struct CrashPoints: Sendable {
    private let hook: (@Sendable (CrashPoint) -> Void)?

    /// No crash points: what every production run uses.
    public static let none = CrashPoints(hook: nil)

    /// Calls `hook` each time a point is reached.
    public init(_ hook: @escaping @Sendable (CrashPoint) -> Void) {
        self.hook = hook
    }

    private init(hook: (@Sendable (CrashPoint) -> Void)?) {
        self.hook = hook
    }

    /// Reports that `point` was reached; costs one nil check when no hook is set.
    @inline(__always)
    public func reached(_ point: CrashPoint) {
        hook?(point)
    }
}
