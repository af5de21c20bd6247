import Logging
import Synchronization

/// A log handler that keeps every event, so tests can check what was (not) logged.
struct RecordingLogHandler: LogHandler {
    /// The events seen, rendered as "level message metadata".
    final class Store: Sendable {
        private let lines = Mutex<[String]>([])

        func append(_ line: String) { lines.withLock { $0.append(line) } }

        var all: [String] { lines.withLock { $0 } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        store.append("\(event.level) \(event.message) \(merged)")
    }

    /// A logger at trace level whose events land in a fresh store.
    static func logger() -> (Logger, Store) {
        let store = Store()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(store: store) }
        return (logger, store)
    }
}
