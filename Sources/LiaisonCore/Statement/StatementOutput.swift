/// The JSON form of an extracted statement printed by `liaison parse --json`, and compared with
/// the expected JSON of the statement fixtures.
///
/// Keys are camelCase: `title`, `from` (`organization`, `groups`, `contact`), `to` (`groups`,
/// `contacts`), `cc`, `responseContacts`, `technicalContacts`, `actionHolders`, `purpose`,
/// `deadline`, `identifiers`, `inResponseTo`, `attachments`, `needsTriage`, `missing`, `sources`,
/// plus `submissionDate`, `layout`, `triageReasons` and `body`. Absent values are `null` or `[]`.
/// Field names in `missing`, `triageReasons` and `sources` use the same paths (`from.groups`,
/// `to.contacts`; `from` and `to` for the whole sender or addressee).
public struct StatementOutput: Encodable, Sendable {
    /// One entry of the output.
    public struct Attachment: Encodable, Sendable {
        public var filename: String
        public var contentType: String
        public var size: Int
        public var sha256: String
        public var read: Bool
        public var unreadReason: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(filename, forKey: .filename)
            try container.encode(contentType, forKey: .contentType)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(read, forKey: .read)
            try container.encode(unreadReason, forKey: .unreadReason)
        }

        enum CodingKeys: String, CodingKey {
            case filename, contentType, size, sha256, read, unreadReason
        }
    }

    /// One entry of the output.
    public struct Reference: Encodable, Sendable {
        public var kind: String
        public var value: String
    }

    /// One entry of the output.
    public struct Source: Encodable, Sendable {
        public var origin: String
        public var location: String
        public var confidence: Double
    }

    /// `from`: the sending organization, its groups and the formal sender.
    struct Sender: Encodable {
        var organization: String?
        var groups: [String]
        var contact: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(organization, forKey: .organization)
            try container.encode(groups, forKey: .groups)
            try container.encode(contact, forKey: .contact)
        }

        enum CodingKeys: String, CodingKey { case organization, groups, contact }
    }

    /// `to`: the addressed groups and contacts.
    struct Addressees: Encodable {
        var groups: [String]
        var contacts: [String]
    }

    /// One entry of the output.
    public struct Reason: Encodable, Sendable {
        public var field: String
        public var reason: String
    }

    public var title: String?
    public var from: String?
    public var fromGroups: [String]
    public var fromContact: String?
    public var toGroups: [String]
    public var toContacts: [String]
    public var cc: [String]
    public var responseContacts: [String]
    public var technicalContacts: [String]
    public var actionHolders: [String]
    public var purpose: String?
    public var deadline: String?
    public var submissionDate: String?
    public var identifiers: [String]
    public var inResponseTo: [Reference]
    public var attachments: [Attachment]
    public var needsTriage: Bool
    public var missing: [String]
    public var triageReasons: [Reason]
    public var sources: [String: Source]
    public var layout: String
    public var body: String
    /// `{"verified": Bool, "detail": String}` when sender authentication is configured, else `null`.
    public var senderAuthentication: SenderAuthentication?

    /// The JSON name of a field, as used in `missing` and as the keys of `sources`.
    public static func key(_ field: StatementField) -> String {
        switch field {
        case .title: "title"
        case .submissionDate: "submissionDate"
        case .from: "from"
        case .fromGroups: "from.groups"
        case .fromContact: "from.contact"
        case .to: "to"
        case .cc: "cc"
        case .responseContacts: "responseContacts"
        case .technicalContacts: "technicalContacts"
        case .actionHolders: "actionHolders"
        case .purpose: "purpose"
        case .deadline: "deadline"
        case .body: "body"
        case .identifiers: "identifiers"
        case .inResponseTo: "inResponseTo"
        case .attachments: "attachments"
        }
    }

    /// The output for a statement.
    public init(_ statement: Statement) {
        title = statement.title
        from = statement.fromOrganization
        fromGroups = statement.fromGroups
        fromContact = statement.fromContacts.isEmpty ? nil : statement.fromContacts.map(\.description).joined(separator: ", ")
        toGroups = statement.toGroups
        toContacts = statement.toContacts.map(\.description)
        cc = statement.ccContacts.map(\.description)
        responseContacts = statement.responseContacts.map(\.description)
        technicalContacts = statement.technicalContacts.map(\.description)
        actionHolders = statement.actionHolders
        purpose = statement.purpose?.rawValue
        deadline = statement.deadline?.description
        submissionDate = statement.submissionDate?.description
        identifiers = statement.identifiers
        inResponseTo = statement.inResponseTo.map { Reference(kind: $0.kind.rawValue, value: $0.value) }
        attachments = statement.attachments.map {
            Attachment(
                filename: $0.filename, contentType: $0.contentType, size: $0.size, sha256: $0.sha256, read: $0.read,
                unreadReason: $0.unreadReason)
        }
        needsTriage = statement.needsTriage
        missing = statement.missing.map(StatementOutput.key)
        triageReasons = statement.triageReasons.map { Reason(field: StatementOutput.key($0.field), reason: $0.reason) }
        var sources: [String: Source] = [:]
        for (field, source) in statement.sources {
            let value = Source(origin: source.origin.rawValue, location: source.location, confidence: source.confidence)
            switch field {
            case .from: sources["from.organization"] = value
            case .to:
                sources["to.groups"] = value
                sources["to.contacts"] = value
            default: sources[StatementOutput.key(field)] = value
            }
        }
        self.sources = sources
        layout = statement.layout.rawValue
        body = statement.body
        senderAuthentication = statement.senderAuthentication
    }

    enum CodingKeys: String, CodingKey {
        case title, from, to, cc, responseContacts, technicalContacts
        case actionHolders, purpose, deadline, submissionDate, identifiers, inResponseTo, attachments, needsTriage
        case missing, triageReasons, sources, layout, body, senderAuthentication
    }

    /// Optional values are written as `null`, so every key is always present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(Sender(organization: from, groups: fromGroups, contact: fromContact), forKey: .from)
        try container.encode(Addressees(groups: toGroups, contacts: toContacts), forKey: .to)
        try container.encode(cc, forKey: .cc)
        try container.encode(responseContacts, forKey: .responseContacts)
        try container.encode(technicalContacts, forKey: .technicalContacts)
        try container.encode(actionHolders, forKey: .actionHolders)
        try container.encode(purpose, forKey: .purpose)
        try container.encode(deadline, forKey: .deadline)
        try container.encode(submissionDate, forKey: .submissionDate)
        try container.encode(identifiers, forKey: .identifiers)
        try container.encode(inResponseTo, forKey: .inResponseTo)
        try container.encode(attachments, forKey: .attachments)
        try container.encode(needsTriage, forKey: .needsTriage)
        try container.encode(missing, forKey: .missing)
        try container.encode(triageReasons, forKey: .triageReasons)
        try container.encode(sources, forKey: .sources)
        try container.encode(layout, forKey: .layout)
        try container.encode(body, forKey: .body)
        try container.encode(senderAuthentication, forKey: .senderAuthentication)
    }

}
