/// Decides who receives a statement's forwarded copy, the way the IETF Datatracker does by
/// default, then applies the configured rules.
///
/// Defaults: for a working group, `To` the chairs and the group's list (the list in `To`, as
/// Datatracker issue #9434 asked), `Cc` the area directors — added even when the sender did not
/// copy them, which the decision notes. For an area, `To` the directors, `Cc` the area's copy
/// list (the IETF Chair). Bodies such as the IESG and IAB use their fixed contacts. Per-group
/// `liaisonContacts` replace the default `To`, `liaisonCCContacts` are always copied, the sending
/// organization's liaison managers are always copied, and the archive is blind-copied. A statement
/// delivered to a plus address naming a group (`statements+tsvwg@…`) is addressed to that group.
/// With no known addressee the copy goes to the liaison manager for triage.
public struct Router: Sendable {
    /// The groups, areas and organizations.
    public var directory: Directory
    /// Rules, applied in order (see ``RoutingRule``).
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
    public func route(_ statement: Statement, context: RoutingContext = RoutingContext()) -> RoutingDecision {
        var addressees: [String] = []
        var groupReasons: [String] = []
        func address(_ acronym: String, because reason: String?) {
            let acronym = acronym.lowercased()
            guard !addressees.contains(acronym), isKnown(acronym) else { return }
            addressees.append(acronym)
            if let reason { groupReasons.append("group \(acronym): \(reason)") }
        }
        for acronym in statement.toGroups { address(acronym, because: nil) }
        for intake in context.intakeAddresses {
            if let detail = Router.plusDetail(of: intake) { address(detail, because: "plus address \(intake)") }
        }

        // Rules first decide groups, lead, triage and whether defaults stand.
        var matched: [RoutingRule] = []
        for rule in rules where rule.matches(statement, context: context) {
            matched.append(rule)
            for acronym in rule.addGroups { address(acronym, because: "added by rule \(rule.label)") }
            if rule.stop { break }
        }
        let replacing = matched.lastIndex { $0.replaceRecipients }
        let triageRule = matched.first { $0.triage }

        var recipients = RecipientList()
        var notes: [String] = []
        var decision = RoutingDecision()
        if let triageRule {
            // Held for triage: only the liaison manager (and the copies that always go) receive it.
            recipients.add(liaisonManager, to: .to, reason: "liaison manager: triage by rule \(triageRule.label)")
            decision.isTriage = true
        } else if replacing == nil {
            for acronym in addressees { addDefaults(for: acronym, statement: statement, to: &recipients, notes: &notes) }
        }
        for (index, rule) in matched.enumerated() where triageRule == nil && (replacing.map({ index >= $0 }) ?? true) {
            if index == replacing {
                // A replacing rule routes its own groups by default, and nothing else.
                for acronym in rule.addGroups { addDefaults(for: acronym, statement: statement, to: &recipients, notes: &notes) }
            }
            for contact in rule.addTo { recipients.add(contact, to: .to, reason: "rule \(rule.label)") }
            for contact in rule.addCc { recipients.add(contact, to: .cc, reason: "rule \(rule.label)") }
        }

        if recipients.isEmpty {
            recipients.add(liaisonManager, to: .to, reason: "liaison manager: no known group addressed (triage)")
            decision.isTriage = true
        }
        if let name = statement.fromOrganization, let organization = directory.organization(named: name) {
            for manager in organization.liaisonManagers {
                recipients.add(manager, to: .cc, reason: "liaison manager for \(organization.name) (sending organization)")
            }
            for manager in organization.engagementManagers {
                recipients.add(manager, to: .cc, reason: "engagement manager for \(organization.name) (sending community)")
            }
        }
        for contact in directory.archive {
            recipients.add(contact, to: .bcc, reason: "archive (blind copy)")
        }

        let leadRule = matched.last { $0.lead != nil && addressees.contains($0.lead ?? "") }
        decision.lead = leadRule?.lead ?? addressees.first
        if let lead = decision.lead, addressees.count > 1 {
            groupReasons.append("lead group: \(lead) (\(leadRule.map { "rule \($0.label)" } ?? "first addressed"))")
        }
        decision.groups = decision.lead.map { lead in [lead] + addressees.filter { $0 != lead } } ?? addressees
        decision.to = recipients.to
        decision.cc = recipients.cc
        decision.bcc = recipients.bcc
        decision.reasons = groupReasons + recipients.reasons
        decision.notes = notes
        return decision
    }

    private func isKnown(_ acronym: String) -> Bool {
        directory.groups[acronym] != nil || directory.areas[acronym] != nil
    }

    /// `tsvwg` for `statements+tsvwg@ietf.org`.
    static func plusDetail(of address: String) -> String? {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+") else { return nil }
        let detail = address[address.index(after: plus)..<at]
        return detail.isEmpty ? nil : detail.lowercased()
    }

    private func addDefaults(for acronym: String, statement: Statement, to recipients: inout RecipientList, notes: inout [String]) {
        if let group = directory.groups[acronym] {
            addGroupRecipients(group, statement: statement, to: &recipients, notes: &notes)
        } else if let area = directory.areas[acronym] {
            for director in area.directors {
                recipients.add(director, to: .to, reason: "directors of area \(area.acronym) (addressed area)")
            }
            for contact in area.cc {
                recipients.add(contact, to: .cc, reason: "copy for statements to area \(area.acronym)")
            }
        }
    }

    private func addGroupRecipients(_ group: Group, statement: Statement, to recipients: inout RecipientList, notes: inout [String]) {
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
            let copied = Set((statement.toContacts + statement.ccContacts).map { $0.address.lowercased() })
            let missing = area.directors.filter { !copied.contains($0.address.lowercased()) }
            for director in area.directors {
                recipients.add(director, to: .cc, reason: "directors of area \(area.acronym) (area of \(group.acronym))")
            }
            if !missing.isEmpty && !area.directors.isEmpty {
                notes.append(
                    "area directors of \(area.acronym) added for \(group.acronym): the statement did not copy "
                        + missing.map(\.address).joined(separator: ", "))
            }
        }
        for contact in group.liaisonCCContacts {
            recipients.add(contact, to: .cc, reason: "liaison copy contact of \(group.acronym)")
        }
    }
}

/// Collects recipients without duplicates; an address already in `To` is not added to `Cc`, and
/// a `Cc` recipient moves to `To` when a `To` reason comes along.
private struct RecipientList {
    enum Field { case to, cc, bcc }

    private(set) var to: [Contact] = []
    private(set) var cc: [Contact] = []
    private(set) var bcc: [Contact] = []
    private(set) var reasons: [String] = []
    private var seen: Set<String> = []

    var isEmpty: Bool { to.isEmpty && cc.isEmpty }

    mutating func add(_ contact: Contact, to field: Field, reason: String) {
        let key = contact.address.lowercased()
        if seen.contains(key) {
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
        case .bcc: bcc.append(contact)
        }
        reasons.append("\(contact.address): \(reason)")
    }
}
