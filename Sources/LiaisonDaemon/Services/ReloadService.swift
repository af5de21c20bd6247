import Foundation
import LiaisonCore
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP (`systemctl reload liaison`), until a graceful shutdown.
///
/// The file is validated as fully as at start-up — configuration, directory and rules, templates,
/// secrets, server settings — before anything changes. A bad one is logged with its file, line
/// and key, and the daemon carries on with the configuration it has. A good one is used by each
/// service from its next cycle; the state directory and the `http:` section keep their old
/// values until a restart, and say so.
struct ReloadService: Service {
    let live: LiveRuntime
    let configPath: String
    /// The `--log-level` given on the command line, which wins over `logging.level`.
    let logLevelOverride: Logger.Level?
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// One reload, logged.
    func reload() {
        logger.info("SIGHUP: reloading the configuration", metadata: ["config": "\(configPath)"])
        switch live.reload(configPath: configPath) {
        case .rejected(let reason):
            logger.error(
                "configuration not reloaded: the running one stays in use",
                metadata: ["config": "\(configPath)", "error": "\(reason)"])
        case .reloaded(let needsRestart):
            let configuration = live.current.runtime.configuration
            if logLevelOverride == nil { LoggingSetup.level.level = configuration.logging.level ?? .info }
            for key in needsRestart {
                logger.warning(
                    "configuration change needs a restart: the running value stays in use until then",
                    metadata: ["config": "\(configPath)", "config.key": "\(key)"])
            }
            logger.info(
                "configuration reloaded",
                metadata: [
                    "config": "\(configPath)", "groups": "\(configuration.directory.groups.count)",
                    "rules": "\(configuration.rules.count)", "poll.interval_seconds": "\(configuration.imap.pollInterval)",
                    "log.level": "\(LoggingSetup.level.level)",
                ])
        }
    }
}
