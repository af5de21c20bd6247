import Foundation
public import MIME

/// Reads a liaison statement out of a parsed mail the way a liaison manager would.
///
/// Two layouts are recognised: the IETF Datatracker notification (`Title:`, `Submission Date:`,
/// `From:`, `To:`, `Cc:`, `Response Contacts:`, `Technical Contacts:`, `Purpose:`,
/// `Please reply by`, `Body:`) and a plain e-mail whose subject is the title ("LS on …",
/// "Reply LS on …", "Liaison statement: …"). Every field records where it was read. A statement
/// without title, sender, addressee or purpose, or for action/comment without a deadline, lists
/// what is missing and is handled as `needs-triage`.
public struct StatementExtractor: Sendable {
    /// The directory used to recognise organizations and groups.
    public var directory: Directory
    /// How numeric dates are read.
    public var dates: DateText

    /// Creates an extractor.
    public init(directory: Directory, dates: DateText = DateText()) {
        self.directory = directory
        self.dates = dates
    }

    static let datatrackerLabels: Set<String> = [
        "title", "submission date", "from", "to", "cc", "response contacts", "response contact",
        "technical contacts", "technical contact", "purpose", "deadline", "body", "url of the ietf web page",
        "referenced liaison", "action holders", "action holder contacts",
    ]

    static let coverLetterLabels: Set<String> = [
        "title", "source", "from", "to", "cc", "purpose", "deadline", "contact", "contacts", "response contact",
        "response contacts", "technical contact", "technical contacts", "send any reply ls to", "response to",
        "for action to", "for comment to", "for information to", "reply by", "please reply by",
    ]

    /// Extracts the statement carried by `message`.
    public func extract(from message: MIMEMessage) -> Statement {
        let text = message.textBody() ?? ""
        let datatracker = LabeledLines(text: text, labels: StatementExtractor.datatrackerLabels)
        var statement: Statement
        if datatracker.first("title") != nil,
            datatracker.distinctLabels(in: ["from", "to", "purpose", "submission date", "body"]) >= 2
        {
            statement = Statement(layout: .datatracker)
            readDatatracker(datatracker, text: text, into: &statement)
        } else if let title = StatementExtractor.title(fromSubject: message.subject) {
            statement = Statement(layout: .subjectLine)
            statement.title = title
            statement.sources[.title] = FieldSource(origin: .header, location: "Subject", confidence: 0.9)
            readCoverLetter(message: message, text: text, into: &statement)
        } else {
            statement = Statement(layout: .unrecognised)
            readCoverLetter(message: message, text: text, into: &statement)
        }
        completeCommonFields(message: message, text: text, into: &statement)
        statement.missing = StatementExtractor.missingFields(of: statement)
        return statement
    }

    /// The title a subject line gives, or `nil` when the subject does not name a statement.
    public static func title(fromSubject subject: String?) -> String? {
        guard var subject = subject?.trimmingCharacters(in: " \t") else { return nil }
        // Reply and forward markers, and list tags such as "[mars]", are not part of the title.
        while true {
            let lower = subject.lowercased()
            if let prefix = ["re:", "fw:", "fwd:", "aw:", "tr:"].first(where: { lower.hasPrefix($0) }) {
                subject = String(subject.dropFirst(prefix.count)).trimmingCharacters(in: " \t")
            } else if subject.hasPrefix("["), let close = subject.firstIndex(of: "]") {
                subject = String(subject[subject.index(after: close)...]).trimmingCharacters(in: " \t")
            } else {
                break
            }
        }
        let lower = subject.lowercased()
        if lower.hasPrefix("new liaison statement,") {
            let rest = subject.dropFirst("new liaison statement,".count).trimmingCharacters(in: " \t\"")
            return rest.isEmpty ? nil : rest
        }
        for prefix in ["liaison statement:", "liaison statement -", "liaison:"] where lower.hasPrefix(prefix) {
            let rest = subject.dropFirst(prefix.count).trimmingCharacters(in: " \t")
            return rest.isEmpty ? nil : rest
        }
        let statementPrefixes = [
            "ls on ", "ls to ", "ls from ", "ls/", "ls:", "ls out ", "ls in ", "reply ls", "response ls", "liaison statement",
            "liaison response", "liaison on ", "response to ls", "response to liaison", "reply to ls",
        ]
        if statementPrefixes.contains(where: { lower.hasPrefix($0) }) {
            return subject
        }
        return nil
    }

    // MARK: - Layouts

    private func readDatatracker(_ lines: LabeledLines, text: String, into statement: inout Statement) {
        func source(_ entry: LabeledLines.Entry, _ confidence: Double = 0.95) -> FieldSource {
            FieldSource(origin: .body, location: "line \(entry.line)", confidence: confidence)
        }
        if let entry = lines.first("title"), !entry.value.isEmpty {
            statement.title = entry.value
            statement.sources[.title] = source(entry)
        }
        if let entry = lines.first("submission date"), let date = dates.firstDate(in: entry.value) {
            statement.submissionDate = date
            statement.sources[.submissionDate] = source(entry)
        }
        if let entry = lines.first("from") {
            readSender(entry.value, source: source(entry), into: &statement)
        }
        if let entry = lines.first("to") {
            readAddressees(entry.value, source: source(entry), into: &statement)
        }
        if let entry = lines.first("cc") {
            statement.ccContacts = StatementExtractor.contacts(in: entry.value)
            statement.sources[.cc] = source(entry)
        }
        if let entry = lines.first("response contacts", "response contact") {
            statement.responseContacts = StatementExtractor.contacts(in: entry.value)
            statement.sources[.responseContacts] = source(entry)
        }
        if let entry = lines.first("technical contacts", "technical contact") {
            statement.technicalContacts = StatementExtractor.contacts(in: entry.value)
            statement.sources[.technicalContacts] = source(entry)
        }
        if let entry = lines.first("purpose"), let purpose = StatementExtractor.purpose(in: entry.value) {
            statement.purpose = purpose
            statement.sources[.purpose] = source(entry)
        }
        if let (date, line) = deadline(in: text) {
            statement.deadline = date
            statement.sources[.deadline] = FieldSource(origin: .body, location: "line \(line)", confidence: 0.9)
        } else if let entry = lines.first("deadline"), let date = dates.firstDate(in: entry.value) {
            statement.deadline = date
            statement.sources[.deadline] = source(entry)
        }
        if let body = lines.bodyText, let line = lines.bodyLine {
            statement.body = body
            statement.sources[.body] = FieldSource(origin: .body, location: "line \(line)", confidence: 0.95)
        }
    }

    private func readCoverLetter(message: MIMEMessage, text: String, into statement: inout Statement) {
        let lines = LabeledLines(text: text, labels: StatementExtractor.coverLetterLabels)
        func source(_ entry: LabeledLines.Entry, _ confidence: Double = 0.7) -> FieldSource {
            FieldSource(origin: .body, location: "line \(entry.line)", confidence: confidence)
        }
        if statement.title == nil, let entry = lines.first("title"), !entry.value.isEmpty {
            statement.title = entry.value
            statement.sources[.title] = source(entry, 0.8)
        }
        if let entry = lines.first("source", "from") {
            readSender(entry.value, source: source(entry), into: &statement)
        }
        if let entry = lines.first("to", "for action to", "for comment to", "for information to") {
            readAddressees(entry.value, source: source(entry), into: &statement)
        }
        if let entry = lines.first("cc") {
            statement.ccContacts = StatementExtractor.contacts(in: entry.value)
            statement.sources[.cc] = source(entry)
        }
        if let entry = lines.first("response contacts", "response contact", "send any reply ls to") {
            statement.responseContacts = StatementExtractor.contacts(in: entry.value)
            statement.sources[.responseContacts] = source(entry)
        }
        if let entry = lines.first("technical contacts", "technical contact", "contact", "contacts") {
            statement.technicalContacts = StatementExtractor.contacts(in: entry.value)
            statement.sources[.technicalContacts] = source(entry)
        }
        if let entry = lines.first("purpose"), let purpose = StatementExtractor.purpose(in: entry.value) {
            statement.purpose = purpose
            statement.sources[.purpose] = source(entry, 0.9)
        } else if let entry = lines.first("for action to") {
            statement.purpose = .action
            statement.sources[.purpose] = source(entry, 0.8)
        } else if let entry = lines.first("for comment to") {
            statement.purpose = .comment
            statement.sources[.purpose] = source(entry, 0.8)
        } else if let (purpose, line) = StatementExtractor.purposeInProse(text) {
            statement.purpose = purpose
            statement.sources[.purpose] = FieldSource(origin: .body, location: "line \(line)", confidence: 0.6)
        } else if let title = statement.title, StatementExtractor.isReplyTitle(title) {
            statement.purpose = .response
            statement.sources[.purpose] = FieldSource(origin: .header, location: "Subject", confidence: 0.7)
        }
        if let (date, line) = deadline(in: text) {
            statement.deadline = date
            statement.sources[.deadline] = FieldSource(origin: .body, location: "line \(line)", confidence: 0.8)
        }
        statement.body = text
        if !text.isEmpty {
            statement.sources[.body] = FieldSource(origin: .body, location: "text", confidence: 0.6)
        }
    }

    /// Fields every layout completes from the mail itself: sender, addressees, identifiers, attachments.
    private func completeCommonFields(message: MIMEMessage, text: String, into statement: inout Statement) {
        let sender = message.from.first.map { Contact(name: $0.displayName, address: $0.address) }
        if statement.fromContacts.isEmpty, let sender {
            statement.fromContacts = [sender]
            statement.sources[.fromContact] = FieldSource(origin: .header, location: "From", confidence: 0.8)
        }
        if statement.fromOrganization == nil {
            let domains = statement.fromContacts.compactMap(\.domain) + [sender?.domain].compactMap(\.self)
            if let organization = domains.lazy.compactMap({ directory.organization(forDomain: $0) }).first {
                statement.fromOrganization = organization.name
                statement.sources[.from] = FieldSource(origin: .derived, location: "sender domain", confidence: 0.8)
            }
        }
        if statement.toGroups.isEmpty {
            let headerAddresses = (message.to + message.cc).map(\.address)
            let groups = headerAddresses.compactMap { directory.addressee(forAddress: $0) }
            if !groups.isEmpty {
                statement.toGroups = StatementExtractor.unique(groups)
                statement.sources[.to] = FieldSource(origin: .header, location: "To/Cc", confidence: 0.8)
            } else if let title = statement.title {
                let named = groupsNamedInProse(title + "\n" + text)
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
        var identifierText = (statement.title ?? "") + "\n" + text
        for part in message.attachments {
            if let name = part.filename { identifierText += "\n" + name }
        }
        statement.identifiers = Identifiers.find(in: identifierText)
        if !statement.identifiers.isEmpty {
            statement.sources[.identifiers] = FieldSource(origin: .body, location: "text", confidence: 0.7)
        }
        statement.attachments = message.attachments.enumerated().map { index, part in
            let bytes = part.decodedBody()
            return AttachmentSummary(
                filename: part.filename ?? "attachment-\(index + 1)",
                contentType: part.contentType.mimeType,
                size: bytes.count,
                sha256: SHA256.hex(of: bytes)
            )
        }
    }

    private func readSender(_ value: String, source: FieldSource, into statement: inout Statement) {
        let contacts = StatementExtractor.contacts(in: value)
        if !contacts.isEmpty {
            statement.fromContacts = contacts
            statement.sources[.fromContact] = source
        }
        // The words outside the addresses name the body, e.g. "ITU-T SG15 (Jane <jane@itu.int>)".
        let words = StatementExtractor.textOutsideAddresses(value)
        if !words.isEmpty {
            statement.fromGroups = [words]
        }
        if let organization = organization(namedIn: words) ?? contacts.compactMap(\.domain).lazy
            .compactMap({ directory.organization(forDomain: $0) }).first
        {
            statement.fromOrganization = organization.name
            statement.sources[.from] = source
        } else if !words.isEmpty {
            statement.fromOrganization = words
            statement.sources[.from] = FieldSource(origin: source.origin, location: source.location, confidence: 0.5)
        }
    }

    private func readAddressees(_ value: String, source: FieldSource, into statement: inout Statement) {
        let contacts = StatementExtractor.contacts(in: value)
        statement.toContacts = contacts
        var groups = contacts.compactMap { directory.addressee(forAddress: $0.address) }
        groups += groupsNamed(in: StatementExtractor.textOutsideAddresses(value))
        groups = StatementExtractor.unique(groups)
        if !groups.isEmpty {
            statement.toGroups = groups
        } else {
            let written = StatementExtractor.textOutsideAddresses(value)
            if !written.isEmpty { statement.toGroups = [written] }
        }
        if !contacts.isEmpty || !groups.isEmpty {
            statement.sources[.to] = source
        }
    }

    // MARK: - Field helpers

    /// The first deadline stated in `text` and its line number.
    private func deadline(in text: String) -> (CalendarDate, Int)? {
        let triggers = ["please reply by", "reply by", "deadline", "response by", "respond by", "reply before", "responses by"]
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lower = line.lowercased()
            guard let trigger = triggers.first(where: { lower.contains($0) }),
                let range = lower.range(of: trigger)
            else { continue }
            let distance = lower.distance(from: lower.startIndex, to: range.upperBound)
            let rest = line.dropFirst(distance)
            if let date = dates.firstDate(in: rest) { return (date, offset + 1) }
        }
        return nil
    }

    private func organization(namedIn text: String) -> Organization? {
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
    private func groupsNamed(in text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        let lower = " " + text.lowercased() + " "
        var found: [String] = []
        for acronym in directory.groups.keys.sorted() {
            guard let group = directory.groups[acronym] else { continue }
            let names = [group.acronym, group.name] + group.aliases
            if names.contains(where: { StatementExtractor.containsWord(lower, $0.lowercased()) }) { found.append(acronym) }
        }
        for acronym in directory.areas.keys.sorted() where !found.contains(acronym) {
            guard let area = directory.areas[acronym] else { continue }
            if StatementExtractor.containsWord(lower, area.name.lowercased())
                || StatementExtractor.containsWord(lower, "\(area.acronym) area")
            {
                found.append(acronym)
            }
        }
        return found
    }

    /// Groups named in free prose: only "<acronym> WG", "<acronym> working group", full names and aliases.
    private func groupsNamedInProse(_ text: String) -> [String] {
        let lower = " " + text.lowercased() + " "
        var found: [String] = []
        for acronym in directory.groups.keys.sorted() {
            guard let group = directory.groups[acronym] else { continue }
            let names = ["\(acronym) wg", "\(acronym) working group", group.name.lowercased()]
                + group.aliases.map { $0.lowercased() }
            if names.contains(where: { StatementExtractor.containsWord(lower, $0) }) { found.append(acronym) }
        }
        return found
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
        if lower.contains("in response") || lower.contains("response") || lower.contains("reply") { return .response }
        if lower.contains("action") { return .action }
        if lower.contains("comment") { return .comment }
        if lower.contains("information") || lower.contains("info") { return .information }
        return nil
    }

    /// "for action", "for comment", "for information" written in the letter's prose.
    static func purposeInProse(_ text: String) -> (Purpose, Int)? {
        let phrases: [(String, Purpose)] = [
            ("for action", .action), ("for comment", .comment), ("for information", .information),
            ("for your information", .information), ("in response to", .response),
        ]
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lower = line.lowercased()
            if let (_, purpose) = phrases.first(where: { lower.contains($0.0) }) { return (purpose, offset + 1) }
        }
        return nil
    }

    static func isReplyTitle(_ title: String) -> Bool {
        let lower = title.lowercased()
        return lower.hasPrefix("reply ls") || lower.hasPrefix("response to") || lower.hasPrefix("liaison response")
            || lower.hasPrefix("reply to")
    }

    static func missingFields(of statement: Statement) -> [StatementField] {
        var missing: [StatementField] = []
        if statement.title?.isEmpty ?? true { missing.append(.title) }
        if statement.fromOrganization == nil && statement.fromContacts.isEmpty { missing.append(.from) }
        if statement.toGroups.isEmpty { missing.append(.to) }
        if statement.purpose == nil { missing.append(.purpose) }
        if let purpose = statement.purpose, purpose.expectsDeadline, statement.deadline == nil { missing.append(.deadline) }
        return missing
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0.lowercased()).inserted }
    }
}
