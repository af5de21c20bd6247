import Foundation
import LiaisonCore
import LiaisonDocuments
import LiaisonStore
import LiaisonTemplates
import Logging
import MailTransport

/// Everything a running Liaison needs, built from a validated configuration.
///
/// Start-up fails here, before anything touches a server, when a secret, the templates or the
/// state directory are not usable.
struct Runtime: Sendable {
    let configuration: Configuration
    let store: SQLiteStore
    let lock: StateDirectoryLock
    let templates: TemplateLibrary
    let mailbox: IMAPMailbox
    let sender: SMTPSender
    let processor: IntakeProcessor
    let clock: any WallClock
    /// Test-only crash points (`LIAISON_CRASH_AT`); ``CrashPoints/none`` in every real run.
    let crashPoints: CrashPoints

    init(configuration: Configuration, clock: any WallClock = SystemClock(), logger: Logger) throws {
        self.configuration = configuration
        // Test-only: LIAISON_CLOCK_FILE shifts the system clock (ClockInjection); warned about.
        self.clock = try ClockInjection.clock(replacing: clock, logger: logger)
        self.crashPoints = try CrashInjection.crashPoints()
        let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
        try templates.checkRequired()
        self.templates = templates
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        self.lock = try StateDirectoryLock(directory: configuration.stateDirectory)
        self.store = try SQLiteStore(path: configuration.databasePath)
        self.processor = Runtime.processor(for: configuration, templates: templates)
        self.mailbox = try IMAPMailbox(
            configuration: Runtime.imapConfiguration(configuration), logger: logger)
        self.sender = try SMTPSender(configuration: Runtime.smtpConfiguration(configuration), logger: logger)
        for warning in SecurityWarnings.of(configuration) { logger.warning("\(warning)") }
    }

    var poller: MailboxPoller {
        MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock, crashPoints: crashPoints)
    }

    var reminders: ReminderRun {
        ReminderRun(
            store: store,
            planner: Runtime.reminderPlanner(for: configuration),
            mail: processor.mail,
            clock: clock,
            engagement: engagement)
    }

    /// Invitations to comment: reminders to engagement managers and the summaries on the closing
    /// date, run with every reminder run (docs/engagement.md).
    var engagement: EngagementRun {
        EngagementRun(store: store, mail: processor.mail, directory: configuration.directory, clock: clock)
    }

    /// The reminder planner of a configuration (schedule, time zone, directory, recipients), also
    /// used by `liaison remind`.
    static func reminderPlanner(for configuration: Configuration) -> ReminderPlanner {
        ReminderPlanner(
            schedule: configuration.reminders.schedule, timeZone: configuration.intake.timeZone,
            directory: configuration.directory, recipientPolicy: configuration.reminders.recipients)
    }

    var digests: DigestRun {
        DigestRun(
            store: store,
            planner: DigestPlanner(
                schedule: configuration.digest, timeZone: configuration.intake.timeZone, directory: configuration.directory,
                serviceManager: configuration.intake.liaisonManager),
            mail: processor.mail,
            clock: clock)
    }

    var dispatcher: OutboxDispatcher {
        OutboxDispatcher(
            store: store, sender: sender, clock: clock, retryPolicy: configuration.retry, notices: processor.mail,
            crashPoints: crashPoints)
    }

    /// The pipeline's pure part, also used by `parse` and `route`.
    static func processor(for configuration: Configuration, templates: any TemplateRendering) -> IntakeProcessor {
        IntakeProcessor(
            settings: configuration.intake,
            extractor: StatementExtractor(
                directory: configuration.directory, dates: DateText(dayFirst: configuration.dayFirstDates),
                attachmentReader: DocumentTextReader()),
            router: Router(directory: configuration.directory, rules: configuration.rules, liaisonManager: configuration.intake.liaisonManager),
            mail: OutgoingMailFactory(settings: configuration.intake, templates: templates)
        )
    }

    static func imapConfiguration(_ configuration: Configuration) throws -> IMAPConfiguration {
        let imap = configuration.imap
        let password = try SecretFile.read(imap.passwordFile, key: "imap.password_file", configFile: configuration.file)
        return IMAPConfiguration(
            url: imap.url,
            mailbox: imap.mailbox,
            username: imap.username,
            password: password,
            tls: imap.tls,
            caFile: imap.caFile,
            allowPlaintextAuthentication: imap.allowPlaintext
        )
    }

    static func smtpConfiguration(_ configuration: Configuration) throws -> SMTPConfiguration {
        let smtp = configuration.smtp
        var password: String?
        if let file = smtp.passwordFile {
            password = try SecretFile.read(file, key: "smtp.password_file", configFile: configuration.file)
        }
        return SMTPConfiguration(
            url: smtp.url,
            tls: smtp.tls,
            caFile: smtp.caFile,
            username: smtp.username,
            password: password,
            allowPlaintextAuthentication: smtp.allowPlaintext,
            heloName: smtp.heloName
        )
    }
}

/// The real wall clock.
public struct SystemClock: WallClock {
    /// Creates the clock.
    public init() {}

    public func now() -> Date { Date() }
}
