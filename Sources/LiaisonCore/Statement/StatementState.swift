/// Where a recorded statement stands.
public enum StatementState: String, Sendable, Codable, CaseIterable {
    /// Recorded and routed to its groups.
    case routed
    /// Recorded, but required fields are missing or no group could be found: a liaison manager
    /// has to look at it.
    case needsTriage = "needs-triage"
}
