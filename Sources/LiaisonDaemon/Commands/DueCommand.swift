import Foundation
import LiaisonCore
import LiaisonStore

extension Liaison {
    /// `liaison due --json`: the open statements whose deadline falls within `days` days (or has
    /// passed), soonest first, as a JSON array of objects with the keys `reference`, `title`,
    /// `fromOrganization`, `groups`, `deadline` (`YYYY-MM-DD`), `daysLeft` (negative when
    /// overdue) and `state` (`routed` or `needs-triage`); every key is always present.
    ///
    /// - Parameter now: the instant "today" is taken from, in the configured time zone.
    public static func dueJSON(within days: Int, configPath: String, now: Date = Date()) async throws -> String {
        let due = try await dueStatements(within: days, configPath: configPath, now: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(due), as: UTF8.self) + "\n"
    }
}

extension Liaison {
    /// The open statements whose deadline falls within `days` days of `now` (or has passed),
    /// soonest first: what `liaison due` prints, as text or JSON.
    static func dueStatements(within days: Int, configPath: String, now: Date) async throws -> [DueStatement] {
        let configuration = try configuration(at: configPath)
        let store = try SQLiteStore(path: configuration.databasePath)
        let states = Dictionary(
            try await store.statements().map { ($0.reference, $0.state) }, uniquingKeysWith: { first, _ in first })
        guard let today = CalendarDate(now, in: configuration.intake.timeZone) else { return [] }
        return try await store.openStatements().compactMap { open -> DueStatement? in
            guard let deadline = open.statement.deadline else { return nil }
            let left = deadline.dayNumber - today.dayNumber
            guard left <= days else { return nil }
            return DueStatement(
                reference: open.reference.description, title: open.statement.title,
                fromOrganization: open.statement.fromOrganization, groups: open.routing.groups,
                deadline: deadline.description, daysLeft: left,
                state: (states[open.reference] ?? .routed).rawValue)
        }.sorted { ($0.daysLeft, $0.reference) < ($1.daysLeft, $1.reference) }
    }
}

/// One element of `liaison due --json`; the key names are part of the command's interface.
struct DueStatement: Encodable {
    let reference: String
    let title: String?
    let fromOrganization: String?
    let groups: [String]
    let deadline: String
    let daysLeft: Int
    let state: String

    enum Keys: String, CodingKey {
        case reference, title, fromOrganization, groups, deadline, daysLeft, state
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(reference, forKey: .reference)
        try container.encode(title, forKey: .title)
        try container.encode(fromOrganization, forKey: .fromOrganization)
        try container.encode(groups, forKey: .groups)
        try container.encode(deadline, forKey: .deadline)
        try container.encode(daysLeft, forKey: .daysLeft)
        try container.encode(state, forKey: .state)
    }
}
