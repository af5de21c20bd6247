import Foundation
public import LiaisonCore
public import LiaisonStore
public import LiaisonTemplates

/// What the HTTP endpoints read: the store, the daemon's last-seen server status, the clock and
/// the dashboard's templates. Nothing here opens a mail server connection.
public struct ObservabilityContext: Sendable {
    /// The daemon's database.
    public var store: SQLiteStore
    /// The IMAP and SMTP outcomes the intake service recorded.
    public var status: ServiceStatus
    /// The time source (a fixed clock in tests).
    public var clock: any WallClock
    /// The time zone deadlines are days in (the configuration's `service.time_zone`).
    public var timeZone: TimeZone
    /// Seconds between polls: a poll older than three intervals plus a minute fails `/healthz`.
    public var pollInterval: Int
    /// The `templates/web` templates.
    public var templates: WebTemplateLibrary

    /// Creates the context.
    public init(
        store: SQLiteStore, status: ServiceStatus, clock: any WallClock, timeZone: TimeZone, pollInterval: Int,
        templates: WebTemplateLibrary
    ) {
        self.store = store
        self.status = status
        self.clock = clock
        self.timeZone = timeZone
        self.pollInterval = pollInterval
        self.templates = templates
    }

    /// The calendar day of `date` in ``timeZone``.
    func day(of date: Date) -> CalendarDate? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}
