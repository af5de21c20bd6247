/// Decides who receives a statement's forwarded copy, the way the IETF Datatracker does by default.
///
/// For a working group: `To` the chairs and the group's list (the list in `To`, as requested in
/// Datatracker issue #9434), `Cc` the area directors and the sending organization's liaison
/// manager. For an area: `To` the directors. Per-group `liaisonContacts` replace the default `To`,
/// `liaisonCCContacts` are always copied, and rules add groups and recipients. A statement with no
/// known addressee goes to the liaison manager for triage.
public struct Router: Sendable {
    /// The groups, areas and organizations.
    public var directory: Directory
    /// Extra rules, applied in order.
    public var rules: [RoutingRule]
    /// Who gets statements nobody else can be found for.
    public var liaisonManager: Contact

    /// Creates a router.
    public init(directory: Directory, rules: [RoutingRule], liaisonManager: Contact) {
        self.directory = directory
        self.rules = rules
        self.liaisonManager = liaisonManager
    }

    /// Returns the recipients of a statement's copy and the reason for each.
    public func route(_ statement: Statement) -> RoutingDecision {
        var decision = RoutingDecision()
        var recipients = RecipientList()
        var addressees: [String] = []
        for acronym in statement.toGroups.map({ $0.lowercased() }) where !addressees.contains(acronym) {
            if directory.groups[acronym] != nil || directory.areas[acronym] != nil { addressees.append(acronym) }
        }
        var ruleReasons: [String] = []
        for rule in rules where rule.matches(statement) {
            for acronym in rule.addGroups where !addressees.contains(acronym) {
                if directory.groups[acronym] != nil || directory.areas[acronym] != nil {
                    addressees.append(acronym)
                    ruleReasons.append("group \(acronym) added by rule \(rule.name)")
                }
            }
            for contact in rule.addTo { recipients.add(contact, to: .to, reason: "rule \(rule.name)") }
            for contact in rule.addCc { recipients.add(contact, to: .cc, reason: "rule \(rule.name)") }
        }

        for acronym in addressees {
            if let group = directory.groups[acronym] {
                addGroupRecipients(group, to: &recipients)
            } else if let area = directory.areas[acronym] {
                for director in area.directors {
                    recipients.add(director, to: .to, reason: "directors of area \(area.acronym) (addressed area)")
                }
            }
        }

        if addressees.isEmpty && recipients.isEmpty {
            recipients.add(liaisonManager, to: .to, reason: "liaison manager: no known group addressed (triage)")
            decision.isTriage = true
        } else if let name = statement.fromOrganization, let organization = directory.organization(named: name) {
            for manager in organization.liaisonManagers {
                recipients.add(manager, to: .cc, reason: "liaison manager for \(organization.name) (sender)")
            }
        }

        decision.to = recipients.to
        decision.cc = recipients.cc
        decision.reasons = ruleReasons + recipients.reasons
        decision.groups = addressees
        return decision
    }

    private func addGroupRecipients(_ group: Group, to recipients: inout RecipientList) {
        if group.liaisonContacts.isEmpty {
            if let chairs = group.chairs {
                recipients.add(chairs, to: .to, reason: "chairs of \(group.acronym) (addressed group)")
            }
            if let list = group.list {
                recipients.add(list, to: .to, reason: "list of \(group.acronym) (addressed group)")
            }
        } else {
            for contact in group.liaisonContacts {
                recipients.add(contact, to: .to, reason: "liaison contact of \(group.acronym) (addressed group)")
            }
        }
        if let acronym = group.area, let area = directory.areas[acronym] {
            for director in area.directors {
                recipients.add(director, to: .cc, reason: "directors of area \(area.acronym) (area of \(group.acronym))")
            }
        }
        for contact in group.liaisonCCContacts {
            recipients.add(contact, to: .cc, reason: "liaison copy contact of \(group.acronym)")
        }
    }
}

/// Collects recipients without duplicates; an address already in `To` is not added to `Cc`.
private struct RecipientList {
    enum Field { case to, cc }

    private(set) var to: [Contact] = []
    private(set) var cc: [Contact] = []
    private(set) var reasons: [String] = []
    private var seen: Set<String> = []

    var isEmpty: Bool { to.isEmpty && cc.isEmpty }

    mutating func add(_ contact: Contact, to field: Field, reason: String) {
        let key = contact.address.lowercased()
        if seen.contains(key) {
            // Promote a Cc recipient to To when a stronger reason comes along.
            if field == .to, let index = cc.firstIndex(where: { $0.address.lowercased() == key }) {
                to.append(cc.remove(at: index))
                reasons.append("\(contact.address): \(reason)")
            }
            return
        }
        seen.insert(key)
        switch field {
        case .to: to.append(contact)
        case .cc: cc.append(contact)
        }
        reasons.append("\(contact.address): \(reason)")
    }
}
