import Foundation
import Logging
import Synchronization

/// The process's log level, shared by every logger and changeable while running: a SIGHUP reload
/// applies a new `logging.level` at once, without a restart.
public final class LogLevelControl: Sendable {
    private let raw: Atomic<Int>

    /// Creates a control set to `level`.
    public init(_ level: Logger.Level) {
        raw = Atomic(Self.levels.firstIndex(of: level) ?? 2)
    }

    /// The current level.
    public var level: Logger.Level {
        get { Self.levels[raw.load(ordering: .relaxed)] }
        set { raw.store(Self.levels.firstIndex(of: newValue) ?? 2, ordering: .relaxed) }
    }

    private static let levels: [Logger.Level] = Logger.Level.allCases
}

/// A handler whose level is the shared ``LogLevelControl``'s, writing through another handler.
struct ControlledLevelLogHandler: LogHandler {
    var base: any LogHandler
    let control: LogLevelControl

    init(base: any LogHandler, control: LogLevelControl) {
        var base = base
        // The base never filters: the level is decided here, before a message is even built.
        base.logLevel = .trace
        self.base = base
        self.control = control
    }

    var logLevel: Logger.Level {
        get { control.level }
        set { control.level = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}
