import ArgumentParser
import Foundation
import LiaisonDaemon
import Logging

/// `liaison`: records, routes, forwards and acknowledges liaison statements received by mail.
@main
struct LiaisonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liaison",
        abstract: "Records, routes, forwards and acknowledges liaison statements received by mail.",
        subcommands: [Run.self, Poll.self, CheckConfig.self, Parse.self, Route.self, List.self, Show.self, Due.self, Close.self, Extend.self, Render.self, Outbox.self, Remind.self, Migrate.self]
    )
}

/// Options every command that reads the configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file (default: $LIAISON_CONFIG, else \(Liaison.defaultConfigPath)).", valueName: "path"))
    var config: String?

    var path: String {
        config ?? ProcessInfo.processInfo.environment["LIAISON_CONFIG"] ?? Liaison.defaultConfigPath
    }
}

/// Options of the commands that log.
struct LogOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "trace, debug, info, notice, warning, error or critical (default: logging.level of the configuration, else info).")
    var logLevel: Logger.Level?

    /// Starts logging at `--log-level`, else the configuration's `logging.level`.
    func bootstrap(configPath: String? = nil) -> Logger {
        LoggingSetup.bootstrap(level: Liaison.logLevel(override: logLevel, configPath: configPath))
        return Logger(label: "liaison")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: poll the intake mailbox, send, remind, until SIGTERM or SIGINT; SIGHUP reloads the configuration.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try await Liaison.run(
            configPath: options.path, logger: log.bootstrap(configPath: options.path), logLevelOverride: log.logLevel)
    }
}

struct Poll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Poll the intake mailbox and send what is due.")

    @Flag(name: .long, help: "Poll once and exit (the only mode; `run` polls repeatedly).")
    var once = false
    @OptionGroup var options: ConfigOptions
    @OptionGroup var log: LogOptions

    func validate() throws {
        guard once else { throw ValidationError("use `liaison poll --once`, or `liaison run` to poll repeatedly") }
    }

    func run() async throws {
        print(try await Liaison.pollOnce(configPath: options.path, logger: log.bootstrap(configPath: options.path)), terminator: "")
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check the configuration, secrets, templates and state directory; report every problem.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        print(try Liaison.checkConfig(configPath: options.path), terminator: "")
    }
}

struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Extract the statement from a message file.")

    @Argument(help: "A raw message (.eml).") var file: String
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Option(name: .long, help: "A configuration whose directory names organizations and groups.") var config: String?

    func run() throws {
        print(try Liaison.parse(file: file, configPath: config, json: json), terminator: json ? "\n" : "")
    }
}

struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show where a message's copy would go, and why.")

    @Argument(help: "A raw message (.eml).") var file: String
    @OptionGroup var options: ConfigOptions

    func run() throws {
        print(try Liaison.route(file: file, configPath: options.path), terminator: "")
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the database schema up to date (stop the daemon first; it refuses to run beside it).")

    @Flag(name: .long, help: "Only say which migrations would be applied.") var dryRun = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        print(try Liaison.migrate(configPath: options.path, dryRun: dryRun), terminator: "")
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the recorded statements, newest first.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        print(try await Liaison.list(configPath: options.path), terminator: "")
    }
}

struct Close: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Close a statement: the action was taken; its reminders stop.")

    @Argument(help: "The reference, e.g. LS-2026-0007.") var reference: String
    @Flag(name: .long, help: "The action was taken (the only reason for now).") var taken = false
    @OptionGroup var options: ConfigOptions

    func validate() throws {
        guard taken else { throw ValidationError("say why: liaison close \(reference) --taken") }
    }

    func run() async throws {
        print(try await Liaison.close(reference: reference, configPath: options.path), terminator: "")
    }
}

struct Extend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Move a statement's deadline; its reminders follow the new date.")

    @Argument(help: "The reference, e.g. LS-2026-0007.") var reference: String
    @Argument(help: "The new deadline, YYYY-MM-DD.") var date: String
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        print(try await Liaison.extend(reference: reference, to: date, configPath: options.path), terminator: "")
    }
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a statement: fields, recipients, history and mail sent.")

    @Argument(help: "The reference, e.g. LS-2026-0007.") var reference: String
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        print(try await Liaison.show(reference: reference, configPath: options.path), terminator: "")
    }
}

struct Due: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List open statements due soon or overdue, soonest first.")

    @Option(name: .long, help: "Days ahead to look, e.g. 14 or 14d.") var within: String = "14d"
    @Flag(name: .long, help: "Print JSON (keys: reference, title, fromOrganization, groups, deadline, daysLeft, state).")
    var json = false
    @OptionGroup var options: ConfigOptions

    func validate() throws {
        guard Int(within.hasSuffix("d") ? String(within.dropLast()) : within) != nil else {
            throw ValidationError("--within takes a number of days, like 14d")
        }
    }

    func run() async throws {
        let days = Int(within.hasSuffix("d") ? String(within.dropLast()) : within) ?? 14
        if json {
            print(try await Liaison.dueJSON(within: days, configPath: options.path), terminator: "")
            return
        }
        print(try await Liaison.due(within: days, configPath: options.path), terminator: "")
    }
}

struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview a template for a recorded statement: the template file, envelope, headers and text.")

    @Argument(help: "acknowledgement, forward, triage, reminder, reminder-before, reminder-deadline, reminder-overdue or closed.")
    var template: String
    @Option(name: .long, help: "The reference, e.g. LS-2026-0007.") var statement: String
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        print(try await Liaison.render(template: template, statement: statement, configPath: options.path), terminator: "")
    }
}

struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Outgoing mail pending or failed; retry it now.",
        subcommands: [OutboxList.self, OutboxRetry.self],
        defaultSubcommand: OutboxList.self)
}

struct OutboxList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the outgoing mail pending (queued, retrying) and failed (refused or given up).")

    @Flag(name: .long, help: "Print JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        print(try await Liaison.outbox(configPath: options.path, json: json), terminator: "")
    }
}

struct OutboxRetry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Make outgoing mail due now; failed mail goes back to pending for recipients not yet delivered.")

    @Argument(help: "Outbox entry numbers, as `liaison outbox` prints them (12 or #12).") var ids: [String] = []
    @Flag(name: .long, help: "Retry every pending and failed entry.") var all = false
    @OptionGroup var options: ConfigOptions

    func validate() throws {
        guard all != !ids.isEmpty else { throw ValidationError("name the entries to retry, or --all (not both)") }
    }

    func run() async throws {
        print(try await Liaison.outboxRetry(ids: ids, all: all, configPath: options.path), terminator: "")
    }
}

struct Remind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the reminders due now (the outbox sends them); --dry-run only prints them.")

    @Flag(name: .long, help: "Print the reminders that would be sent now; record and send nothing.") var dryRun = false
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        print(try await Liaison.remind(dryRun: dryRun, configPath: options.path), terminator: "")
    }
}
