import Foundation
import LiaisonCore
import Logging
import Synchronization

/// The daemon's current ``Runtime`` — configuration, directory, rules, templates, servers — and
/// the poll waiter made for it. A SIGHUP reload replaces it as a whole; each service takes the
/// current one at the start of a cycle, so a cycle never mixes old and new settings.
final class LiveRuntime: Sendable {
    /// One configuration's runtime.
    struct Generation: Sendable {
        let runtime: Runtime
        let waiter: any PollWaiter
        /// 1 at start, one more per successful reload.
        let number: Int
    }

    /// What a reload did.
    enum ReloadOutcome: Sendable, Equatable {
        /// The new configuration is in use; `needsRestart` lists the changes kept at their old values.
        case reloaded(needsRestart: [String])
        /// The new configuration was refused (`reason` names file, line and key); the old one stays.
        case rejected(reason: String)
    }

    private let state: Mutex<Generation>
    private let logger: Logger

    init(runtime: Runtime, logger: Logger) {
        self.logger = logger
        state = Mutex(Generation(runtime: runtime, waiter: PollWaiters.make(for: runtime, logger: logger), number: 1))
    }

    /// The generation to use for the next cycle.
    var current: Generation { state.withLock { $0 } }

    /// Reads and validates the configuration file again and, when it is good, makes it current.
    ///
    /// Settings that cannot change while running (``restartOnlyChanges(from:to:)``) keep their old
    /// values and are reported.
    func reload(configPath: String) -> ReloadOutcome {
        let old = current
        let runtime: Runtime
        let needsRestart: [String]
        do {
            var configuration = try ConfigurationLoader.load(path: configPath)
            needsRestart = Self.restartOnlyChanges(from: old.runtime.configuration, to: configuration)
            configuration.stateDirectory = old.runtime.configuration.stateDirectory
            configuration.http = old.runtime.configuration.http
            runtime = try Runtime(reloading: configuration, from: old.runtime, logger: logger)
        } catch {
            return .rejected(reason: "\(error)")
        }
        let imapChanged = runtime.mailbox !== old.runtime.mailbox
        let waiter = imapChanged ? PollWaiters.make(for: runtime, logger: logger) : old.waiter
        state.withLock { $0 = Generation(runtime: runtime, waiter: waiter, number: old.number + 1) }
        return .reloaded(needsRestart: needsRestart)
    }

    /// The changes between two configurations that only take effect after a restart: the state
    /// directory (the open database and its lock) and the HTTP server (its bound address).
    static func restartOnlyChanges(from old: Configuration, to new: Configuration) -> [String] {
        var changes: [String] = []
        if old.stateDirectory != new.stateDirectory { changes.append("service.state_directory") }
        if old.http != new.http { changes.append("http") }
        return changes
    }
}
