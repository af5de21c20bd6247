/// One text a statement can be read from: the mail's text body or the text of an attachment.
///
/// Fields are looked for in the first ``scanLimit`` characters only (cut at a line end): a
/// statement's header, addressees and deadline are on its first pages, and a 2 MB attachment must
/// not cost seconds.
struct TextDocument {
    /// The text fields are read from.
    var text: String
    /// The attachment's file name, `nil` for the mail body.
    var attachmentName: String?

    static let scanLimit = 64 * 1024

    init(text: String, attachmentName: String?) {
        self.attachmentName = attachmentName
        if text.utf8.count <= TextDocument.scanLimit {
            self.text = text
        } else {
            let prefix = text.prefix(TextDocument.scanLimit)
            self.text = String(prefix[..<(prefix.lastIndex(of: "\n") ?? prefix.endIndex)])
        }
    }

    /// Where line `line` of this text is.
    func source(line: Int, _ confidence: Double) -> FieldSource {
        if let attachmentName {
            FieldSource(origin: .attachment, location: "\(attachmentName) line \(line)", confidence: confidence)
        } else {
            FieldSource(origin: .body, location: "line \(line)", confidence: confidence)
        }
    }

    /// The whole text as a source.
    func source(_ confidence: Double) -> FieldSource {
        if let attachmentName {
            FieldSource(origin: .attachment, location: attachmentName, confidence: confidence)
        } else {
            FieldSource(origin: .body, location: "text", confidence: confidence)
        }
    }
}

/// What one text gave: the fields found in it, the layout it follows and how much it said.
struct DocumentReading {
    var statement: Statement
    var layout: StatementLayout
    /// The number of fields found; the text with the most is the statement itself.
    var score: Int
    /// A deadline phrase that is no date ("before the next SG15 meeting"), with its source.
    var undatedDeadline: (phrase: String, source: FieldSource)?
    /// The first "Date of Next Meetings" date of a 3GPP statement.
    var nextMeeting: (date: CalendarDate, source: FieldSource)?
    /// The name under the closing of a letter.
    var signatureName: String?
}

/// Label names, lowercased, and the field each gives.
enum Label {
    static let title: [String] = ["title", "subject", "ls title"]
    static let submissionDate: [String] = ["submission date", "submitted date"]
    static let from: [String] = [
        "from", "source", "from group", "from groups", "sending organization", "from organization", "from body",
    ]
    static let fromContact: [String] = ["from contact", "from contacts"]
    static let to: [String] = ["to", "to group", "to groups", "addressee", "addressees", "to organization"]
    static let toContacts: [String] = ["to contacts", "to contact"]
    static let forAction: [String] = ["for action to", "for action"]
    static let forComment: [String] = ["for comment to", "for comments to", "for comment"]
    static let forInformation: [String] = ["for information to", "for information"]
    static let cc: [String] = ["cc", "copy to", "copy", "cc contacts"]
    static let response: [String] = [
        "response contacts", "response contact", "send any reply ls to", "send any reply to", "send reply to",
        "send replies to", "reply to",
    ]
    static let technical: [String] = [
        "technical contacts", "technical contact", "contact", "contacts", "contact person", "contact(s)",
        "contact persons",
    ]
    static let email: [String] = ["e-mail address", "email address", "e-mail", "email", "name"]
    static let actionHolders: [String] = ["action holders", "action holder contacts", "action holder"]
    static let purpose: [String] = ["purpose", "for", "document for", "purpose of document"]
    static let deadline: [String] = ["deadline", "reply by", "please reply by", "response deadline", "reply deadline", "due date"]
    static let inResponseTo: [String] = [
        "response to", "in response to", "reply to ls", "referenced liaison", "related liaison", "related liaisons",
        "references", "reference",
    ]
    static let itu: [String] = ["question(s)", "questions", "study group", "working party", "approval", "meeting, date", "meeting"]
    static let threeGPP: [String] = ["release", "work item", "work item(s)"]
    static let datatrackerOnly: [String] = ["url of the ietf web page", "body"]

    static let all: Set<String> = Set(
        title + submissionDate + from + fromContact + to + toContacts + forAction + forComment + forInformation + cc
            + response + technical + email + actionHolders + purpose + deadline + inResponseTo + itu + threeGPP
            + datatrackerOnly)
}

extension StatementExtractor {
    /// Reads the fields one text carries; `reference` is the mail's date, for dates without a year.
    func read(_ document: TextDocument, reference: CalendarDate? = nil) -> DocumentReading {
        let lines = LabeledLines(text: document.text, labels: Label.all)
        let lower = document.text.lowercased()
        let layout = StatementExtractor.layout(of: lines, lowercased: lower)
        let base: Double =
            switch layout {
            case .datatracker: 0.95
            case .ituT, .threeGPP: 0.9
            default: 0.8
            }
        func source(_ entry: LabeledLines.Entry, _ confidence: Double? = nil) -> FieldSource {
            document.source(line: entry.line, confidence ?? base)
        }
        var statement = Statement(layout: layout)
        var reading = DocumentReading(statement: statement, layout: layout, score: 0)

        // Title.
        if let entry = lines.firstValue("title", "ls title") {
            statement.title = entry.value
            statement.sources[.title] = source(entry)
        } else if let entry = lines.firstValue("subject") {
            statement.title = StatementExtractor.title(fromSubject: entry.value) ?? entry.value
            statement.sources[.title] = source(entry, base - 0.1)
        }
        if let entry = lines.all(Label.submissionDate).first, let date = dates.firstDate(in: entry.value) {
            statement.submissionDate = date
            statement.sources[.submissionDate] = source(entry)
        }

        // Sender.
        if let entry = lines.entries.first(where: { Label.from.contains($0.label) && !$0.value.isEmpty }) {
            readSender(entry.value, source: source(entry), into: &statement)
        }
        if statement.fromGroups.isEmpty, let entry = lines.firstValue("study group"),
            let number = entry.value.firstMatch(of: /\d{1,2}/)
        {
            statement.fromGroups = ["ITU-T SG\(number.output)"]
            statement.sources[.fromGroups] = source(entry, base - 0.1)
        }
        if let entry = lines.entries.first(where: { Label.fromContact.contains($0.label) && !$0.value.isEmpty }) {
            let contacts = StatementExtractor.contacts(in: entry.value)
            if !contacts.isEmpty {
                statement.fromContacts = contacts
                statement.sources[.fromContact] = source(entry)
            }
        }

        // Addressees, and the ITU-T "For action/comment/information to:" lines.
        var purposeFound: (Purpose, FieldSource)?
        for entry in lines.entries where Label.to.contains(entry.label) && !entry.value.isEmpty {
            readAddressees(entry.value, source: source(entry), into: &statement)
            break
        }
        if let entry = lines.entries.first(where: { Label.toContacts.contains($0.label) && !$0.value.isEmpty }) {
            let contacts = StatementExtractor.contacts(in: entry.value)
            statement.toContacts = StatementExtractor.unique(statement.toContacts + contacts)
            if statement.toGroups.isEmpty {
                let groups = contacts.compactMap { directory.addressee(forAddress: $0.address) }
                statement.toGroups = StatementExtractor.unique(groups)
            }
            if statement.sources[.to] == nil { statement.sources[.to] = source(entry) }
        }
        let forLines: [([String], Purpose)] = [
            (Label.forAction, .action), (Label.forComment, .comment), (Label.forInformation, .information),
        ]
        for (labels, purpose) in forLines {
            for entry in lines.entries where labels.contains(entry.label) && !StatementExtractor.isNone(entry.value) {
                // "For information: <a sentence>" names no addressee; "For information to: IETF MPLS" does.
                let groups = entry.label.hasSuffix(" to") ? addresseeGroups(in: entry.value) : groupsNamed(in: entry.value)
                statement.toGroups = StatementExtractor.unique(statement.toGroups + groups)
                if statement.sources[.to] == nil { statement.sources[.to] = source(entry) }
                if purposeFound == nil || purpose.strength > purposeFound?.0.strength ?? 0 {
                    purposeFound = (purpose, source(entry, base - 0.05))
                }
                if purpose == .action {
                    statement.actionHolders = StatementExtractor.unique(statement.actionHolders + groups)
                    if statement.sources[.actionHolders] == nil { statement.sources[.actionHolders] = source(entry) }
                }
            }
        }

        // Copies and contacts.
        if let entry = lines.entries.first(where: { Label.cc.contains($0.label) && !StatementExtractor.isNone($0.value) }) {
            let contacts = StatementExtractor.contacts(in: entry.value)
            if !contacts.isEmpty {
                statement.ccContacts = contacts
                statement.sources[.cc] = source(entry)
            }
        }
        if let entry = lines.entries.first(where: { Label.response.contains($0.label) && !StatementExtractor.isNone($0.value) }) {
            let contacts = StatementExtractor.contacts(in: entry.value)
            if !contacts.isEmpty {
                statement.responseContacts = contacts
                statement.sources[.responseContacts] = source(entry)
            }
        }
        if let (contacts, entry) = technicalContacts(lines) {
            statement.technicalContacts = contacts
            statement.sources[.technicalContacts] = source(entry)
        }
        if let entry = lines.entries.first(where: { Label.actionHolders.contains($0.label) && !StatementExtractor.isNone($0.value) }) {
            let contacts = StatementExtractor.contacts(in: entry.value)
            let holders = contacts.isEmpty ? addresseeGroups(in: entry.value) : contacts.map(\.description)
            if !holders.isEmpty {
                statement.actionHolders = StatementExtractor.unique(holders + statement.actionHolders)
                statement.sources[.actionHolders] = source(entry)
            }
        }

        // Purpose: the label, else the for-lines, else the 3GPP actions, else the prose.
        if let entry = lines.entries.first(where: { Label.purpose.contains($0.label) && !$0.value.isEmpty }),
            let purpose = StatementExtractor.purpose(in: entry.value)
        {
            purposeFound = (purpose, source(entry))
        }
        let sections = readSections(document)
        if !sections.actionHolders.isEmpty {
            statement.actionHolders = StatementExtractor.unique(statement.actionHolders + sections.actionHolders)
            if statement.sources[.actionHolders] == nil, let line = sections.actionLine {
                statement.sources[.actionHolders] = document.source(line: line, base - 0.05)
            }
        }
        if purposeFound == nil, let line = sections.actionLine {
            purposeFound = (.action, document.source(line: line, 0.85))
        } else if purposeFound == nil, let line = sections.actionsHeading {
            purposeFound = (.information, document.source(line: line, 0.7))
        }
        if purposeFound == nil, let (purpose, line) = StatementExtractor.purposeInProse(document.text) {
            purposeFound = (purpose, document.source(line: line, 0.6))
        }
        if let (purpose, purposeSource) = purposeFound {
            statement.purpose = purpose
            statement.sources[.purpose] = purposeSource
        }
        reading.nextMeeting = sections.nextMeeting.map { ($0.date, document.source(line: $0.line, 0.5)) }

        // Deadline.
        switch deadline(in: document, reference: reference) {
        case .date(let date, let confidence, let line)?:
            statement.deadline = date
            statement.sources[.deadline] = document.source(line: line, min(confidence, base))
        case .undated(let phrase, let line)?:
            reading.undatedDeadline = (phrase, document.source(line: line, 0.9))
        case nil:
            break
        }

        // The statements this one answers.
        for entry in lines.entries where Label.inResponseTo.contains(entry.label) && !StatementExtractor.isNone(entry.value) {
            statement.inResponseTo += StatementExtractor.responseReferences(in: entry.value, wholeIsTitle: true)
            if statement.sources[.inResponseTo] == nil { statement.sources[.inResponseTo] = source(entry) }
        }
        let textLines = LabeledLines.lines(of: document.text)
        for (offset, line) in textLines.enumerated() where StatementExtractor.isReplyLine(line) {
            // A quoted title may run on to the next lines.
            let sentence = textLines[offset..<min(offset + 3, textLines.count)].joined(separator: " ")
            let found = StatementExtractor.responseReferences(in: sentence, wholeIsTitle: false)
            guard !found.isEmpty else { continue }
            statement.inResponseTo += found
            if statement.sources[.inResponseTo] == nil { statement.sources[.inResponseTo] = document.source(line: offset + 1, 0.7) }
        }
        statement.inResponseTo = StatementExtractor.unique(statement.inResponseTo)

        // Free-form letters: the signature names the sender.
        if layout != .datatracker, let signature = SignatureBlock(text: document.text) {
            if statement.fromContacts.isEmpty, let contact = signature.contact {
                statement.fromContacts = [contact]
                statement.sources[.fromContact] = document.source(line: signature.line, 0.7)
            }
            if statement.fromGroups.isEmpty, let group = signature.group {
                statement.fromGroups = [group]
                statement.sources[.fromGroups] = document.source(line: signature.line, 0.6)
                if statement.fromOrganization == nil, let organization = organization(namedIn: group) {
                    statement.fromOrganization = organization.name
                    statement.sources[.from] = document.source(line: signature.line, 0.6)
                }
            }
            reading.signatureName = signature.name
        }

        // Body.
        if let body = lines.bodyText, let line = lines.bodyLine {
            statement.body = body
            statement.sources[.body] = document.source(line: line, 0.95)
        } else {
            statement.body = document.text.trimmingCharacters(in: " \t\n\r")
            if !statement.body.isEmpty { statement.sources[.body] = document.source(0.6) }
        }

        reading.statement = statement
        reading.score = StatementExtractor.score(statement)
        return reading
    }

    /// The layout a text follows, from its labels and words.
    static func layout(of lines: LabeledLines, lowercased text: String) -> StatementLayout {
        let labels = Set(lines.entries.map(\.label))
        if labels.contains("title"),
            !labels.isDisjoint(with: ["submission date", "submitted date", "url of the ietf web page", "body", "response contacts"]),
            lines.distinctLabels(in: ["from", "to", "purpose", "submission date", "body", "cc"]) >= 2
        {
            return .datatracker
        }
        let ituLabels = labels.intersection(Set(Label.itu + Label.forAction + Label.forComment + Label.forInformation))
        if ituLabels.count >= 2 || (text.contains("itu-t") && text.contains("liaison statement") && ituLabels.count >= 1) {
            return .ituT
        }
        if labels.contains("send any reply ls to") || labels.contains("contact person")
            || text.contains("overall description") || text.contains("3gpp tsg")
        {
            return .threeGPP
        }
        if text.contains("liaise-") || text.contains("broadband forum") { return .broadbandForum }
        if text.contains("ieee 802") || text.contains("ieee p802") { return .ieee }
        return .unrecognised
    }

    /// The contacts of `Contact:`, `Contact Person:` (with `Name:`/`E-mail Address:` lines after it)
    /// or `Technical Contacts:`.
    private func technicalContacts(_ lines: LabeledLines) -> ([Contact], LabeledLines.Entry)? {
        guard let index = lines.entries.firstIndex(where: { Label.technical.contains($0.label) }) else { return nil }
        let entry = lines.entries[index]
        let contacts = StatementExtractor.contacts(in: entry.value)
        if !contacts.isEmpty { return (contacts, entry) }
        // The address is in the next entries: "Name:", "E-mail:" (3GPP), or the ITU-T "E-mail:" cell.
        var name = entry.value.split(whereSeparator: { $0 == ";" || $0 == "," }).first.map {
            String($0).trimmingCharacters(in: " \t")
        }
        for next in lines.entries[(index + 1)...].prefix(4) where next.line - entry.line <= 4 {
            if next.label == "name", !next.value.isEmpty {
                name = next.value
            } else if Label.email.contains(next.label), let address = StatementExtractor.contacts(in: next.value).first {
                return ([Contact(name: name?.isEmpty == false ? name : address.name, address: address.address)], entry)
            }
        }
        return nil
    }

    /// The groups an addressee or for-line names: directory acronyms, else the words as written.
    func addresseeGroups(in value: String) -> [String] {
        let contacts = StatementExtractor.contacts(in: value)
        var groups = contacts.compactMap { directory.addressee(forAddress: $0.address) }
        let words = StatementExtractor.textOutsideAddresses(value)
        groups += groupsNamed(in: words)
        if groups.isEmpty, !words.isEmpty {
            groups = words.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: " \t.") }
                .filter { !$0.isEmpty }
        }
        return StatementExtractor.unique(groups)
    }

    /// The fields found, for choosing the text that is the statement.
    static func score(_ statement: Statement) -> Int {
        [
            statement.title != nil, !statement.fromGroups.isEmpty || statement.fromOrganization != nil,
            !statement.fromContacts.isEmpty, !statement.toGroups.isEmpty || !statement.toContacts.isEmpty,
            !statement.ccContacts.isEmpty, !statement.responseContacts.isEmpty, !statement.technicalContacts.isEmpty,
            statement.purpose != nil, statement.deadline != nil, !statement.actionHolders.isEmpty,
            !statement.inResponseTo.isEmpty, statement.submissionDate != nil,
        ].count(where: { $0 })
    }

    static func isNone(_ value: String) -> Bool {
        let lower = value.lowercased().trimmingCharacters(in: " \t.-–")
        return lower.isEmpty || ["none", "n/a", "na", "-", "nil", "void", "not applicable"].contains(lower)
    }
}

extension Purpose {
    /// How much a purpose asks of the recipient: action > comment > response > information.
    var strength: Int {
        switch self {
        case .action: 4
        case .comment: 3
        case .response: 2
        case .information: 1
        }
    }
}
