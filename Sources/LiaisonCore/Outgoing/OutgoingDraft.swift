import Foundation
public import MIME

/// A statement the IETF wants to send, as a submitter mailed it to the submission address: the
/// fields in the Datatracker's layout (`Title:`, `From:`, `To:`, `Cc:`, `Response Contacts:`,
/// `Technical Contacts:`, `Purpose:`, `Deadline:`, `Body:`), any other `Label: value` lines (the
/// peer's own fields, e.g. `Question(s):`), and the attachments.
public struct OutgoingDraft: Sendable, Equatable {
    /// An attached document, kept byte for byte to be sent on.
    public struct Attachment: Sendable, Equatable {
        /// The file name (`attachment-N` when the mail gave none).
        public var filename: String
        /// The MIME type.
        public var contentType: String
        /// The decoded bytes.
        public var bytes: [UInt8]

        /// The extension, lowercased, without the dot (`""` when there is none).
        public var fileExtension: String {
            guard let dot = filename.lastIndex(of: "."), dot != filename.startIndex else { return "" }
            return filename[filename.index(after: dot)...].lowercased()
        }
    }

    /// The title.
    public var title: String?
    /// The `From:` value as written (e.g. `IETF MPLS WG`).
    public var fromText: String?
    /// The IETF groups, areas or bodies of `From:`, as directory acronyms.
    public var fromGroups: [String]
    /// The `To:` value as written (e.g. `ITU-T SG15`).
    public var toText: String?
    /// The peer organization `To:` names (its directory name), if known.
    public var toOrganization: String?
    /// The addresses named in `To:`.
    public var toContacts: [Contact]
    /// The addresses of `Cc:`.
    public var ccContacts: [Contact]
    /// Where the peer should send its response.
    public var responseContacts: [Contact]
    /// Whom to ask for clarification.
    public var technicalContacts: [Contact]
    /// The purpose, if `Purpose:` names one.
    public var purpose: Purpose?
    /// The `Purpose:` value as written.
    public var purposeText: String?
    /// The deadline, if `Deadline:` (or `Please reply by`) gives a date.
    public var deadline: CalendarDate?
    /// The deadline as written.
    public var deadlineText: String?
    /// Every `Label: value` line before `Body:`, label lowercased (`question(s)` → `14/15`).
    public var fields: [String: String]
    /// The labels as written, in order, for the sent statement.
    public var fieldOrder: [String]
    /// The text after `Body:`, else the whole text.
    public var body: String
    /// The attachments.
    public var attachments: [Attachment]
    /// Whether the submitter states that approval was obtained (`Approval: obtained`,
    /// `Prior approval: yes`).
    public var claimsPriorApproval: Bool
    /// Who mailed the draft (`From` of the mail).
    public var submitter: Contact?

    /// Creates a draft from its parts (tests, and ``parse(_:directory:dates:peerLabels:)``).
    public init(
        title: String?, fromText: String?, fromGroups: [String], toText: String?, toOrganization: String?,
        toContacts: [Contact], ccContacts: [Contact], responseContacts: [Contact], technicalContacts: [Contact],
        purpose: Purpose?, purposeText: String?, deadline: CalendarDate?, deadlineText: String?,
        fields: [String: String], fieldOrder: [String], body: String, attachments: [Attachment],
        claimsPriorApproval: Bool, submitter: Contact?
    ) {
        self.title = title
        self.fromText = fromText
        self.fromGroups = fromGroups
        self.toText = toText
        self.toOrganization = toOrganization
        self.toContacts = toContacts
        self.ccContacts = ccContacts
        self.responseContacts = responseContacts
        self.technicalContacts = technicalContacts
        self.purpose = purpose
        self.purposeText = purposeText
        self.deadline = deadline
        self.deadlineText = deadlineText
        self.fields = fields
        self.fieldOrder = fieldOrder
        self.body = body
        self.attachments = attachments
        self.claimsPriorApproval = claimsPriorApproval
        self.submitter = submitter
    }

    /// The labels with a meaning of their own; every other label is a peer field.
    static let standardLabels: Set<String> = [
        "title", "subject", "from", "to", "cc", "response contacts", "response contact", "technical contacts",
        "technical contact", "purpose", "deadline", "please reply by", "body", "approval", "prior approval",
    ]

    /// Reads a draft from a mail; `peerLabels` are the labels the profiles require (so that a
    /// label such as `Question(s)` is read even though it is not a Datatracker field).
    public static func parse(
        _ message: MIMEMessage, directory: Directory, dates: DateText = DateText(), peerLabels: [String] = []
    ) -> OutgoingDraft {
        let text = message.textBody() ?? ""
        var labels = standardLabels
        for label in peerLabels {
            for alternative in label.split(separator: "|") { labels.insert(LabeledLines.normalise(alternative)) }
        }
        // Any other "Label:" line of the header block counts too: collect candidate labels first.
        for line in LabeledLines.lines(of: text) {
            if LabeledLines.normalise(line.prefix { $0 != ":" }) == "body" { break }
            guard let colon = line.firstIndex(of: ":"), line.first?.isWhitespace == false else { continue }
            let label = LabeledLines.normalise(line[..<colon])
            if !label.isEmpty, label.count <= 40, !label.contains("http"), label.first?.isLetter == true { labels.insert(label) }
        }
        let lines = LabeledLines(text: text, labels: labels)
        let extractor = StatementExtractor(directory: directory, dates: dates)
        func value(_ names: String...) -> String? {
            lines.entries.first { names.contains($0.label) && !$0.value.isEmpty }?.value
        }
        var draft = OutgoingDraft(
            title: value("title", "subject") ?? StatementExtractor.title(fromSubject: message.subject),
            fromText: value("from"), fromGroups: [], toText: value("to"), toOrganization: nil, toContacts: [],
            ccContacts: [], responseContacts: [], technicalContacts: [], purpose: nil, purposeText: value("purpose"),
            deadline: nil, deadlineText: value("deadline", "please reply by"), fields: [:], fieldOrder: [],
            body: (lines.bodyText ?? text).trimmingCharacters(in: " \t\r\n"), attachments: [], claimsPriorApproval: false,
            submitter: message.from.first.map { Contact(name: $0.displayName, address: $0.address) })
        for entry in lines.entries where !entry.value.isEmpty && draft.fields[entry.label] == nil {
            draft.fields[entry.label] = entry.value
            if !standardLabels.contains(entry.label) {
                let written = LabeledLines.lines(of: text)[entry.line - 1].prefix { $0 != ":" }
                draft.fieldOrder.append(written.trimmingCharacters(in: " \t"))
            }
        }
        if let from = draft.fromText {
            var groups = StatementExtractor.contacts(in: from).compactMap { directory.addressee(forAddress: $0.address) }
            groups += extractor.groupsNamed(in: StatementExtractor.textOutsideAddresses(from))
            draft.fromGroups = StatementExtractor.unique(groups)
        }
        if let to = draft.toText {
            draft.toContacts = StatementExtractor.contacts(in: to)
            let organization =
                extractor.organization(namedIn: StatementExtractor.textOutsideAddresses(to))
                ?? draft.toContacts.compactMap({ $0.domain }).lazy.compactMap({ directory.organization(forDomain: $0) }).first
            draft.toOrganization = organization?.name
        }
        draft.ccContacts = value("cc").map(StatementExtractor.contacts(in:)) ?? []
        draft.responseContacts = value("response contacts", "response contact").map(StatementExtractor.contacts(in:)) ?? []
        draft.technicalContacts = value("technical contacts", "technical contact").map(StatementExtractor.contacts(in:)) ?? []
        draft.purpose = draft.purposeText.flatMap(StatementExtractor.purpose(in:))
        draft.deadline = draft.deadlineText.flatMap { dates.firstDate(in: $0) }
        let approval = (value("approval", "prior approval") ?? "").lowercased()
        draft.claimsPriorApproval = ["obtained", "yes", "approved", "granted", "given"].contains { approval.hasPrefix($0) }
        for (index, part) in message.attachments.enumerated() {
            draft.attachments.append(
                Attachment(
                    filename: part.filename ?? "attachment-\(index + 1)", contentType: part.contentType.mimeType,
                    bytes: part.decodedBody()))
        }
        return draft
    }

    /// The value of a label (case and spacing ignored), if the draft gives one.
    public func field(_ label: String) -> String? {
        fields[LabeledLines.normalise(label)]
    }

    /// The peer fields in the order written, with their values (for the sent statement).
    public var peerFields: [(label: String, value: String)] {
        fieldOrder.compactMap { label in field(label).map { (label, $0) } }
    }
}
