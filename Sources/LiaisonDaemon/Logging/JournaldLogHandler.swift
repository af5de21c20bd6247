import Foundation
import Logging

/// Writes one line per log event to standard output with an sd-daemon(3) priority prefix
/// (`<6>` for info …) and no timestamp, because journald adds its own.
public struct JournaldLogHandler: LogHandler {
    /// The level below which events are dropped.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every event of this handler.
    public var metadata: Logger.Metadata = [:]
    private let label: String

    /// Creates a handler for a logger label.
    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "<\(Self.priority(event.level))>\(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}

/// Chooses the log output once per process: journald's format under systemd, plain lines otherwise.
public enum LoggingSetup {
    /// The level every logger of the process uses; ``bootstrap(level:)`` sets it first, a SIGHUP
    /// reload may change it (``LogLevelControl``).
    public static let level = LogLevelControl(.info)

    /// Bootstraps swift-log. Call once, from `main`, before anything logs.
    public static func bootstrap(level: Logger.Level) {
        self.level.level = level
        let environment = ProcessInfo.processInfo.environment
        let journald = environment["JOURNAL_STREAM"] != nil || environment["LIAISON_LOG_FORMAT"] == "journald"
        LoggingSystem.bootstrap { label in
            if journald { return ControlledLevelLogHandler(base: JournaldLogHandler(label: label), control: Self.level) }
            return ControlledLevelLogHandler(base: StreamLogHandler.standardError(label: label), control: Self.level)
        }
    }
}
