/// The recipients of a statement's forwarded copy, and why each one was chosen.
public struct RoutingDecision: Sendable, Equatable, Codable {
    /// Recipients in `To`.
    public var to: [Contact]
    /// Recipients in `Cc`.
    public var cc: [Contact]
    /// One line per choice, e.g. `mars-chairs@ietf.org: chairs of mars (addressed group)`.
    public var reasons: [String]
    /// The directory acronyms of the groups the statement was routed to.
    public var groups: [String]
    /// `true` when no addressed group was found and the copy goes to the liaison manager for triage.
    public var isTriage: Bool

    /// Creates a decision.
    public init(to: [Contact] = [], cc: [Contact] = [], reasons: [String] = [], groups: [String] = [], isTriage: Bool = false) {
        self.to = to
        self.cc = cc
        self.reasons = reasons
        self.groups = groups
        self.isTriage = isTriage
    }

    /// Every recipient address once, `To` first, in order.
    public var allAddresses: [String] {
        var seen = Set<String>()
        return (to + cc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }
}
