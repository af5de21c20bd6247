import Foundation
import LiaisonCore
import Logging
import Synchronization

/// The clock tests' time machine: `LIAISON_CLOCK_FILE=PATH` makes the daemon read the time as
/// the real time plus an offset (or a fixed instant) that it re-reads from PATH on every
/// `now()`, so a test can jump the clock of a running `liaison run` (test-only; see
/// docs/reliability.md, "Clock jumps").
///
/// The file holds one line: a signed offset in seconds (`3600`, `-3600`, `+259200.5`) or an
/// ISO 8601 instant (`2026-11-22T23:30:00Z`), which then stands still. Unset (every real
/// deployment), the system clock is used as is. Set, start-up checks the file and logs a warning,
/// so an operator cannot be surprised by it; a file that later becomes unreadable or malformed
/// (a test half-way through writing it) keeps the last good reading.
enum ClockInjection {
    /// The environment variable read at start-up.
    static let variable = "LIAISON_CLOCK_FILE"

    /// A `LIAISON_CLOCK_FILE` whose file cannot be read or parsed at start-up.
    struct Invalid: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String {
            "\(ClockInjection.variable)=\(path): \(reason); expected one line holding an offset in seconds (e.g. -3600) or an ISO 8601 instant (e.g. 2026-11-22T23:30:00Z)"
        }
    }

    /// `clock`, or a ``FileClock`` when the variable is set and `clock` is the system clock
    /// (an injected test clock is never replaced).
    static func clock(
        replacing clock: any WallClock, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) throws -> any WallClock {
        guard let path = environment[variable], !path.isEmpty, clock is SystemClock else { return clock }
        let fileClock = try FileClock(path: path)
        logger.warning(
            "\(variable) is set: the clock is shifted by a test file; never set it in a real deployment",
            metadata: ["clock.file": "\(path)", "clock.now": "\(fileClock.now().formatted(.iso8601))"])
        return fileClock
    }

    /// What a clock file says.
    enum Setting: Equatable {
        /// Seconds added to the real time.
        case offset(TimeInterval)
        /// A fixed instant.
        case instant(Date)

        /// Parses the file's text (surrounding white space ignored).
        init?(_ text: String) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let seconds = TimeInterval(value), seconds.isFinite {
                self = .offset(seconds)
            } else if let date = try? Date(value, strategy: .iso8601) {
                self = .instant(date)
            } else {
                return nil
            }
        }

        /// The time this setting gives when the real time is `real`.
        func now(real: Date) -> Date {
            switch self {
            case .offset(let seconds): real + seconds
            case .instant(let date): date
            }
        }
    }

    /// A clock read from a file on every call.
    final class FileClock: WallClock {
        let path: String
        private let last: Mutex<Setting>

        /// Reads the file once; throws ``Invalid`` when it is missing or malformed.
        init(path: String) throws {
            self.path = path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Invalid(path: path, reason: "the file cannot be read")
            }
            guard let setting = Setting(text) else { throw Invalid(path: path, reason: "the file's content is not understood") }
            last = Mutex(setting)
        }

        func now() -> Date {
            let real = Date()
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let setting = Setting(text) {
                last.withLock { $0 = setting }
                return setting.now(real: real)
            }
            return last.withLock { $0 }.now(real: real)
        }
    }
}
