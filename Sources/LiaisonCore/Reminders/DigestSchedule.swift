/// Which statements the service's own liaison manager (`service.liaison_manager`) finds in the weekly digest.
public enum DigestScope: String, Sendable, CaseIterable {
    /// Every open statement and every statement in triage.
    case all
    /// Statements in triage, and the open statements of organizations without a liaison manager
    /// (or of no known organization): nothing falls between two managers.
    case unassigned
    /// No digest for the service's liaison manager (configured as `none`).
    case off = "none"
}

/// When the weekly digest goes out and what it covers.
public struct DigestSchedule: Sendable, Equatable {
    /// Whether digests are sent at all.
    public var enabled: Bool
    /// The day of the week it is sent on.
    public var weekday: Weekday
    /// The hour of that day, 0–23 in the configured time zone, from which it is sent (until midnight).
    public var hour: Int
    /// Deadlines up to this many days ahead are listed as coming up.
    public var horizonDays: Int
    /// What the service's liaison manager receives.
    public var serviceManagerScope: DigestScope

    /// Creates a schedule: by default Mondays from midnight, deadlines in the next 30 days.
    public init(
        enabled: Bool = true,
        weekday: Weekday = .monday,
        hour: Int = 0,
        horizonDays: Int = 30,
        serviceManagerScope: DigestScope = .unassigned
    ) {
        self.enabled = enabled
        self.weekday = weekday
        self.hour = hour
        self.horizonDays = horizonDays
        self.serviceManagerScope = serviceManagerScope
    }
}
