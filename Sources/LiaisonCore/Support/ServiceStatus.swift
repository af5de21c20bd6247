import Foundation
import Synchronization

/// What the running daemon last saw of its IMAP and SMTP servers, for `/healthz` and `/metrics`.
///
/// The intake service records each poll and each outbox run here; the HTTP server only reads it,
/// so a health check never opens a connection of its own. Thread-safe.
public final class ServiceStatus: Sendable {
    /// One server's last outcomes.
    public struct Link: Sendable, Equatable {
        /// When the last attempt that succeeded ended.
        public var lastSuccess: Date?
        /// When the last attempt that failed ended.
        public var lastFailure: Date?
        /// Why the last failed attempt failed (an error description, never a secret).
        public var lastError: String?
        /// How long the last attempt took, in seconds.
        public var lastDuration: Double?
        /// Attempts that failed since the process started.
        public var failures: Int = 0

        /// Creates an empty record: nothing attempted yet.
        public init() {}

        /// Whether the most recent attempt failed.
        public var isFailing: Bool {
            guard let lastFailure else { return false }
            guard let lastSuccess else { return true }
            return lastFailure >= lastSuccess
        }
    }

    /// A consistent copy of everything recorded.
    public struct Snapshot: Sendable, Equatable {
        /// When the status object was made (the daemon's start).
        public var started: Date
        /// The intake mailbox polls.
        public var imap = Link()
        /// The outbox runs against the submission server.
        public var smtp = Link()
    }

    private let state: Mutex<Snapshot>

    /// Creates a status for a daemon started at `started`.
    public init(started: Date) {
        state = Mutex(Snapshot(started: started))
    }

    /// Records an IMAP poll that ended at `date` after `duration` seconds; `error` is nil on success.
    public func recordPoll(at date: Date, duration: Double, error: String?) {
        state.withLock { Self.record(&$0.imap, at: date, duration: duration, error: error) }
    }

    /// Records an outbox run that ended at `date` after `duration` seconds; `error` is nil on success.
    public func recordSend(at date: Date, duration: Double, error: String?) {
        state.withLock { Self.record(&$0.smtp, at: date, duration: duration, error: error) }
    }

    /// The current state.
    public func snapshot() -> Snapshot {
        state.withLock { $0 }
    }

    private static func record(_ link: inout Link, at date: Date, duration: Double, error: String?) {
        link.lastDuration = duration
        if let error {
            link.lastFailure = date
            link.lastError = error
            link.failures += 1
        } else {
            link.lastSuccess = date
        }
    }
}
