import Foundation
public import LiaisonCore
public import MailTransport

/// The settings of the IMAP account statements arrive in.
public struct IMAPSettings: Sendable, Equatable {
    /// `imap://host:port` or `imaps://host:port`.
    public var url: String
    /// How the connection is protected.
    public var tls: TLSMode
    /// The login name.
    public var username: String
    /// The file holding the password (never the password itself).
    public var passwordFile: String
    /// A CA bundle to verify the server with, instead of the system's.
    public var caFile: String?
    /// The mailbox polled.
    public var mailbox: String
    /// The folder processed messages move to.
    public var processedFolder: String
    /// The folder quarantined messages move to.
    public var quarantineFolder: String
    /// Seconds between polls.
    public var pollInterval: Int
    /// `tls: none` with `allow_plaintext: true`: the password goes in clear, on purpose.
    public var allowPlaintext: Bool = false
    /// `idle:` — wait for new mail with IMAP IDLE between polls. `nil` (the default): when the
    /// server offers IDLE; `true`: the same, but a server without it is a warning; `false`: poll only.
    public var idle: Bool? = nil
}

/// The settings of the SMTP submission server.
public struct SMTPSettings: Sendable, Equatable {
    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    /// How the connection is protected.
    public var tls: TLSMode
    /// The login name, if the server needs one.
    public var username: String?
    /// The file holding the password.
    public var passwordFile: String?
    /// A CA bundle to verify the server with.
    public var caFile: String?
    /// The name given in EHLO.
    public var heloName: String
    /// `tls: none` with `allow_plaintext: true`: credentials and mail go in clear, on purpose.
    public var allowPlaintext: Bool = false
}

/// Everything `liaison.yaml` configures, validated; secrets are still only file names.
public struct Configuration: Sendable {
    /// The file the configuration was read from.
    public var file: String
    /// Pipeline settings: addresses, reference numbers, folders, time zone.
    public var intake: IntakeSettings
    /// The directory holding the SQLite database and the lock file.
    public var stateDirectory: String
    /// The directory holding the Mustache templates.
    public var templatesDirectory: String
    /// How `15/01/2027`-style dates are read.
    public var dayFirstDates: Bool
    /// The IMAP account.
    public var imap: IMAPSettings
    /// The SMTP server.
    public var smtp: SMTPSettings
    /// Outbox retry schedule.
    public var retry: RetryPolicy
    /// Groups, areas and organizations.
    public var directory: Directory
    /// Routing rules.
    public var rules: [RoutingRule]
    /// Reminder days and recipients (`reminders:`).
    public var reminders = ReminderSettings()
    /// The weekly digest to liaison managers (`digest:`).
    public var digest = DigestSchedule()
    /// The HTTP server for `/healthz`, `/metrics` and the dashboard (`http:`); `nil` when off.
    public var http: HTTPSettings? = nil
    /// The log level (`logging:`).
    public var logging = LoggingSettings()

    /// The database file inside the state directory.
    public var databasePath: String {
        URL(fileURLWithPath: stateDirectory).appendingPathComponent("liaison.sqlite").path
    }
}
