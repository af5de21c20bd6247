import Foundation
public import MIME

/// An engagement manager's request for an invitation to comment, read from the mail sent to the
/// invitation address:
///
/// ```
/// Communities: nanog, ripe
/// Work: draft-ietf-foo-bar
/// Group: foo                       (optional when the draft names the group)
/// Closing: 2027-03-01
///
/// The text of the invitation…
/// ```
///
/// The subject is the invitation's title; the text after the labelled lines is its body.
public struct InvitationRequest: Sendable, Equatable {
    /// The title (the subject, or a `Title:` line).
    public var title: String
    /// The communities invited, by canonical name.
    public var communities: [String]
    /// The working groups concerned (acronyms).
    public var groups: [String]
    /// The documents or topics named.
    public var work: [String]
    /// The closing date.
    public var closing: CalendarDate
    /// The invitation's text.
    public var body: String

    /// Why a request cannot be sent, one sentence per problem.
    public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
        /// The problems found.
        public var problems: [String]
        public var description: String { problems.joined(separator: "; ") }
    }

    static let labels: [String: String] = [
        "communities": "communities", "community": "communities", "to": "communities",
        "work": "work", "documents": "work", "document": "work", "drafts": "work", "draft": "work",
        "group": "groups", "groups": "groups", "wg": "groups", "working group": "groups",
        "closing": "closing", "closing date": "closing", "closes": "closing", "deadline": "closing", "reply by": "closing",
        "title": "title",
    ]

    /// Reads a request; `today` is the date in the service's time zone (the closing date must be later).
    public static func parse(
        _ message: MIMEMessage, directory: Directory, dates: DateText, today: CalendarDate?
    ) -> Result<InvitationRequest, Problems> {
        var values: [String: [String]] = [:]
        var bodyLines: [String] = []
        var inHeader = true
        for rawLine in (message.textBody() ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inHeader {
                if trimmed.isEmpty { continue }
                if let colon = trimmed.firstIndex(of: ":"),
                    let field = labels[trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased()]
                {
                    values[field, default: []].append(trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                    continue
                }
                inHeader = false
            }
            bodyLines.append(line)
        }
        while bodyLines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { bodyLines.removeLast() }

        var problems: [String] = []
        func items(_ field: String) -> [String] {
            (values[field] ?? []).flatMap { $0.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }) }
                .map { String($0) }.filter { !$0.isEmpty }
        }
        var communities: [String] = []
        // Community names may contain spaces ("RIPE NCC"): split on commas first, then try words.
        for entry in (values["communities"] ?? []).flatMap({ $0.split(whereSeparator: { $0 == "," || $0 == ";" }) }) {
            let name = entry.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            if let community = directory.community(named: name) {
                if !communities.contains(community.name) { communities.append(community.name) }
            } else if directory.organization(named: name) != nil {
                problems.append("\(name) is a peer organization with a liaison relationship, not a community: send it a liaison statement")
            } else {
                problems.append("unknown community \(name) (communities: " + directory.communities.map(\.name).joined(separator: ", ") + ")")
            }
        }
        if communities.isEmpty && problems.isEmpty { problems.append("no Communities: line names a community to invite") }
        for name in communities where directory.community(named: name)?.contacts.isEmpty == true {
            problems.append("community \(name) has no contacts in the directory to send the invitation to")
        }

        let work = items("work")
        var groups: [String] = []
        for acronym in items("groups").map({ $0.lowercased() }) {
            if directory.groups[acronym] != nil {
                if !groups.contains(acronym) { groups.append(acronym) }
            } else {
                problems.append("unknown working group \(acronym)")
            }
        }
        for acronym in DraftNames.groups(in: work.joined(separator: " "), directory: directory) where !groups.contains(acronym) {
            groups.append(acronym)
        }
        if work.isEmpty && groups.isEmpty {
            problems.append("no Work: line (e.g. draft-ietf-foo-bar) and no Group: line says what to comment on")
        } else if groups.isEmpty {
            problems.append("no known working group for " + work.joined(separator: ", ") + ": add a Group: line")
        }

        var closing: CalendarDate?
        if let text = values["closing"]?.first {
            closing = dates.firstDate(in: text)
            if closing == nil { problems.append("Closing: '\(text)' is not a date (use YYYY-MM-DD)") }
        } else {
            problems.append("no Closing: line gives the closing date (YYYY-MM-DD)")
        }
        if let closing, let today, closing <= today {
            problems.append("the closing date \(closing) is not after today (\(today))")
        }
        let body = bodyLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty { problems.append("the invitation has no text: write it after the labelled lines") }
        let title = values["title"]?.first ?? Self.cleanSubject(message.subject ?? "")
        if title.isEmpty { problems.append("no subject: the subject is the invitation's title") }

        guard problems.isEmpty, let closing else { return .failure(Problems(problems: problems)) }
        return .success(
            InvitationRequest(title: title, communities: communities, groups: groups, work: work, closing: closing, body: body))
    }

    /// The subject without `Re:`, `Fwd:` and similar prefixes.
    static func cleanSubject(_ subject: String) -> String {
        var text = subject.trimmingCharacters(in: .whitespaces)
        while let colon = text.firstIndex(of: ":"), ["re", "fw", "fwd", "aw", "sv"].contains(text[..<colon].lowercased()) {
            text = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return text
    }
}
