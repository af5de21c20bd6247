import Foundation
public import MIME

/// Reads a liaison statement out of a parsed mail the way a liaison manager would.
///
/// The statement may be in the mail body or in an attachment (`.docx`, a `.zip` of `.docx`,
/// `.pdf`, `.txt`, `.html`), read through an ``AttachmentTextReader`` when one is given. Each text
/// is read for the layouts seen in the wild: the IETF Datatracker notification, the ITU-T LS
/// header, the 3GPP LS template, Broadband Forum and IEEE letters, and free-form mail ("LS on …"
/// subjects, signature blocks, the sender's domain). The text that says most is the statement;
/// the others fill what it lacks. Every field records where it was read and how sure the reading is.
/// A statement without title, sender, addressee or purpose, for action/comment without a deadline,
/// or with an attachment that could not be read, lists what is missing with a reason for each,
/// and is handled as `needs-triage`.
public struct StatementExtractor: Sendable {
    /// The directory used to recognise organizations and groups.
    public var directory: Directory
    /// How dates are read.
    public var dates: DateText
    /// Reads attachments; `nil` leaves them unread (they are still summarised and hashed).
    public var attachmentReader: (any AttachmentTextReader)?

    /// Creates an extractor.
    public init(directory: Directory, dates: DateText = DateText(), attachmentReader: (any AttachmentTextReader)? = nil) {
        self.directory = directory
        self.dates = dates
        self.attachmentReader = attachmentReader
    }

    /// Extracts the statement carried by `message`.
    public func extract(from message: MIMEMessage) -> Statement {
        let bodyText = message.textBody() ?? ""
        var documents = [TextDocument(text: bodyText, attachmentName: nil)]
        var attachments: [AttachmentSummary] = []
        var attachmentReasons: [TriageReason] = []
        for (index, part) in message.attachments.enumerated() {
            let bytes = part.decodedBody()
            let filename = part.filename ?? "attachment-\(index + 1)"
            var summary = AttachmentSummary(
                filename: filename, contentType: part.contentType.mimeType, size: bytes.count, sha256: SHA256.hex(of: bytes))
            if let attachmentReader {
                let result = attachmentReader.read(bytes, filename: filename, contentType: summary.contentType)
                if let text = result.text, !text.trimmingCharacters(in: " \t\n\r").isEmpty {
                    documents.append(TextDocument(text: text, attachmentName: filename))
                    summary.read = true
                } else if result.text != nil, result.problems.isEmpty {
                    summary.unreadReason = "\(filename): the document holds no text"
                }
                if !result.problems.isEmpty { summary.unreadReason = result.problems.joined(separator: "; ") }
                if let reason = summary.unreadReason {
                    attachmentReasons.append(TriageReason(field: .attachments, reason: reason))
                }
            }
            attachments.append(summary)
        }

        let sent = message.date.flatMap { CalendarDate(year: $0.year, month: $0.month, day: $0.day) }
        let readings = documents.map { read($0, reference: sent) }
        var primary = 0
        for index in readings.indices where readings[index].score > readings[primary].score { primary = index }
        var statement = readings[primary].statement
        statement.layout = readings[primary].score >= 2 ? readings[primary].layout : .unrecognised
        for index in readings.indices where index != primary {
            StatementExtractor.fill(&statement, from: readings[index].statement)
        }
        if statement.layout == .unrecognised,
            let known = readings.first(where: { $0.layout != .unrecognised && $0.layout != .datatracker && $0.score >= 1 })
        {
            statement.layout = known.layout
        }
        // A statement that came as an attachment: the body is the cover letter, unless empty.
        if readings[primary].statement.sources[.body]?.origin == .attachment, !bodyText.trimmingCharacters(in: " \t\n\r").isEmpty {
            statement.body = bodyText.trimmingCharacters(in: " \t\n\r")
            statement.sources[.body] = FieldSource(origin: .body, location: "text", confidence: 0.6)
        }

        // Fields were read from the first part of each text; the body is kept whole.
        if let source = statement.sources[.body], source.origin == .body, source.location == "text" {
            statement.body = bodyText.trimmingCharacters(in: " \t\n\r")
        }
        completeFromHeaders(message: message, readings: readings, into: &statement)
        completeIdentifiers(documents: documents, attachments: attachments, into: &statement)
        completeOrganization(sender: message.from.first?.address, into: &statement)
        completeResponse(message: message, into: &statement)
        completeDeadline(readings: readings, into: &statement)
        if let purpose = statement.purpose, purpose.expectsDeadline, statement.actionHolders.isEmpty, !statement.toGroups.isEmpty {
            statement.actionHolders = statement.toGroups
            statement.sources[.actionHolders] = FieldSource(origin: .derived, location: "addressed groups", confidence: 0.5)
        }
        statement.attachments = attachments
        let undated = readings.compactMap(\.undatedDeadline).first
        let triage = StatementExtractor.triage(statement, undatedDeadline: undated?.phrase, attachmentReasons: attachmentReasons)
        statement.missing = triage.missing
        statement.triageReasons = triage.reasons
        return statement
    }

    /// The title a subject line gives, or `nil` when the subject does not name a statement.
    public static func title(fromSubject subject: String?) -> String? {
        guard var subject = subject?.trimmingCharacters(in: " \t") else { return nil }
        // Reply and forward markers, and list tags such as "[mars]", are not part of the title.
        while true {
            let lower = subject.lowercased()
            if let prefix = ["re:", "fw:", "fwd:", "aw:", "tr:", "wg:"].first(where: { lower.hasPrefix($0) }) {
                subject = String(subject.dropFirst(prefix.count)).trimmingCharacters(in: " \t")
            } else if subject.hasPrefix("["), let close = subject.firstIndex(of: "]") {
                subject = String(subject[subject.index(after: close)...]).trimmingCharacters(in: " \t")
            } else {
                break
            }
        }
        let lower = subject.lowercased()
        if lower.hasPrefix("new liaison statement,") {
            let rest = subject.dropFirst("new liaison statement,".count).trimmingCharacters(in: " \t\"“”")
            return rest.isEmpty ? nil : rest
        }
        for prefix in ["liaison statement:", "liaison statement -", "liaison statement –", "liaison:", "ls:"] where lower.hasPrefix(prefix) {
            let rest = subject.dropFirst(prefix.count).trimmingCharacters(in: " \t")
            return rest.isEmpty ? nil : rest
        }
        let statementPrefixes = [
            "ls on ", "ls to ", "ls from ", "ls/", "ls out ", "ls in ", "reply ls", "response ls", "liaison statement",
            "liaison response", "liaison on ", "response to ls", "response to liaison", "reply to ls", "liaison to ",
            "liaison from ", "lso ", "ls reply",
        ]
        if statementPrefixes.contains(where: { lower.hasPrefix($0) }) {
            return subject
        }
        return nil
    }

    // MARK: - Completing from the mail

    /// Copies into `statement` the fields it lacks that `other` has.
    static func fill(_ statement: inout Statement, from other: Statement) {
        func take<Value>(_ keyPath: WritableKeyPath<Statement, Value>, _ field: StatementField, isEmpty: (Value) -> Bool) {
            guard isEmpty(statement[keyPath: keyPath]), !isEmpty(other[keyPath: keyPath]) else { return }
            statement[keyPath: keyPath] = other[keyPath: keyPath]
            if statement.sources[field] == nil, let source = other.sources[field] { statement.sources[field] = source }
        }
        take(\.title, .title) { $0 == nil }
        take(\.submissionDate, .submissionDate) { $0 == nil }
        take(\.fromOrganization, .from) { $0 == nil }
        take(\.fromGroups, .fromGroups) { $0.isEmpty }
        take(\.fromContacts, .fromContact) { $0.isEmpty }
        take(\.toGroups, .to) { $0.isEmpty }
        take(\.toContacts, .to) { $0.isEmpty }
        take(\.ccContacts, .cc) { $0.isEmpty }
        take(\.responseContacts, .responseContacts) { $0.isEmpty }
        take(\.technicalContacts, .technicalContacts) { $0.isEmpty }
        take(\.actionHolders, .actionHolders) { $0.isEmpty }
        take(\.purpose, .purpose) { $0 == nil }
        take(\.deadline, .deadline) { $0 == nil }
        take(\.body, .body) { $0.isEmpty }
        let known = Set(statement.inResponseTo)
        let extra = other.inResponseTo.filter { !known.contains($0) }
        if !extra.isEmpty {
            statement.inResponseTo += extra
            if statement.sources[.inResponseTo] == nil { statement.sources[.inResponseTo] = other.sources[.inResponseTo] }
        }
    }

    /// Title from the subject, sender from `From:` and its domain, addressees from `To:`/`Cc:`,
    /// response contacts from `Reply-To:`, the organization from the layout.
    private func completeFromHeaders(message: MIMEMessage, readings: [DocumentReading], into statement: inout Statement) {
        if statement.title == nil {
            if let title = StatementExtractor.title(fromSubject: message.subject) {
                statement.title = title
                statement.sources[.title] = FieldSource(origin: .header, location: "Subject", confidence: 0.9)
                if statement.layout == .unrecognised { statement.layout = .subjectLine }
            } else if let subject = message.subject?.trimmingCharacters(in: " \t"), !subject.isEmpty,
                subject.lowercased().contains("liaison") || statement.layout != .unrecognised
            {
                statement.title = StatementExtractor.title(fromSubject: "LS: " + subject) ?? subject
                statement.sources[.title] = FieldSource(origin: .header, location: "Subject", confidence: 0.6)
            }
        } else if statement.layout == .unrecognised, StatementExtractor.title(fromSubject: message.subject) != nil {
            statement.layout = .subjectLine
        }
        let sender = message.from.first.map { Contact(name: $0.displayName, address: $0.address) }
        if statement.fromContacts.isEmpty, let sender {
            statement.fromContacts = [sender]
            statement.sources[.fromContact] = FieldSource(origin: .header, location: "From", confidence: 0.8)
        }
        if statement.toGroups.isEmpty {
            // The Datatracker's mail names contacts, not groups: a group's list or chairs among
            // the To and Cc contacts names it (issue #5221).
            let named = StatementExtractor.unique((statement.toContacts + statement.ccContacts).compactMap {
                directory.addressee(forAddress: $0.address)
            }.filter { directory.groups[$0] != nil })
            if !named.isEmpty {
                statement.toGroups = named
                let found = statement.sources[.to] ?? statement.sources[.cc]
                statement.sources[.to] = found.map { FieldSource(origin: $0.origin, location: $0.location, confidence: 0.7) }
            }
        }
        if statement.toGroups.isEmpty {
            let headerAddresses = (message.to + message.cc).map(\.address)
            let groups = headerAddresses.compactMap { directory.addressee(forAddress: $0) }
            if !groups.isEmpty {
                statement.toGroups = StatementExtractor.unique(groups)
                statement.sources[.to] = FieldSource(origin: .header, location: "To/Cc", confidence: 0.8)
            } else if let title = statement.title {
                let named = groupsNamedInProse(title + "\n" + statement.body)
                if !named.isEmpty {
                    statement.toGroups = named
                    statement.sources[.to] = FieldSource(origin: .body, location: "text", confidence: 0.5)
                }
            }
        }
        if statement.responseContacts.isEmpty, statement.layout != .unrecognised {
            let replyTo = message.replyTo.map { Contact(name: $0.displayName, address: $0.address) }
            if !replyTo.isEmpty {
                statement.responseContacts = replyTo
                statement.sources[.responseContacts] = FieldSource(origin: .header, location: "Reply-To", confidence: 0.6)
            }
        }
    }

    /// The sending organization when no text named it: the one the layout implies (3GPP statements
    /// come from 3GPPLiaison@etsi.org), else the one the identifiers imply (`SG15-LS54` → ITU-T),
    /// each when the directory knows it; else the sender's domain; else the layout's or the group's
    /// name; else an organization the title names.
    private func completeOrganization(sender: String?, into statement: inout Statement) {
        guard statement.fromOrganization == nil else { return }
        func set(_ name: String, _ location: String, _ confidence: Double) {
            statement.fromOrganization = name
            statement.sources[.from] = FieldSource(origin: .derived, location: location, confidence: confidence)
        }
        let layoutName = StatementExtractor.organizationName(of: statement.layout)
        if let name = layoutName, let known = directory.organization(named: name) {
            return set(known.name, "\(statement.layout.rawValue) layout", 0.8)
        }
        let implied = statement.identifiers.lazy.compactMap(StatementExtractor.organizationName(ofIdentifier:))
            .compactMap { directory.organization(named: $0) }.first
        if let implied { return set(implied.name, "identifiers", 0.7) }
        let domains = statement.fromContacts.compactMap(\.domain) + [sender.map { Contact(address: $0) }?.domain].compactMap(\.self)
        if let organization = domains.lazy.compactMap({ directory.organization(forDomain: $0) }).first {
            return set(organization.name, "sender domain", 0.8)
        }
        if let name = layoutName { return set(name, "\(statement.layout.rawValue) layout", 0.6) }
        if let group = statement.fromGroups.first {
            statement.fromOrganization = group
            statement.sources[.from] = statement.sources[.fromGroups].map {
                FieldSource(origin: $0.origin, location: $0.location, confidence: 0.5)
            }
        } else if let named = organization(namedIn: statement.title ?? "") {
            // Last resort: the title names an organization ("Recently published Broadband Forum Work Items").
            set(named.name, "title", 0.4)
        }
    }

    /// The body an identifier belongs to.
    static func organizationName(ofIdentifier identifier: String) -> String? {
        let upper = identifier.uppercased()
        if upper.hasPrefix("LIAISE-") { return "Broadband Forum" }
        if upper.hasPrefix("TD") || upper.contains("-LS") || upper.contains("-OLS-") || upper.contains("-ILS-") { return "ITU-T" }
        if identifier.contains(/^[A-Z][A-Z0-9]?-\d{6,7}$/) { return "3GPP" }
        return nil
    }

    /// The organization a layout implies when nothing else names it.
    static func organizationName(of layout: StatementLayout) -> String? {
        switch layout {
        case .ituT: "ITU-T"
        case .threeGPP: "3GPP"
        case .broadbandForum: "Broadband Forum"
        case .ieee: "IEEE 802"
        default: nil
        }
    }

    /// Identifiers from the title, the texts and the attachment names.
    private func completeIdentifiers(documents: [TextDocument], attachments: [AttachmentSummary], into statement: inout Statement) {
        var found: [String] = []
        var source: FieldSource?
        func add(_ identifiers: [String], _ where: @autoclosure () -> FieldSource) {
            let new = identifiers.filter { id in !found.contains { $0.uppercased() == id.uppercased() } }
            guard !new.isEmpty else { return }
            found += new
            if source == nil { source = `where`() }
        }
        if let title = statement.title {
            add(Identifiers.find(in: title), statement.sources[.title] ?? FieldSource(origin: .header, location: "Subject", confidence: 0.8))
        }
        for document in documents {
            let located = Identifiers.locate(in: document.text)
            guard let first = located.first else { continue }
            let line = document.text[..<first.position].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            add(located.map(\.identifier), document.source(line: line, 0.8))
        }
        for attachment in attachments {
            add(Identifiers.find(in: attachment.filename), FieldSource(origin: .attachment, location: attachment.filename, confidence: 0.8))
        }
        // Identifiers of the answered statement are not this statement's own.
        let answered = Set(statement.inResponseTo.filter { $0.kind == .identifier }.map { $0.value.uppercased() })
        statement.identifiers = found.filter { !answered.contains($0.uppercased()) }
        if !statement.identifiers.isEmpty, let source { statement.sources[.identifiers] = source }
    }

    /// Purpose `response` for reply titles, and the answered statement's title and Message-IDs.
    private func completeResponse(message: MIMEMessage, into statement: inout Statement) {
        let replyTitle = statement.title.map(StatementExtractor.isReplyTitle) ?? false
        if statement.purpose == nil, replyTitle || !statement.inResponseTo.isEmpty {
            statement.purpose = .response
            statement.sources[.purpose] = statement.sources[.title].map {
                FieldSource(origin: $0.origin, location: $0.location, confidence: 0.7)
            } ?? FieldSource(origin: .derived, location: "in-response-to", confidence: 0.6)
        }
        if let title = statement.title, replyTitle, let answered = StatementExtractor.answeredTitle(title),
            !statement.inResponseTo.contains(where: { $0.kind == .title })
        {
            statement.inResponseTo.append(ResponseReference(kind: .title, value: answered))
            if statement.sources[.inResponseTo] == nil {
                statement.sources[.inResponseTo] = statement.sources[.title].map {
                    FieldSource(origin: $0.origin, location: $0.location, confidence: 0.6)
                }
            }
        }
        if replyTitle || statement.purpose == .response || !statement.inResponseTo.isEmpty {
            let ids = StatementExtractor.unique(message.inReplyTo + message.references)
            statement.inResponseTo += ids.map { ResponseReference(kind: .messageID, value: $0) }
            if !ids.isEmpty, statement.sources[.inResponseTo] == nil {
                statement.sources[.inResponseTo] = FieldSource(origin: .header, location: "In-Reply-To/References", confidence: 0.5)
            }
        }
        statement.inResponseTo = StatementExtractor.unique(statement.inResponseTo)
    }

    /// A 3GPP statement for action names no date, only its next meetings: reply before the first.
    private func completeDeadline(readings: [DocumentReading], into statement: inout Statement) {
        guard statement.deadline == nil, let purpose = statement.purpose, purpose.expectsDeadline,
            !readings.contains(where: { $0.undatedDeadline != nil }),
            let meeting = readings.compactMap(\.nextMeeting).first
        else { return }
        statement.deadline = meeting.date
        statement.sources[.deadline] = meeting.source
    }

    // MARK: - Triage

    /// What is missing, with a sentence for each.
    static func triage(_ statement: Statement, undatedDeadline: String?, attachmentReasons: [TriageReason])
        -> (missing: [StatementField], reasons: [TriageReason])
    {
        var reasons: [TriageReason] = []
        if statement.title?.isEmpty ?? true {
            reasons.append(.init(field: .title, reason: "no title: no Title: line, no statement subject (\"LS on …\") and nothing in the attachments"))
        }
        if statement.fromOrganization == nil && statement.fromContacts.isEmpty && statement.fromGroups.isEmpty {
            reasons.append(.init(field: .from, reason: "no sender: no From:/Source: line and no From header"))
        }
        if statement.toGroups.isEmpty {
            reasons.append(.init(field: .to, reason: "no addressee: no To: or For action/comment/information to: line names a group, and no To/Cc address is a known group's"))
        }
        if statement.purpose == nil {
            reasons.append(.init(field: .purpose, reason: "no purpose: no Purpose: line, no \"for action/comment/information\", no ACTION: line and not a reply"))
        }
        if let purpose = statement.purpose, purpose.expectsDeadline, statement.deadline == nil {
            if let undatedDeadline {
                reasons.append(.init(field: .deadline, reason: "'\(undatedDeadline)' is not a date"))
            } else {
                reasons.append(.init(field: .deadline, reason: "a statement \(purpose.description.lowercased()) gives no deadline"))
            }
        }
        reasons += attachmentReasons
        var missing: [StatementField] = []
        for reason in reasons where !missing.contains(reason.field) { missing.append(reason.field) }
        return (missing, reasons)
    }

    // MARK: - Sections and prose

    /// The 3GPP sections: "2. Actions" (with "To …" and "ACTION:" lines) and "3. Date of Next … Meetings".
    func readSections(_ document: TextDocument) -> (actionHolders: [String], actionLine: Int?, actionsHeading: Int?, nextMeeting: (date: CalendarDate, line: Int)?) {
        let lines = LabeledLines.lines(of: document.text)
        var holders: [String] = []
        var actionLine: Int?
        var actionsHeading: Int?
        var nextMeeting: (date: CalendarDate, line: Int)?
        var section = ""
        var currentTo: String?
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: " \t")
            let lower = line.lowercased()
            if line.first?.isNumber == true,
                let heading = lower.firstMatch(of: /^(\d)\s*\.?\s*(overall description|actions?|date of next|dates of next)/)
            {
                section = String(heading.output.2)
                if section.hasPrefix("action") { actionsHeading = offset + 1 }
                continue
            }
            if section.hasPrefix("action") {
                if lower.hasPrefix("to ") || lower.hasPrefix("to:") {
                    currentTo = String(line.dropFirst(3)).trimmingCharacters(in: " \t:.")
                } else if lower.hasPrefix("action:") || lower.hasPrefix("action :") {
                    if actionLine == nil { actionLine = offset + 1 }
                    if let currentTo {
                        holders += addresseeGroups(in: StatementExtractor.withoutGroupWord(currentTo))
                    }
                }
            } else if section.hasPrefix("date"), nextMeeting == nil, let date = dates.firstDate(in: line) {
                nextMeeting = (date, offset + 1)
            }
        }
        return (StatementExtractor.unique(holders), actionLine, actionsHeading, nextMeeting)
    }

    /// "IETF DMM Group" → "IETF DMM".
    static func withoutGroupWord(_ text: String) -> String {
        var text = text
        for suffix in [" group", " wg", " working group"] where text.lowercased().hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count))
        }
        return text
    }

    /// A deadline found in a text: a date, or a phrase that is no date.
    enum FoundDeadline {
        case date(CalendarDate, confidence: Double, line: Int)
        case undated(String, line: Int)
    }

    /// The first deadline stated in a text: after "Deadline:", "Please reply by", "reply before" ….
    func deadline(in document: TextDocument, reference: CalendarDate? = nil) -> FoundDeadline? {
        let triggers = [
            "please reply by", "please respond by", "reply is requested by", "replies by", "reply by", "respond by",
            "response by", "responses by", "comments by", "feedback by", "reply before", "respond before", "deadline",
            "reply deadline", "due date",
        ]
        var undated: FoundDeadline?
        for (offset, line) in LabeledLines.lines(of: document.text).enumerated() {
            let lower = line.lowercased()
            guard let trigger = triggers.first(where: { lower.contains($0) }), let range = lower.range(of: trigger) else { continue }
            let distance = lower.distance(from: lower.startIndex, to: range.upperBound)
            var phrase = String(line.dropFirst(distance))
            // Only the sentence the trigger is in.
            if let end = phrase.firstIndex(where: { $0 == ";" }) ?? phrase.range(of: ". ")?.lowerBound { phrase = String(phrase[..<end]) }
            switch dates.deadline(in: phrase, after: reference) {
            case .date(let date, let confidence)?:
                return .date(date, confidence: confidence, line: offset + 1)
            case .notADate(let words)?:
                if undated == nil, !StatementExtractor.isNone(words), lower.hasPrefix(trigger) || trigger != "deadline" {
                    let before = trigger.hasSuffix("before") ? "before " : ""
                    undated = .undated(before + words.trimmingCharacters(in: " .:"), line: offset + 1)
                }
            case nil:
                continue
            }
        }
        return undated
    }

    /// Whether a line of prose points at an earlier statement.
    static func isReplyLine(_ line: Substring) -> Bool {
        let lower = line.lowercased()
        guard lower.contains("ls") || lower.contains("liaison"), lower.contains(/\b(ls|liaison|liaison statement)\b/) else { return false }
        return lower.contains(/\b(in response to|in reply to|response to|reply to|responds to|replying to|responding to|answer to)\b/)
            || lower.contains(/\bthank(s|ed)?\b[^.]{0,80}\bfor\b[^.]{0,40}\b(ls|liaison)\b/)
    }

    /// Identifiers, Datatracker URLs and quoted titles in a text about an earlier statement.
    static func responseReferences(in text: String, wholeIsTitle: Bool) -> [ResponseReference] {
        var references = Identifiers.find(in: text).map { ResponseReference(kind: .identifier, value: $0) }
        for match in text.matches(of: /https?:\/\/datatracker\.ietf\.org\/liaison\/\d+\/?/) {
            references.append(ResponseReference(kind: .url, value: String(match.output)))
        }
        for match in text.matches(of: /["“]([^"”]{6,200})["”]/) {
            references.append(ResponseReference(kind: .title, value: String(match.output.1).trimmingCharacters(in: " ")))
        }
        if wholeIsTitle, !references.contains(where: { $0.kind == .title }) {
            // "LS (S2-2401234) on user plane analysis" / "LS on X (https://…/1590/)": the words are the title.
            var title = text.replacing(/\(?https?:\/\/\S+\)?/, with: "")
            for identifier in Identifiers.find(in: text) { title = title.replacingOccurrences(of: identifier, with: "") }
            title = title.replacing(/\(\s*\)/, with: "").split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            title = title.trimmingCharacters(in: " ,;:.-")
            if title.count >= 6, title.lowercased().contains(" ") { references.append(ResponseReference(kind: .title, value: title)) }
        }
        return references
    }

    /// "Reply LS on X" → "LS on X"; "Response to LS on X" → "LS on X".
    static func answeredTitle(_ title: String) -> String? {
        let lower = title.lowercased()
        for prefix in ["reply ls to ", "reply ls on ", "reply ls ", "response to ", "reply to ", "liaison response to ", "ls reply on ", "response ls on "]
        where lower.hasPrefix(prefix) {
            let rest = title.dropFirst(prefix.count).trimmingCharacters(in: " \t")
            guard !rest.isEmpty else { return nil }
            let restLower = rest.lowercased()
            if restLower.hasPrefix("ls ") || restLower.hasPrefix("liaison") { return rest }
            return prefix.contains(" on ") ? "LS on " + rest : rest
        }
        return nil
    }

    // MARK: - Field helpers

    func readSender(_ value: String, source: FieldSource, into statement: inout Statement) {
        let contacts = StatementExtractor.contacts(in: value)
        if !contacts.isEmpty {
            statement.fromContacts = contacts
            statement.sources[.fromContact] = source
        }
        // The words outside the addresses name the body, e.g. "ITU-T SG15 (Jane <jane@itu.int>)".
        var words = StatementExtractor.textOutsideAddresses(value)
        // "Jane Doe <jane@…>" names a person, not a group; "Org (Jane <jane@…>)" names the group.
        if contacts.contains(where: { $0.name?.lowercased() == words.lowercased() }) { words = "" }
        if !words.isEmpty {
            statement.fromGroups = [words]
            statement.sources[.fromGroups] = source
        }
        if let organization = organization(namedIn: words) ?? contacts.compactMap(\.domain).lazy
            .compactMap({ directory.organization(forDomain: $0) }).first
        {
            statement.fromOrganization = organization.name
            statement.sources[.from] = source
        }
    }

    func readAddressees(_ value: String, source: FieldSource, into statement: inout Statement) {
        let contacts = StatementExtractor.contacts(in: value)
        statement.toContacts = contacts
        var groups = contacts.compactMap { directory.addressee(forAddress: $0.address) }
        groups += groupsNamed(in: StatementExtractor.textOutsideAddresses(value))
        groups = StatementExtractor.unique(groups)
        if !groups.isEmpty {
            statement.toGroups = groups
        } else {
            // The words as written name the groups, unless they are only the contacts' names.
            var written = StatementExtractor.textOutsideAddresses(value)
            for name in contacts.compactMap(\.name) { written = written.replacingOccurrences(of: name, with: "") }
            if written.contains(where: { $0.isLetter || $0.isNumber }) {
                statement.toGroups = [StatementExtractor.textOutsideAddresses(value)]
            }
        }
        if !contacts.isEmpty || !statement.toGroups.isEmpty {
            statement.sources[.to] = source
        }
    }


    func organization(namedIn text: String) -> Organization? {
        guard !text.isEmpty else { return nil }
        let lower = " " + text.lowercased() + " "
        // Longest names first, so "ITU-T SG15" wins over "ITU-T".
        let candidates = directory.organizations.flatMap { org in ([org.name] + org.aliases).map { ($0, org) } }
            .sorted { $0.0.count > $1.0.count }
        return candidates.first { name, _ in
            StatementExtractor.containsWord(lower, name.lowercased())
        }?.1
    }

    /// Groups named in an addressee field: acronyms, names and aliases.
    func groupsNamed(in text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        // Longest names first, each match blanked out, so "IETF DMM" names dmm and not also "IETF".
        var names: [(String, String, Int)] = []
        for acronym in directory.groups.keys.sorted() {
            guard let group = directory.groups[acronym] else { continue }
            for name in [group.acronym, group.name, "ietf \(group.acronym)", "\(group.acronym) wg", "ietf \(group.acronym) wg"] + group.aliases {
                names.append((name.lowercased(), acronym, 0))
            }
        }
        for acronym in directory.areas.keys.sorted() {
            guard let area = directory.areas[acronym] else { continue }
            for name in ["\(area.name) area", "\(area.acronym) area", "\(area.name) area directors", "\(area.acronym) ads"] {
                names.append((name.lowercased(), acronym, 1))
            }
        }
        var lower = " " + text.lowercased() + " "
        var found: [(String, String.Index)] = []
        for (name, acronym, _) in names.sorted(by: { $0.0.count > $1.0.count }) {
            while let range = StatementExtractor.wordRange(of: name, in: lower) {
                found.append((acronym, range.lowerBound))
                lower.replaceSubrange(range, with: String(repeating: "\u{1}", count: lower[range].count))
            }
        }
        return StatementExtractor.unique(found.sorted { $0.1 < $1.1 }.map(\.0))
    }

    /// The range of `needle` in `haystack` where it stands as whole words.
    static func wordRange(of needle: String, in haystack: String) -> Range<String.Index>? {
        guard !needle.isEmpty else { return nil }
        var searchRange = haystack.startIndex..<haystack.endIndex
        while let range = haystack.range(of: needle, range: searchRange) {
            let before = range.lowerBound == haystack.startIndex ? " " : haystack[haystack.index(before: range.lowerBound)]
            let after = range.upperBound == haystack.endIndex ? " " : haystack[range.upperBound]
            if !before.isLetter && !before.isNumber && !after.isLetter && !after.isNumber { return range }
            searchRange = range.upperBound..<haystack.endIndex
        }
        return nil
    }

    /// Groups named in free prose: only "<acronym> WG", "<acronym> working group", full names and aliases.
    func groupsNamedInProse(_ text: String) -> [String] {
        var names: [(String, String)] = []
        for acronym in directory.groups.keys.sorted() {
            guard let group = directory.groups[acronym] else { continue }
            for name in ["\(acronym) wg", "\(acronym) working group", "ietf \(acronym)", "ietf \(acronym) wg", group.name] + group.aliases {
                names.append((name.lowercased(), acronym))
            }
        }
        var lower = " " + text.lowercased() + " "
        var found: [(String, String.Index)] = []
        for (name, acronym) in names.sorted(by: { $0.0.count > $1.0.count }) {
            while let range = StatementExtractor.wordRange(of: name, in: lower) {
                found.append((acronym, range.lowerBound))
                lower.replaceSubrange(range, with: String(repeating: "\u{1}", count: lower[range].count))
            }
        }
        return StatementExtractor.unique(found.sorted { $0.1 < $1.1 }.map(\.0))
    }

    static func containsWord(_ haystack: String, _ needle: String) -> Bool {
        guard !needle.isEmpty else { return false }
        var searchRange = haystack.startIndex..<haystack.endIndex
        while let range = haystack.range(of: needle, range: searchRange) {
            let before = range.lowerBound == haystack.startIndex ? " " : haystack[haystack.index(before: range.lowerBound)]
            let after = range.upperBound == haystack.endIndex ? " " : haystack[range.upperBound]
            if !before.isLetter && !before.isNumber && !after.isLetter && !after.isNumber { return true }
            searchRange = range.upperBound..<haystack.endIndex
        }
        return false
    }

    static func contacts(in text: String) -> [Contact] {
        ContactScanner.contacts(in: text)
    }

    /// The words of a field once addresses (`<…>`, bare `a@b`) and brackets are removed.
    static func textOutsideAddresses(_ value: String) -> String {
        var result = ""
        var depth = 0
        for character in value {
            switch character {
            case "<", "(": depth += 1
            case ">", ")": depth = max(0, depth - 1)
            default: if depth == 0 { result.append(character) }
            }
        }
        let words = result.split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { !$0.contains("@") }
        return words.joined(separator: " ").trimmingCharacters(in: " ,;\"'")
    }

    static func purpose(in text: String) -> Purpose? {
        let lower = text.lowercased()
        if lower.contains("in response") { return .response }
        if lower.contains("action") { return .action }
        if lower.contains("comment") || lower.contains("discussion") || lower.contains("review") { return .comment }
        if lower.contains("information") || lower.contains("info") { return .information }
        if lower.contains("response") || lower.contains("reply") { return .response }
        return nil
    }

    /// "for action", "for comment", "for information" written in the letter's prose.
    static func purposeInProse(_ text: String) -> (Purpose, Int)? {
        let phrases: [(String, Purpose)] = [
            ("for action", .action), ("for your action", .action), ("kindly requests", .action), ("kindly asks", .action),
            ("for comment", .comment), ("for your review", .comment), ("for review", .comment),
            ("welcome your comments", .comment), ("welcome comments", .comment), ("request your comments", .comment),
            ("invites comments", .comment), ("for information", .information), ("for your information", .information),
            ("in response to", .response),
        ]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() {
            // A phrase may be broken across two lines.
            let next = offset + 1 < lines.count ? lines[offset + 1] : ""
            let lower = (line + " " + next.drop(while: { $0 == " " })).lowercased()
            if let (phrase, purpose) = phrases.first(where: { lower.contains($0.0) }) {
                let onThisLine = line.lowercased().contains(phrase.split(separator: " ").first ?? "")
                return (purpose, onThisLine ? offset + 1 : offset + 2)
            }
        }
        return nil
    }

    static func isReplyTitle(_ title: String) -> Bool {
        let lower = title.lowercased()
        return lower.hasPrefix("reply ls") || lower.hasPrefix("response to") || lower.hasPrefix("liaison response")
            || lower.hasPrefix("reply to") || lower.hasPrefix("ls reply") || lower.hasPrefix("response ls")
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0.lowercased()).inserted }
    }

    static func unique<Value: Hashable>(_ values: [Value]) -> [Value] {
        var seen = Set<Value>()
        return values.filter { seen.insert($0).inserted }
    }
}
