/// A configured routing rule: when its conditions hold, it adds groups or recipients.
///
/// Every condition that is set must hold; a rule with no condition applies to every statement.
public struct RoutingRule: Sendable, Equatable {
    /// The rule's name, shown in the reasons of a routing decision.
    public var name: String
    /// Matches when the statement is addressed to this group or area acronym.
    public var toGroup: String?
    /// Matches when the sending organization has this name.
    public var fromOrganization: String?
    /// Matches when the statement has this purpose.
    public var purpose: Purpose?
    /// Matches when the title contains this text (case-insensitive).
    public var titleContains: String?
    /// Groups or areas to route to as well, by acronym.
    public var addGroups: [String]
    /// Recipients to add in `To`.
    public var addTo: [Contact]
    /// Recipients to add in `Cc`.
    public var addCc: [Contact]

    /// Creates a rule.
    public init(
        name: String,
        toGroup: String? = nil,
        fromOrganization: String? = nil,
        purpose: Purpose? = nil,
        titleContains: String? = nil,
        addGroups: [String] = [],
        addTo: [Contact] = [],
        addCc: [Contact] = []
    ) {
        self.name = name
        self.toGroup = toGroup?.lowercased()
        self.fromOrganization = fromOrganization
        self.purpose = purpose
        self.titleContains = titleContains
        self.addGroups = addGroups.map { $0.lowercased() }
        self.addTo = addTo
        self.addCc = addCc
    }

    /// Whether the rule applies to a statement.
    public func matches(_ statement: Statement) -> Bool {
        if let toGroup, !statement.toGroups.contains(where: { $0.lowercased() == toGroup }) { return false }
        if let fromOrganization, statement.fromOrganization?.lowercased() != fromOrganization.lowercased() {
            return false
        }
        if let purpose, statement.purpose != purpose { return false }
        if let titleContains {
            guard let title = statement.title, title.lowercased().contains(titleContains.lowercased()) else {
                return false
            }
        }
        return true
    }
}
