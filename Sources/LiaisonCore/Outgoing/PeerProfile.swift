/// What a peer organization expects of a statement the IETF sends it: the fields its liaison
/// statements carry (ITU-T: `Question(s)`, `Study Group`; 3GPP: `Release`, `Work Item`, …), the
/// attachment formats it accepts, how titles are written, and the address statements go to.
///
/// Profiles live in the directory (`directory.profiles`); the one named `default` (or
/// ``builtInDefault``) applies to organizations without their own.
public struct PeerProfile: Sendable, Equatable {
    /// The profile's name (`ITU-T`, `3GPP`, `default`).
    public var name: String
    /// The directory organizations (names or aliases) it applies to; the name itself always counts.
    public var organizations: [String]
    /// The peer's liaison address (the To-Liaison-Contact of draft-iab-rfc4053bis): every
    /// statement to the organization is sent there as well as to its named contacts.
    public var liaisonAddress: Contact?
    /// Labels the draft must carry with a value. An entry with alternatives separated by `|`
    /// (`For action to|For comment to|For information to`) needs any one of them.
    public var requiredFields: [String]
    /// Attachment file extensions accepted, lowercased without the dot (`pdf`, `docx`, …).
    public var attachmentTypes: [String]
    /// Extensions accepted only together with a readable copy (a `pdf`, `txt` or `html`
    /// attachment): RFC 4053 §2.2.1 allows Word "accompanied by a generally readable copy".
    public var needsReadableCopy: [String]
    /// A regular expression (case-insensitive) the title must match, e.g. `^(Reply )?LS on `.
    public var titlePattern: String?
    /// How to write the title, said when it does not match (`start with "LS on"`).
    public var titleHint: String?
    /// Whether a statement for action or comment must give a deadline (the Datatracker's rule).
    public var deadlineForAction: Bool

    /// Creates a profile.
    public init(
        name: String,
        organizations: [String] = [],
        liaisonAddress: Contact? = nil,
        requiredFields: [String] = [],
        attachmentTypes: [String] = PeerProfile.readableTypes + ["doc", "docx"],
        needsReadableCopy: [String] = ["doc", "docx"],
        titlePattern: String? = nil,
        titleHint: String? = nil,
        deadlineForAction: Bool = true
    ) {
        self.name = name
        self.organizations = organizations
        self.liaisonAddress = liaisonAddress
        self.requiredFields = requiredFields
        self.attachmentTypes = attachmentTypes.map { $0.lowercased() }
        self.needsReadableCopy = needsReadableCopy.map { $0.lowercased() }
        self.titlePattern = titlePattern
        self.titleHint = titleHint
        self.deadlineForAction = deadlineForAction
    }

    /// The formats RFC 4053 calls generally readable: PDF, HTML and plain text.
    public static let readableTypes = ["pdf", "txt", "html", "htm"]

    /// The profile used when the directory defines none for an organization, nor a `default`.
    public static let builtInDefault = PeerProfile(name: "default")

    /// Whether this is the fallback profile.
    public var isDefault: Bool { name.lowercased() == "default" }

    /// Whether the profile applies to the organization named `name` (its canonical name).
    public func applies(to organization: Organization) -> Bool {
        let names = Set(([organization.name] + organization.aliases).map { $0.lowercased() })
        return ([name] + organizations).contains { names.contains($0.lowercased()) }
    }
}

extension Directory {
    /// The profile of a peer organization: its own, else the directory's `default`, else
    /// ``PeerProfile/builtInDefault``.
    public func profile(for organization: Organization?) -> PeerProfile {
        if let organization, let own = profiles.first(where: { !$0.isDefault && $0.applies(to: organization) }) {
            return own
        }
        return profiles.first(where: \.isDefault) ?? .builtInDefault
    }
}
