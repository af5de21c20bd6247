import Foundation
import LiaisonCore

/// The dashboard's search form: free text, group, organization and a range of recording days.
struct StatementQuery: Sendable, Equatable {
    var text = ""
    var group = ""
    var organization = ""
    var from: CalendarDate?
    var to: CalendarDate?
    /// Problems with the form's values (`from: expected YYYY-MM-DD`), shown above the results.
    var problems: [String] = []
    /// The raw `from` / `to` text, echoed back into the form.
    var fromText = ""
    var toText = ""

    init() {}

    /// Reads `q`, `group`, `organization`, `from` and `to` (days as `YYYY-MM-DD`).
    init(parameters: [String: String]) {
        func value(_ name: String) -> String { parameters[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
        text = value("q")
        group = value("group")
        organization = value("organization")
        fromText = value("from")
        toText = value("to")
        if !fromText.isEmpty {
            from = CalendarDate(iso: fromText)
            if from == nil { problems.append("from: expected a day as YYYY-MM-DD, got \(fromText)") }
        }
        if !toText.isEmpty {
            to = CalendarDate(iso: toText)
            if to == nil { problems.append("to: expected a day as YYYY-MM-DD, got \(toText)") }
        }
    }

    var isEmpty: Bool { text.isEmpty && group.isEmpty && organization.isEmpty && from == nil && to == nil }

    /// Whether `summary`, recorded on `day`, matches every filter given (case-insensitive;
    /// the text is searched in the reference, title, organization and groups).
    func matches(_ summary: StatementSummary, day: CalendarDate?) -> Bool {
        if !text.isEmpty {
            let haystack = [summary.reference.description, summary.title ?? "", summary.fromOrganization ?? ""] + summary.groups
            guard haystack.contains(where: { $0.localizedCaseInsensitiveContains(text) }) else { return false }
        }
        if !group.isEmpty, !summary.groups.contains(where: { $0.caseInsensitiveCompare(group) == .orderedSame }) { return false }
        if !organization.isEmpty, !(summary.fromOrganization ?? "").localizedCaseInsensitiveContains(organization) { return false }
        if let from, day.map({ $0 < from }) ?? true { return false }
        if let to, day.map({ $0 > to }) ?? true { return false }
        return true
    }
}

/// Where a statement stands on the dashboard.
enum DashboardCategory: String, CaseIterable, Sendable {
    case overdue
    case actionNeeded = "action-needed"
    case triage
    case routed
    case closed

    var title: String {
        switch self {
        case .overdue: "Overdue"
        case .actionNeeded: "Action needed"
        case .triage: "Needs triage"
        case .routed: "Routed, no deadline"
        case .closed: "Closed"
        }
    }

    /// Closed first wins, then triage, then the deadline decides.
    static func of(_ summary: StatementSummary, closed: Bool, today: CalendarDate?) -> DashboardCategory {
        if closed { return .closed }
        if summary.state == .needsTriage { return .triage }
        guard let deadline = summary.deadline else { return .routed }
        if let today, deadline < today { return .overdue }
        return .actionNeeded
    }
}
