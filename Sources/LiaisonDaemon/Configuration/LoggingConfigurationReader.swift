import Foundation
import Logging
import Yams

/// The `logging:` section: `level` (trace, debug, info, notice, warning, error, critical).
public struct LoggingSettings: Sendable, Equatable {
    /// The configured level; `nil` when absent (info, unless `--log-level` says otherwise).
    public var level: Logger.Level?

    /// Creates settings.
    public init(level: Logger.Level? = nil) {
        self.level = level
    }
}

/// Reads the `logging:` section, reporting problems with file, line and key.
struct LoggingConfigurationReader {
    let cursor: YAMLCursor

    func read(_ node: Node?) -> LoggingSettings {
        let key = "logging"
        guard let map = cursor.mapping(node, key: key) else { return LoggingSettings() }
        cursor.rejectUnknownKeys(map, known: ["level"], key: key)
        guard let text = cursor.string(map, "level", parent: key) else { return LoggingSettings() }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            cursor.problem(
                "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "), at: map["level"],
                key: "\(key).level")
            return LoggingSettings()
        }
        return LoggingSettings(level: level)
    }
}
