import Foundation
import LiaisonCore
import LiaisonStore

/// The outcome of `/healthz`: one line per check, healthy only when every check passed.
struct HealthReport: Sendable, Equatable {
    /// One check: `store`, `imap` or `smtp`.
    struct Check: Sendable, Equatable {
        var name: String
        var ok: Bool
        var detail: String
    }

    var checks: [Check]

    var isHealthy: Bool { checks.allSatisfy(\.ok) }

    /// `ok store: …` / `FAILED imap: …`, one line each.
    var text: String {
        checks.map { "\($0.ok ? "ok" : "FAILED") \($0.name): \($0.detail)\n" }.joined()
    }

    /// Runs the checks: a cheap store query, and the last poll and send the daemon recorded.
    static func check(_ context: ObservabilityContext) async -> HealthReport {
        var checks: [Check] = []
        do {
            try await context.store.ping()
            checks.append(Check(name: "store", ok: true, detail: "answers"))
        } catch {
            checks.append(Check(name: "store", ok: false, detail: "\(error)"))
        }
        let now = context.clock.now()
        let snapshot = context.status.snapshot()
        let staleAfter = Double(3 * context.pollInterval + 60)
        checks.append(imap(snapshot, now: now, staleAfter: staleAfter))
        checks.append(smtp(snapshot.smtp))
        return HealthReport(checks: checks)
    }

    static func imap(_ snapshot: ServiceStatus.Snapshot, now: Date, staleAfter: Double) -> Check {
        let link = snapshot.imap
        if link.isFailing, let failure = link.lastFailure {
            return Check(name: "imap", ok: false, detail: "last poll failed at \(stamp(failure)): \(link.lastError ?? "unknown error")")
        }
        guard let success = link.lastSuccess else {
            let waited = now.timeIntervalSince(snapshot.started)
            if waited > staleAfter {
                return Check(name: "imap", ok: false, detail: "no successful poll in \(Int(waited)) s since start")
            }
            return Check(name: "imap", ok: true, detail: "starting, no poll yet")
        }
        let age = now.timeIntervalSince(success)
        if age > staleAfter {
            return Check(name: "imap", ok: false, detail: "last successful poll at \(stamp(success)), \(Int(age)) s ago")
        }
        return Check(name: "imap", ok: true, detail: "last poll at \(stamp(success))")
    }

    static func smtp(_ link: ServiceStatus.Link) -> Check {
        if link.isFailing, let failure = link.lastFailure {
            return Check(name: "smtp", ok: false, detail: "last send failed at \(stamp(failure)): \(link.lastError ?? "unknown error")")
        }
        guard let success = link.lastSuccess else { return Check(name: "smtp", ok: true, detail: "nothing sent yet") }
        return Check(name: "smtp", ok: true, detail: "last outbox run at \(stamp(success))")
    }

    static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
