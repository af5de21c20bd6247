import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import Logging
import MailTransport

extension Runtime {
    /// A runtime for a reloaded configuration (SIGHUP), validated as fully as at start-up:
    /// templates, secrets, IMAP and SMTP settings. It keeps the store, the state-directory lock,
    /// the clock and the crash points of `old`, and `old`'s IMAP mailbox and SMTP sender when
    /// their settings (password included) did not change, so their connections stay open.
    ///
    /// - Throws: the first problem found; nothing of `old` is touched then.
    init(reloading configuration: Configuration, from old: Runtime, logger: Logger) throws {
        let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
        try templates.checkRequired()
        let imap = try Runtime.imapConfiguration(configuration)
        let smtp = try Runtime.smtpConfiguration(configuration)
        self.mailbox = imap == old.mailbox.configuration ? old.mailbox : try IMAPMailbox(configuration: imap, logger: logger)
        self.sender = smtp == old.sender.configuration ? old.sender : try SMTPSender(configuration: smtp, logger: logger)
        self.configuration = configuration
        self.templates = templates
        self.store = old.store
        self.lock = old.lock
        self.clock = old.clock
        self.crashPoints = old.crashPoints
        self.processor = Runtime.processor(for: configuration, templates: templates)
        for warning in SecurityWarnings.of(configuration) { logger.warning("\(warning)") }
    }

    /// The outbox dispatcher sending through `sender` (the daemon's logging wrapper of ``sender``).
    func dispatcher(sending sender: any MailSender) -> OutboxDispatcher {
        OutboxDispatcher(
            store: store, sender: sender, clock: clock, retryPolicy: configuration.retry, notices: processor.mail,
            crashPoints: crashPoints)
    }
}
