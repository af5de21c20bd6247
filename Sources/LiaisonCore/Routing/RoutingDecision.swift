/// The recipients of a statement's forwarded copy, and why each one was chosen.
public struct RoutingDecision: Sendable, Equatable, Codable {
    /// Recipients in `To`.
    public var to: [Contact]
    /// Recipients in `Cc`.
    public var cc: [Contact]
    /// Recipients in the envelope only (the archive).
    public var bcc: [Contact]
    /// One line per choice, e.g. `mars-chairs@ietf.org: chairs of mars (addressed group)`.
    public var reasons: [String]
    /// The directory acronyms of the groups the statement was routed to, lead first.
    public var groups: [String]
    /// The group responsible for the reply when several are addressed.
    public var lead: String?
    /// Things worth an entry in the statement's history, e.g. area directors added because the
    /// sender did not copy them.
    public var notes: [String]
    /// `true` when the copy goes to the liaison manager for triage.
    public var isTriage: Bool

    /// Creates a decision.
    public init(
        to: [Contact] = [],
        cc: [Contact] = [],
        bcc: [Contact] = [],
        reasons: [String] = [],
        groups: [String] = [],
        lead: String? = nil,
        notes: [String] = [],
        isTriage: Bool = false
    ) {
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.reasons = reasons
        self.groups = groups
        self.lead = lead
        self.notes = notes
        self.isTriage = isTriage
    }

    /// Every visible recipient address once, `To` first, in order.
    public var allAddresses: [String] {
        RoutingDecision.unique((to + cc).map(\.address))
    }

    /// Every envelope recipient once: `To`, `Cc`, then the blind copies.
    public var envelopeAddresses: [String] {
        RoutingDecision.unique((to + cc + bcc).map(\.address))
    }

    private static func unique(_ addresses: [String]) -> [String] {
        var seen = Set<String>()
        return addresses.filter { seen.insert($0.lowercased()).inserted }
    }

    private enum CodingKeys: String, CodingKey {
        case to, cc, bcc, reasons, groups, lead, notes, isTriage
    }

    /// Decodes a decision, including ones stored before `bcc`, `lead` and `notes` existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        to = try container.decode([Contact].self, forKey: .to)
        cc = try container.decode([Contact].self, forKey: .cc)
        bcc = try container.decodeIfPresent([Contact].self, forKey: .bcc) ?? []
        reasons = try container.decode([String].self, forKey: .reasons)
        groups = try container.decode([String].self, forKey: .groups)
        lead = try container.decodeIfPresent(String.self, forKey: .lead)
        notes = try container.decodeIfPresent([String].self, forKey: .notes) ?? []
        isTriage = try container.decode(Bool.self, forKey: .isTriage)
    }
}
