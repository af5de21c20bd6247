/// A liaison statement as read from a mail: every field it could find, with its source.
///
/// Fields are optional or empty when the mail did not carry them; ``missing`` lists the required
/// ones that are absent, and a statement with anything missing is handled as `needs-triage`.
public struct Statement: Sendable, Equatable, Codable {
    /// The statement's title.
    public var title: String?
    /// The date the sender gives for the statement.
    public var submissionDate: CalendarDate?
    /// The sending organization, as named in the directory when it is known (e.g. `ITU-T`).
    public var fromOrganization: String?
    /// The sending groups as written (e.g. `ITU-T SG15`).
    public var fromGroups: [String]
    /// The formal sender.
    public var fromContacts: [Contact]
    /// The addressed groups: directory acronyms (e.g. `mars`) when known, else as written.
    public var toGroups: [String]
    /// The contacts the statement is addressed to.
    public var toContacts: [Contact]
    /// Contacts in copy.
    public var ccContacts: [Contact]
    /// Where to send a response.
    public var responseContacts: [Contact]
    /// Whom to ask for clarification.
    public var technicalContacts: [Contact]
    /// Who has to act: the groups named by 3GPP `ACTION:` lines or ITU-T `For action to:`, and the
    /// Datatracker's action-holder contacts (directory acronyms when known, else as written).
    public var actionHolders: [String]
    /// Why the statement was sent.
    public var purpose: Purpose?
    /// The date by which a reply is expected.
    public var deadline: CalendarDate?
    /// Identifiers given by other bodies (Tdoc numbers, `SG15-LS54`, `LIAISE-420`).
    public var identifiers: [String]
    /// Clues to the statement this one answers (identifiers, titles, URLs, Message-IDs).
    public var inResponseTo: [ResponseReference]
    /// The statement's text.
    public var body: String
    /// The attachments carried by the mail.
    public var attachments: [AttachmentSummary]
    /// Where each field was read.
    public var sources: [StatementField: FieldSource]
    /// The required fields that could not be found (and `attachments` when one could not be read).
    public var missing: [StatementField]
    /// One sentence per missing or doubtful field, for the liaison manager.
    public var triageReasons: [TriageReason]
    /// The layout the extractor recognised.
    public var layout: StatementLayout
    /// Whether our mail server authenticated the sender (`nil` when no verification is configured);
    /// an unverified statement needs triage.
    public var senderAuthentication: SenderAuthentication?

    /// Creates an empty statement of a layout; extractors fill it in.
    public init(layout: StatementLayout = .unrecognised) {
        self.title = nil
        self.submissionDate = nil
        self.fromOrganization = nil
        self.fromGroups = []
        self.fromContacts = []
        self.toGroups = []
        self.toContacts = []
        self.ccContacts = []
        self.responseContacts = []
        self.technicalContacts = []
        self.actionHolders = []
        self.purpose = nil
        self.deadline = nil
        self.identifiers = []
        self.inResponseTo = []
        self.body = ""
        self.attachments = []
        self.sources = [:]
        self.missing = []
        self.triageReasons = []
        self.layout = layout
        self.senderAuthentication = nil
    }

    private enum CodingKeys: String, CodingKey {
        case title, submissionDate, fromOrganization, fromGroups, fromContacts, toGroups, toContacts, ccContacts
        case responseContacts, technicalContacts, actionHolders, purpose, deadline, identifiers, inResponseTo, body
        case attachments, sources, missing, triageReasons, layout, senderAuthentication
    }

    /// Decodes a statement. Statements recorded by older versions lack some fields; they decode
    /// as empty, and an unknown layout as `unrecognised`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        submissionDate = try c.decodeIfPresent(CalendarDate.self, forKey: .submissionDate)
        fromOrganization = try c.decodeIfPresent(String.self, forKey: .fromOrganization)
        fromGroups = try c.decodeIfPresent([String].self, forKey: .fromGroups) ?? []
        fromContacts = try c.decodeIfPresent([Contact].self, forKey: .fromContacts) ?? []
        toGroups = try c.decodeIfPresent([String].self, forKey: .toGroups) ?? []
        toContacts = try c.decodeIfPresent([Contact].self, forKey: .toContacts) ?? []
        ccContacts = try c.decodeIfPresent([Contact].self, forKey: .ccContacts) ?? []
        responseContacts = try c.decodeIfPresent([Contact].self, forKey: .responseContacts) ?? []
        technicalContacts = try c.decodeIfPresent([Contact].self, forKey: .technicalContacts) ?? []
        actionHolders = try c.decodeIfPresent([String].self, forKey: .actionHolders) ?? []
        purpose = try c.decodeIfPresent(Purpose.self, forKey: .purpose)
        deadline = try c.decodeIfPresent(CalendarDate.self, forKey: .deadline)
        identifiers = try c.decodeIfPresent([String].self, forKey: .identifiers) ?? []
        inResponseTo = try c.decodeIfPresent([ResponseReference].self, forKey: .inResponseTo) ?? []
        body = try c.decodeIfPresent(String.self, forKey: .body) ?? ""
        attachments = try c.decodeIfPresent([AttachmentSummary].self, forKey: .attachments) ?? []
        sources = try c.decodeIfPresent([StatementField: FieldSource].self, forKey: .sources) ?? [:]
        missing = try c.decodeIfPresent([StatementField].self, forKey: .missing) ?? []
        triageReasons = try c.decodeIfPresent([TriageReason].self, forKey: .triageReasons) ?? []
        let layoutName = try c.decodeIfPresent(String.self, forKey: .layout)
        layout = layoutName.flatMap(StatementLayout.init(rawValue:)) ?? .unrecognised
        senderAuthentication = try c.decodeIfPresent(SenderAuthentication.self, forKey: .senderAuthentication)
    }

    /// Whether a person has to look at the statement before it can be handled normally.
    public var needsTriage: Bool { !missing.isEmpty || senderAuthentication?.verified == false }
}

/// The shapes of statement mail the extractor recognises.
public enum StatementLayout: String, Sendable, Codable {
    /// The IETF Datatracker notification (`Title:`, `Submission Date:`, … `Body:`).
    case datatracker
    /// The ITU-T liaison statement header (`Question(s):`, `Study Group:`, `For action to:`, …).
    case ituT = "itu-t"
    /// The 3GPP LS template (`Title:`, `Source:`, `Send any reply LS to:`, `1. Overall Description`, …).
    case threeGPP = "3gpp"
    /// A Broadband Forum liaison (`LIAISE-nnn`).
    case broadbandForum = "broadband-forum"
    /// An IEEE 802 liaison letter.
    case ieee
    /// A plain e-mail whose subject is the title ("LS on …", "Liaison statement: …").
    case subjectLine = "subject-line"
    /// Nothing recognisable.
    case unrecognised
}
