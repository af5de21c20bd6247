/// Who approves a statement the IETF sends, as RFC 4053 §4 and draft-iab-rfc4053bis §4.1 say:
/// a working group's statement needs one of its area directors, an area's statement its
/// directors, a statement of the IETF or the IESG the IETF Chair, and the IAB's the IAB.
public struct ApprovalPolicy: Sendable {
    /// The directory the roles are read from.
    public var directory: Directory

    /// Creates a policy.
    public init(directory: Directory) {
        self.directory = directory
    }

    /// The approvers of a statement from `groups` (directory acronyms). The first group decides,
    /// as the lead: the Datatracker takes the approvers common to all From groups, which for
    /// groups of two areas is nobody.
    ///
    /// - A working group: the directors of its area.
    /// - An area: its directors.
    /// - `ietf` or `iesg`: the IETF body's `to` (the IETF Chair).
    /// - `iab`: the IAB body's `to` and `cc` (the IAB Chair, the Executive Director, the IAB).
    /// - Another body: its `to`.
    public func approvers(for groups: [String]) -> [Contact] {
        guard let lead = groups.first?.lowercased() else { return [] }
        var found: [Contact] = []
        if let area = directory.areas[lead] {
            found = area.directors
        } else if lead == "ietf" || lead == "iesg" {
            found = directory.groups["ietf"]?.liaisonContacts ?? directory.groups[lead]?.liaisonContacts ?? []
        } else if lead == "iab", let iab = directory.groups["iab"] {
            found = iab.liaisonContacts + iab.liaisonCCContacts
        } else if let group = directory.groups[lead] {
            if let area = group.area.flatMap({ directory.areas[$0] }) {
                found = area.directors
            } else {
                found = group.liaisonContacts
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0.address.lowercased()).inserted }
    }

    /// Whether `address` may approve a statement from `groups`.
    public func mayApprove(_ address: String, groups: [String]) -> Bool {
        approvers(for: groups).contains { $0.address.lowercased() == address.lowercased() }
    }

    /// Who may state that approval was already obtained (`Approval: obtained`): the approvers,
    /// the chairs of the From groups, and the liaison managers (the service's and the peer's).
    public func mayClaimPriorApproval(
        _ address: String, groups: [String], organization: String?, liaisonManager: Contact
    ) -> Bool {
        var contacts = approvers(for: groups) + [liaisonManager]
        for acronym in groups {
            if let chairs = directory.groups[acronym.lowercased()]?.chairs { contacts.append(chairs) }
        }
        if let organization = organization.flatMap({ directory.organization(named: $0) }) {
            contacts += organization.liaisonManagers
        }
        return contacts.contains { $0.address.lowercased() == address.lowercased() }
    }
}
