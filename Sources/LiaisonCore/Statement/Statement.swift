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
    /// Why the statement was sent.
    public var purpose: Purpose?
    /// The date by which a reply is expected.
    public var deadline: CalendarDate?
    /// Identifiers given by other bodies (Tdoc numbers, `SG15-LS54`, `LIAISE-420`).
    public var identifiers: [String]
    /// The statement's text.
    public var body: String
    /// The attachments carried by the mail.
    public var attachments: [AttachmentSummary]
    /// Where each field was read.
    public var sources: [StatementField: FieldSource]
    /// The required fields that could not be found.
    public var missing: [StatementField]
    /// The layout the extractor recognised.
    public var layout: StatementLayout

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
        self.purpose = nil
        self.deadline = nil
        self.identifiers = []
        self.body = ""
        self.attachments = []
        self.sources = [:]
        self.missing = []
        self.layout = layout
    }

    /// Whether a person has to look at the statement before it can be handled normally.
    public var needsTriage: Bool { !missing.isEmpty }
}

/// The shapes of statement mail the extractor recognises.
public enum StatementLayout: String, Sendable, Codable {
    /// The IETF Datatracker notification (`Title:`, `Submission Date:`, … `Body:`).
    case datatracker
    /// A plain e-mail whose subject is the title ("LS on …", "Liaison statement: …").
    case subjectLine = "subject-line"
    /// Nothing recognisable.
    case unrecognised
}
