import Foundation
import LiaisonCore
import LiaisonDocuments
import LiaisonStore
import LiaisonTemplates
import Logging
import MIME
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// The operations behind the `liaison` commands; the executable only parses arguments.
public enum Liaison {
    /// Where the configuration is read from when no `--config` is given.
    public static let defaultConfigPath = ConfigurationLoader.defaultPath

    /// Loads and validates the configuration.
    public static func configuration(at path: String) throws -> Configuration {
        try ConfigurationLoader.load(path: path)
    }

    /// The log level a command uses: `--log-level` when given, else `logging.level` of the
    /// configuration at `configPath` (when it can be read), else info.
    public static func logLevel(override: Logger.Level?, configPath: String?) -> Logger.Level {
        if let override { return override }
        guard let configPath, let configuration = try? configuration(at: configPath) else { return .info }
        return configuration.logging.level ?? .info
    }

    /// Runs the daemon until SIGTERM or SIGINT; SIGHUP reloads the configuration.
    ///
    /// Four services run side by side in one `ServiceGroup`: the intake (poll, wait, repeat), the
    /// reminder and digest scheduler, the outbox sender (woken as soon as the others queue mail),
    /// the HTTP server when `http:` is on; plus the SIGHUP handler.
    ///
    /// - Parameter logLevelOverride: the `--log-level` given, which a reload does not change.
    public static func run(configPath: String, logger: Logger, logLevelOverride: Logger.Level? = nil) async throws {
        // A SIGHUP before the reload service traps it (`systemctl reload` right after start) must
        // not end the process, as its default action would.
        signal(SIGHUP, SIG_IGN)
        let configuration = try configuration(at: configPath)
        let runtime = try Runtime(configuration: configuration, logger: logger)
        // After a crash or power cut, refuse to run on a damaged database rather than add to it.
        guard try await runtime.store.integrityCheck() else {
            throw StoreError.corrupt(
                path: configuration.databasePath, operation: "check the database's integrity at start-up",
                reason: "PRAGMA integrity_check did not answer ok; restore from a backup (docs/store.md)")
        }
        logger.info("database integrity check ok", metadata: ["store.path": "\(configuration.databasePath)"])
        logger.info(
            "liaison starting",
            metadata: [
                "config": "\(configPath)", "imap.mailbox": "\(configuration.imap.mailbox)",
                "groups": "\(configuration.directory.groups.count)", "rules": "\(configuration.rules.count)",
                "poll.interval_seconds": "\(configuration.imap.pollInterval)", "log.level": "\(LoggingSetup.level.level)",
            ])
        let status = ServiceStatus(started: runtime.clock.now())
        let live = LiveRuntime(runtime: runtime, logger: logger)
        let outboxWakeup = Wakeup()
        let services: [any Service] = [
            IntakeService(live: live, outboxWakeup: outboxWakeup, logger: logger, status: status),
            ReminderService(live: live, outboxWakeup: outboxWakeup, logger: logger),
            OutboxService(live: live, wakeup: outboxWakeup, logger: logger, status: status),
            ReloadService(live: live, configPath: configPath, logLevelOverride: logLevelOverride, logger: logger),
        ]
        let http = try HTTPWiring.services(runtime: runtime, status: status, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: services + http, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("liaison stopped")
    }

    /// Polls once and sends what is due; returns a human-readable report.
    public static func pollOnce(configPath: String, logger: Logger) async throws -> String {
        let runtime = try Runtime(configuration: try configuration(at: configPath), logger: logger)
        let report = try await runtime.poller.pollOnce()
        let reminders = try await runtime.reminders.run()
        let digests = try await runtime.digests.run()
        let summary = try await runtime.dispatcher.dispatchDue()
        return PollReportText.render(report, reminders: reminders, outbox: summary)
            + digests.map { "digest \($0.week): \($0.recipient.contact.address), " + ($0.isEmpty ? "nothing open, not sent" : "\($0.count) statements") + "\n" }
            .joined()
    }

    /// Parses a message file and returns the extracted statement (JSON or text).
    public static func parse(file: String, configPath: String?, json: Bool) throws -> String {
        let raw = try readMessage(file)
        let loaded = try configPath.map { try Liaison.configuration(at: $0) }
        var statement = StatementExtractor(
            directory: loaded?.directory ?? Directory(),
            dates: DateText(dayFirst: loaded?.dayFirstDates ?? true),
            attachmentReader: DocumentTextReader()
        ).extract(from: MIMEMessage(bytes: raw))
        if let policy = loaded?.intake.senderAuthentication {
            policy.apply(to: &statement, message: MIMEMessage(bytes: raw))
        }
        if json { return try StatementJSON(statement).encoded() }
        return StatementText.render(statement)
    }

    /// Parses a message file and explains where its copy would go, and why.
    public static func route(file: String, configPath: String) throws -> String {
        let configuration = try configuration(at: configPath)
        let raw = try readMessage(file)
        let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
        let processor = Runtime.processor(for: configuration, templates: templates)
        switch processor.triage(raw) {
        case .quarantine(_, let reason):
            return "would be quarantined in \(configuration.intake.quarantineFolder): \(reason)\n"
        case .reply(_, let reply, _, _):
            let command = reply.command.map { "\($0)" } ?? "no command"
            return "a reply about \(reply.reference) (\(command)) from \(reply.sender ?? "an unknown sender"); "
                + "handled as a new statement only if \(reply.reference) is not recorded\n"
        case .engagement(_, .invitationRequest, _, _):
            return "a request for an invitation to comment (to \(configuration.intake.invitationAddress ?? "")); sent to the "
                + "communities it names if it comes from an engagement manager and has no problems, else quarantined (docs/engagement.md)\n"
        case .engagement(_, .invitationReply(let reference), _, _):
            return "a reply to the invitation to comment \(reference): recorded as a statement from its community, linked to "
                + "\(reference) and collected by its engagement manager; handled as a new statement if \(reference) is not recorded\n"
        case .report(_, let report):
            return "a delivery or disposition report (\(report.summary)); attached to the statement it concerns "
                + "(original Message-ID \(report.originalMessageIDs.map { "<\($0)>" }.joined(separator: ", "))), "
                + "quarantined if it concerns nothing known; never acknowledged\n"
        case .submission(let message, let mail):
            return SubmissionRoute.describe(message, mail, processor: processor)
        case .statement(let message, let statement, let noAck):
            let decision = processor.router.route(statement, context: processor.routingContext(for: message))
            var lines = ["title: \(statement.title ?? "(none)")"]
            if statement.needsTriage || decision.isTriage {
                let missing = statement.missing.map(\.description).joined(separator: ", ")
                lines.append("state: needs-triage" + (missing.isEmpty ? "" : " (missing: \(missing))"))
            }
            if !decision.groups.isEmpty {
                lines.append("groups: " + decision.groups.joined(separator: ", ") + (decision.lead.map { " (lead \($0))" } ?? ""))
            }
            lines.append("to: " + decision.to.map(\.description).joined(separator: ", "))
            lines.append("cc: " + decision.cc.map(\.description).joined(separator: ", "))
            if !decision.bcc.isEmpty { lines.append("bcc: " + decision.bcc.map(\.description).joined(separator: ", ")) }
            lines.append("why:")
            lines += decision.reasons.map { "  \($0)" }
            lines += decision.notes.map { "note: \($0)" }
            if let noAck {
                lines.append("acknowledgement: none (\(noAck))")
            } else if let recipient = AutoReplyPolicy.acknowledgementRecipient(for: message) {
                lines.append("acknowledgement: to \(recipient.address)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Lists the recorded statements, newest first.
    public static func list(configPath: String) async throws -> String {
        let configuration = try configuration(at: configPath)
        let store = try SQLiteStore(path: configuration.databasePath)
        let statements = try await store.statements()
        guard !statements.isEmpty else { return "no statements recorded\n" }
        return statements.map { summary in
            [
                summary.reference.description,
                summary.state.rawValue,
                summary.deadline.map { "due \($0)" } ?? "-",
                summary.groups.isEmpty ? "-" : summary.groups.joined(separator: ","),
                summary.fromOrganization ?? "-",
                summary.title ?? "(no title)",
            ].joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
    }

    /// Everything about one statement: fields, routing, history and the mail sent about it.
    public static func show(reference text: String, configPath: String) async throws -> String {
        let configuration = try configuration(at: configPath)
        guard let reference = StatementReference(text) else { throw CommandError.badReference(text) }
        let store = try SQLiteStore(path: configuration.databasePath)
        guard let recorded = try await store.statement(reference: reference) else {
            throw CommandError.unknownStatement(reference.description)
        }
        var lines = ["\(reference)  \(recorded.state.rawValue)  recorded \(recorded.recordedAt)"]
        if let outgoing = try await store.outgoingStatement(reference: reference) {
            lines.append("Outgoing: \(outgoing.state), submitted by \(outgoing.submitter) at \(outgoing.submittedAt)")
            if !outgoing.approvers.isEmpty { lines.append("  approvers: \(outgoing.approvers.joined(separator: ", "))") }
            if let by = outgoing.approvedBy { lines.append("  approved by \(by)\(outgoing.approvedAt.map { " at \($0)" } ?? "")") }
            if let sent = outgoing.sentAt { lines.append("  sent to the peer at \(sent)") }
            if let reply = outgoing.repliedBy { lines.append("  reply: \(reply)") }
        }
        lines += StatementText.render(recorded.statement).split(separator: "\n").map(String.init)
        lines.append("Routed to:")
        lines += recorded.routing.to.map { "  to  \($0)" } + recorded.routing.cc.map { "  cc  \($0)" }
            + recorded.routing.bcc.map { "  bcc \($0)" }
        lines.append("History:")
        lines += try await store.events(reference: reference).map { "  \($0.at)  \($0.kind): \($0.detail)" }
        lines.append("Mail:")
        for record in try await store.outgoing(reference: reference) {
            lines.append("  \(record.message.kind.rawValue) <\(record.message.messageID)> \(record.state.rawValue), \(record.attempts) attempt(s)")
            lines += record.recipients.map { "    \($0.address): \($0.state.rawValue)\($0.code.map { " \($0)" } ?? "")" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Open statements whose deadline falls within `days` days (or has passed), soonest first.
    public static func due(within days: Int, configPath: String, now: Date = Date()) async throws -> String {
        let due = try await dueStatements(within: days, configPath: configPath, now: now)
        guard !due.isEmpty else { return "nothing due within \(days) days\n" }
        return due.map { statement in
            let left = statement.daysLeft
            let when = left < 0 ? "OVERDUE \(-left)d" : left == 0 ? "today" : "in \(left)d"
            return [
                statement.reference, statement.deadline, when,
                statement.groups.joined(separator: ","), statement.title ?? "(no title)",
            ].joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
    }

    /// Closes a statement by hand (`liaison close LS-… --taken`).
    public static func close(reference text: String, configPath: String) async throws -> String {
        let configuration = try configuration(at: configPath)
        guard let reference = StatementReference(text) else { throw CommandError.badReference(text) }
        let store = try SQLiteStore(path: configuration.databasePath)
        guard let recorded = try await store.statement(reference: reference) else {
            throw CommandError.unknownStatement(reference.description)
        }
        let reason = "action taken, said by the operator (liaison close)"
        let now = Date()
        // The closed notice goes through the outbox; a template problem must not block closing.
        var warning = ""
        var notice: OutgoingMessage?
        do {
            let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
            notice = try Runtime.processor(for: configuration, templates: templates).mail
                .closedNotice(recorded, reason: reason, directory: configuration.directory, now: now)
        } catch {
            warning = "no closed notice: \(error)\n"
        }
        guard let queued = try await store.close(reference, reason: reason, notice: notice, at: now) else {
            throw CommandError.unknownStatement(reference.description)
        }
        let told = queued ? notice.map { "; closed notice queued to " + $0.envelope.recipients.joined(separator: ", ") } ?? "" : ""
        return "\(reference) closed: action taken\(told)\n" + warning
    }

    /// Moves a statement's deadline by hand (`liaison extend LS-… DATE`).
    public static func extend(reference text: String, to dateText: String, configPath: String) async throws -> String {
        let configuration = try configuration(at: configPath)
        guard let reference = StatementReference(text) else { throw CommandError.badReference(text) }
        guard let date = DateText(dayFirst: configuration.dayFirstDates).firstDate(in: dateText) else {
            throw CommandError.badDate(dateText)
        }
        let store = try SQLiteStore(path: configuration.databasePath)
        guard let recorded = try await store.statement(reference: reference) else {
            throw CommandError.unknownStatement(reference.description)
        }
        // The courtesy notice to the peer (RFC 4053) goes through the outbox with the change.
        let now = Date()
        var events: [StatementEvent] = []
        var notices: [OutgoingMessage] = []
        var warning = ""
        do {
            let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
            notices = Runtime.processor(for: configuration, templates: templates)
                .extensionNotices(for: recorded, to: date, by: "the operator (liaison extend)", events: &events, now: now)
        } catch {
            warning = "no extension notice: \(error)\n"
        }
        guard try await store.extend(reference, to: date, by: "the operator (liaison extend)", at: now, notices: notices, events: events) else {
            throw CommandError.unknownStatement(reference.description)
        }
        let told = notices.first.map { "; extension notice queued to " + $0.envelope.recipients.joined(separator: ", ") } ?? ""
        return "\(reference) deadline moved to \(date)\(told)\n" + warning
    }

    /// Validates everything that can be checked without a server: configuration, secrets,
    /// templates (each rendered once) and the state directory.
    public static func checkConfig(configPath: String) throws -> String {
        let configuration = try configuration(at: configPath)
        var problems: [ConfigProblem] = []
        func problem(_ key: String, _ message: String) {
            problems.append(ConfigProblem(file: configPath, line: nil, key: key, message: message))
        }
        var secrets = [("imap.password_file", configuration.imap.passwordFile)]
        if let file = configuration.smtp.passwordFile { secrets.append(("smtp.password_file", file)) }
        for (key, file) in secrets {
            do {
                _ = try SecretFile.read(file, key: key, configFile: configPath)
            } catch let error as ConfigError {
                if case .invalid(let found) = error { problems += found } else { problem(key, error.description) }
            } catch {
                problem(key, "\(error)")
            }
        }
        var templateCount = 0
        var templateNotes: [String] = []
        do {
            let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
            try templates.checkRequired()
            templateCount = templates.names.count
            // An organizations/SLUG/ folder of no organization of the directory is never used: say so.
            let slugs = Dictionary(
                configuration.directory.organizations.map { (TemplateLibrary.slug($0.name), $0.name) }, uniquingKeysWith: { first, _ in first })
            for slug in templates.overrides.keys.sorted() where slugs[slug] == nil {
                templateNotes.append(
                    "note: templates \(TemplateLibrary.organizationsFolder)/\(slug)/ belong to no organization of the directory, "
                        + "so they are never used (slugs: " + slugs.keys.sorted().joined(separator: ", ") + ")\n")
            }
            try SampleStatement.renderAll(
                configuration: configuration, templates: templates,
                organizations: templates.overrides.keys.sorted().compactMap { slugs[$0] })
            try SampleDigest.render(configuration: configuration, templates: templates)
        } catch {
            problem("service.templates_directory", "\(error)")
        }
        let state = configuration.stateDirectory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: state, isDirectory: &isDirectory) {
            if !isDirectory.boolValue || !FileManager.default.isWritableFile(atPath: state) {
                problem("service.state_directory", "\(state) is not a writable directory")
            }
        } else {
            let parent = URL(fileURLWithPath: state).deletingLastPathComponent().path
            if !FileManager.default.isWritableFile(atPath: parent) {
                problem("service.state_directory", "\(state) does not exist and \(parent) is not writable")
            }
        }
        // Allowed but weak settings (plain text to a remote host, secret files others can read).
        templateNotes += SecurityWarnings.of(configuration).map { "warning: \($0)\n" }
        if let web = HTTPWiring.templateProblem(configuration) { problem("http", "dashboard templates: \(web)") }
        if !problems.isEmpty { throw ConfigError.invalid(problems) }
        return "OK: \(configuration.directory.groups.count) groups, \(configuration.directory.areas.count) areas, "
            + "\(configuration.directory.organizations.count) organizations, \(configuration.rules.count) rules, "
            + "\(templateCount) templates, imap=\(configuration.imap.url) mailbox=\(configuration.imap.mailbox), "
            + "smtp=\(configuration.smtp.url)\n" + templateNotes.joined()
            + senderAuthenticationLine(configuration.intake.senderAuthentication)
    }

    /// How senders are trusted, for check-config.
    static func senderAuthenticationLine(_ policy: SenderAuthenticationPolicy?) -> String {
        guard let policy else {
            return "sender authentication: off (every sender is taken at its word; set service.sender_authentication "
                + "to require a passing Authentication-Results from your MTA)\n"
        }
        let methods: String = policy.accepted.map(\.rawValue).joined(separator: " or ")
        let hosts: String = policy.trustedAuthservIDs.joined(separator: ", ")
        return "sender authentication: \(methods)=pass from \(hosts); others go to triage\n"
    }

    static func readMessage(_ file: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandError.unreadableMessage(file)
        }
        return [UInt8](data)
    }
}

/// Errors of the commands themselves.
public enum CommandError: Error, Sendable, CustomStringConvertible {
    /// The message file cannot be read.
    case unreadableMessage(String)
    /// Not a reference number like LS-2026-0007.
    case badReference(String)
    /// No statement has this reference.
    case unknownStatement(String)
    /// Not a date.
    case badDate(String)

    public var description: String {
        switch self {
        case .unreadableMessage(let file): "cannot read message file \(file)"
        case .badReference(let text): "\(text) is not a reference number like LS-2026-0007"
        case .unknownStatement(let reference): "no statement is recorded as \(reference)"
        case .badDate(let text): "\(text) is not a date (use YYYY-MM-DD)"
        }
    }
}
