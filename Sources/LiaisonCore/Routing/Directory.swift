/// An IETF area: its directors receive copies of statements to the area's groups.
public struct Area: Sendable, Equatable {
    /// The area acronym, lowercased (e.g. `ops`).
    public var acronym: String
    /// The area's name (e.g. `Operations and Management`).
    public var name: String
    /// The area directors' address or addresses (often one alias such as `ops-ads@ietf.org`).
    public var directors: [Contact]
    /// Copied when a statement is addressed to the area itself (the Datatracker copies the IETF Chair).
    public var cc: [Contact]

    /// Creates an area.
    public init(acronym: String, name: String, directors: [Contact], cc: [Contact] = []) {
        self.acronym = acronym.lowercased()
        self.name = name
        self.directors = directors
        self.cc = cc
    }
}

/// A group statements can be addressed to: a working group, or a body such as the IESG or IAB.
public struct Group: Sendable, Equatable {
    /// The acronym, lowercased (e.g. `mars`).
    public var acronym: String
    /// The full name (e.g. `Multiple Access Routing Systems`).
    public var name: String
    /// The acronym of the area the group belongs to, if any.
    public var area: String?
    /// The group's discussion list.
    public var list: Contact?
    /// The chairs' address (often the alias `<acronym>-chairs@ietf.org`).
    public var chairs: Contact?
    /// Overrides the default `To` recipients (the Datatracker's `liaison_contact` role).
    public var liaisonContacts: [Contact]
    /// Always copied (the Datatracker's `liaison_cc_contact` role).
    public var liaisonCCContacts: [Contact]
    /// Other names the group is addressed by (e.g. `IETF MARS WG`).
    public var aliases: [String]

    /// Creates a group.
    public init(
        acronym: String,
        name: String,
        area: String? = nil,
        list: Contact? = nil,
        chairs: Contact? = nil,
        liaisonContacts: [Contact] = [],
        liaisonCCContacts: [Contact] = [],
        aliases: [String] = []
    ) {
        self.acronym = acronym.lowercased()
        self.name = name
        self.area = area?.lowercased()
        self.list = list
        self.chairs = chairs
        self.liaisonContacts = liaisonContacts
        self.liaisonCCContacts = liaisonCCContacts
        self.aliases = aliases
    }
}

/// A peer standards body (or community) that sends statements.
public struct Organization: Sendable, Equatable {
    /// The canonical name (e.g. `ITU-T`).
    public var name: String
    /// Other names found in statements (e.g. `ITU-T SG15`, `International Telecommunication Union`).
    public var aliases: [String]
    /// Mail domains of the organization; subdomains match too.
    public var domains: [String]
    /// The IETF liaison manager(s) for this organization.
    public var liaisonManagers: [Contact]
    /// A peer body with a liaison relationship, or a community without one (operator groups,
    /// open-source projects, regulators…; see docs/engagement.md).
    public var kind: OrganizationKind = .peer
    /// For a community: the IETF engagement manager(s), copied on its mail and sending its
    /// invitations to comment.
    public var engagementManagers: [Contact] = []
    /// For a community: where invitations to comment go (a list or a contact person).
    public var contacts: [Contact] = []

    /// Creates an organization.
    public init(name: String, aliases: [String] = [], domains: [String] = [], liaisonManagers: [Contact] = []) {
        self.name = name
        self.aliases = aliases
        self.domains = domains.map { $0.lowercased() }
        self.liaisonManagers = liaisonManagers
    }

    /// Creates a community without a liaison relationship.
    public static func community(
        name: String, aliases: [String] = [], domains: [String] = [], engagementManagers: [Contact], contacts: [Contact] = []
    ) -> Organization {
        var organization = Organization(name: name, aliases: aliases, domains: domains)
        organization.kind = .community
        organization.engagementManagers = engagementManagers
        organization.contacts = contacts
        return organization
    }

    /// Whether `domain` is one of the organization's domains or a subdomain of one.
    public func owns(domain: String) -> Bool {
        let domain = domain.lowercased()
        return domains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }
}

/// The groups, areas and peer organizations Liaison routes by.
///
/// Groups include the IETF's bodies (the IETF, IESG, IAB), which have no list or chairs but fixed
/// `liaisonContacts` and `liaisonCCContacts`.
public struct Directory: Sendable, Equatable {
    /// Areas by acronym.
    public var areas: [String: Area] { didSet { rebuildIndex() } }
    /// Groups by acronym.
    public var groups: [String: Group] { didSet { rebuildIndex() } }
    /// Peer organizations, in configuration order.
    public var organizations: [Organization]
    /// Addresses blind-copied on every forwarded statement (the Datatracker's statements@ archive).
    public var archive: [Contact]
    /// What each peer organization expects of the statements the IETF sends it (`directory.profiles`).
    public var profiles: [PeerProfile] = []
    /// Role address → acronym of the group or area it belongs to.
    private var addressIndex: [String: String] = [:]

    /// Creates a directory.
    public init(areas: [Area] = [], groups: [Group] = [], organizations: [Organization] = [], archive: [Contact] = []) {
        self.areas = Dictionary(areas.map { ($0.acronym, $0) }, uniquingKeysWith: { first, _ in first })
        self.groups = Dictionary(groups.map { ($0.acronym, $0) }, uniquingKeysWith: { first, _ in first })
        self.organizations = organizations
        self.archive = archive
        rebuildIndex()
    }

    /// Indexes the addresses of groups (list, chairs, liaison contacts) and areas (directors);
    /// groups win over areas, and on a tie the alphabetically first acronym wins.
    private mutating func rebuildIndex() {
        var index: [String: String] = [:]
        for acronym in areas.keys.sorted().reversed() {
            for director in areas[acronym]?.directors ?? [] { index[director.address.lowercased()] = acronym }
        }
        for acronym in groups.keys.sorted().reversed() {
            guard let group = groups[acronym] else { continue }
            for contact in [group.list, group.chairs].compactMap(\.self) + group.liaisonContacts {
                index[contact.address.lowercased()] = acronym
            }
        }
        addressIndex = index
    }

    /// The organization owning a mail domain, if any.
    public func organization(forDomain domain: String) -> Organization? {
        organizations.first { $0.owns(domain: domain) }
    }

    /// The organization with this name or alias (case-insensitive), if any.
    public func organization(named name: String) -> Organization? {
        let wanted = name.lowercased()
        return organizations.first { org in
            org.name.lowercased() == wanted || org.aliases.contains { $0.lowercased() == wanted }
        }
    }

    /// The group or area whose list, chairs or liaison-contact address is `address`.
    public func addressee(forAddress address: String) -> String? {
        addressIndex[address.lowercased()]
    }
}
