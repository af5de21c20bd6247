import Foundation
import LiaisonCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The crash tests' kill switch: `LIAISON_CRASH_AT=after-send:3` makes the process SIGKILL
/// itself the 3rd time it reaches that ``CrashPoint`` (test-only; see docs/reliability.md).
///
/// Unset (every real deployment), it yields ``CrashPoints/none`` and costs nothing. The kill is
/// `SIGKILL`, not an exit: no `defer`, no flush, no SQLite close — as a power cut or the OOM killer.
enum CrashInjection {
    /// The environment variable read at start-up.
    static let variable = "LIAISON_CRASH_AT"

    /// A malformed `LIAISON_CRASH_AT`: start-up stops rather than run a crash test that never crashes.
    struct Invalid: Error, CustomStringConvertible {
        var value: String
        var description: String {
            "\(CrashInjection.variable)=\(value): expected POINT or POINT:N (N ≥ 1) with POINT one of "
                + CrashPoint.allCases.map(\.rawValue).joined(separator: ", ")
        }
    }

    /// The crash points asked for by `environment`, or ``CrashPoints/none``.
    static func crashPoints(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CrashPoints {
        guard let value = environment[variable], !value.isEmpty else { return .none }
        let (point, count) = try parse(value)
        let trigger = Trigger(point: point, count: count)
        return CrashPoints { trigger.reached($0) }
    }

    /// Parses `POINT[:N]`.
    static func parse(_ value: String) throws -> (CrashPoint, Int) {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let point = CrashPoint(rawValue: String(parts[0])) else { throw Invalid(value: value) }
        guard parts.count == 2 else { return (point, 1) }
        guard let count = Int(parts[1]), count >= 1 else { throw Invalid(value: value) }
        return (point, count)
    }

    /// Counts arrivals at one point and kills the process at the chosen one.
    final class Trigger: Sendable {
        let point: CrashPoint
        let count: Int
        private let arrivals = Atomic<Int>(0)

        init(point: CrashPoint, count: Int) {
            self.point = point
            self.count = count
        }

        func reached(_ reached: CrashPoint) {
            guard reached == point else { return }
            let arrival = arrivals.add(1, ordering: .relaxed).newValue
            guard arrival == count else { return }
            // Straight to file descriptor 2, unbuffered: the harness reads which point fired.
            let line = Array("liaison: crash point \(point.rawValue) reached (\(arrival)): SIGKILL\n".utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            kill(getpid(), SIGKILL)
        }
    }
}
