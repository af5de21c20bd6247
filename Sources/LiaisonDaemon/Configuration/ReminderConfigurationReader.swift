import Foundation
public import LiaisonCore
import Yams

/// Reminder days and recipients, as `liaison.yaml`'s `reminders:` section gives them.
public struct ReminderSettings: Sendable, Equatable {
    /// The days reminders are sent on.
    public var schedule: ReminderSchedule
    /// Who receives them, per purpose and per organization.
    public var recipients: ReminderRecipientPolicy

    /// Creates settings; the defaults are the Datatracker's days and recipients.
    public init(schedule: ReminderSchedule = ReminderSchedule(), recipients: ReminderRecipientPolicy = ReminderRecipientPolicy()) {
        self.schedule = schedule
        self.recipients = recipients
    }
}

/// Reads the `reminders:` and `digest:` sections, reporting problems with file, line and key.
struct ReminderConfigurationReader {
    let cursor: YAMLCursor
    /// Checks one address (the loader's own check: `Name <a@b>` or `a@b`, no control characters).
    let contact: (String, Node?, String) -> Contact?

    // MARK: reminders

    func readReminders(_ node: Node?, directory: Directory) -> ReminderSettings {
        let key = "reminders"
        guard let map = cursor.mapping(node, key: key) else { return ReminderSettings() }
        cursor.rejectUnknownKeys(map, known: ["schedule", "recipients", "by_purpose", "by_organization"], key: key)
        var settings = ReminderSettings()
        settings.schedule = readSchedule(map["schedule"], key: "\(key).schedule")
        var defaults = ReminderRecipientSet()
        if let override = readOverride(map["recipients"], key: "\(key).recipients") {
            defaults = override.applied(to: defaults)
        }
        var byPurpose: [Purpose: ReminderRecipientOverride] = [:]
        let purposeKey = "\(key).by_purpose"
        let purposes = cursor.mapping(map["by_purpose"], key: purposeKey).map { $0.map { ($0.key, $0.value) } } ?? []
        for (name, value) in purposes {
            let text = name.string ?? ""
            guard let purpose = Purpose(rawValue: text.lowercased()) else {
                cursor.problem(
                    "unknown purpose \(text) (use action, comment, information or response)", at: name,
                    key: YAMLCursor.join(purposeKey, text))
                continue
            }
            if let override = readOverride(value, key: YAMLCursor.join(purposeKey, text)) { byPurpose[purpose] = override }
        }
        var byOrganization: [String: ReminderRecipientOverride] = [:]
        var firstKey: [String: String] = [:]
        let organizationKey = "\(key).by_organization"
        let organizations = cursor.mapping(map["by_organization"], key: organizationKey).map { $0.map { ($0.key, $0.value) } } ?? []
        for (name, value) in organizations {
            let text = name.string ?? ""
            let itemKey = YAMLCursor.join(organizationKey, text)
            guard let organization = directory.organization(named: text) else {
                cursor.problem("unknown organization \(text) (define it under directory.organizations)", at: name, key: itemKey)
                continue
            }
            let canonical = organization.name.lowercased()
            if let first = firstKey[canonical] {
                cursor.problem("\(organization.name) is already configured as \(first)", at: name, key: itemKey)
                continue
            }
            firstKey[canonical] = text
            if let override = readOverride(value, key: itemKey) { byOrganization[canonical] = override }
        }
        settings.recipients = ReminderRecipientPolicy(defaults: defaults, byPurpose: byPurpose, byOrganization: byOrganization)
        return settings
    }

    func readSchedule(_ node: Node?, key: String) -> ReminderSchedule {
        var schedule = ReminderSchedule()
        guard let map = cursor.mapping(node, key: key) else { return schedule }
        cursor.rejectUnknownKeys(map, known: ["days_before", "overdue_days"], key: key)
        if map["days_before"] != nil {
            var days = Set<Int>()
            for (item, itemKey) in cursor.sequence(map, "days_before", parent: key) {
                guard let day = item.int, (0...365).contains(day) else {
                    cursor.problem("expected a whole number of days between 0 and 365", at: item, key: itemKey)
                    continue
                }
                if !days.insert(day).inserted { cursor.problem("\(day) is listed twice", at: item, key: itemKey) }
            }
            schedule.daysBefore = days
        }
        if let overdue = cursor.int(map, "overdue_days", parent: key, range: 0...365) { schedule.overdueDays = overdue }
        return schedule
    }

    /// `to`, `cc` and `escalate_to`, each a list of roles and addresses; nil when absent or broken.
    func readOverride(_ node: Node?, key: String) -> ReminderRecipientOverride? {
        guard let node else { return nil }
        guard let map = cursor.mapping(node, key: key) else {
            if YAMLCursor.isNull(node) { cursor.problem("expected to, cc or escalate_to", at: node, key: key) }
            return nil
        }
        cursor.rejectUnknownKeys(map, known: ["to", "cc", "escalate_to"], key: key)
        let to = recipients(map, "to", parent: key)
        if let to, to.isEmpty {
            cursor.problem("must name at least one recipient, or reminders would go to nobody", at: map["to"], key: "\(key).to")
        }
        let override = ReminderRecipientOverride(
            to: to, cc: recipients(map, "cc", parent: key), escalation: recipients(map, "escalate_to", parent: key))
        if override.to == nil && override.cc == nil && override.escalation == nil {
            cursor.problem("expected to, cc or escalate_to", at: node, key: key)
        }
        return override
    }

    /// A list of roles (`to_contacts`, …) and addresses; nil when the key is absent.
    func recipients(_ map: Node.Mapping, _ name: String, parent: String) -> [ReminderRecipient]? {
        guard map[name] != nil else { return nil }
        let key = YAMLCursor.join(parent, name)
        return cursor.strings(map, name, parent: parent).compactMap { text, node in
            if let role = ReminderRecipient.roles[text] { return role }
            if text.contains("@") { return contact(text, node, key).map(ReminderRecipient.address) }
            let names = ReminderRecipient.roles.keys.sorted()
            let suggestion = names.first { YAMLCursor.isNearMiss(text, $0) }.map { " (did you mean \($0)?)" } ?? ""
            cursor.problem(
                "unknown recipient \(text)\(suggestion): use \(names.joined(separator: ", ")) or a mail address", at: node,
                key: key)
            return nil
        }
    }

    // MARK: digest

    func readDigest(_ node: Node?) -> DigestSchedule {
        let key = "digest"
        var schedule = DigestSchedule()
        guard let map = cursor.mapping(node, key: key) else { return schedule }
        cursor.rejectUnknownKeys(map, known: ["enabled", "weekday", "hour", "horizon_days", "service_manager"], key: key)
        if let enabled = cursor.bool(map, "enabled", parent: key) { schedule.enabled = enabled }
        if let name = cursor.string(map, "weekday", parent: key) {
            if let day = Weekday(name: name) {
                schedule.weekday = day
            } else {
                cursor.problem("must be a day of the week, monday to sunday", at: map["weekday"], key: "\(key).weekday")
            }
        }
        if let hour = cursor.int(map, "hour", parent: key, range: 0...23) { schedule.hour = hour }
        if let days = cursor.int(map, "horizon_days", parent: key, range: 1...366) { schedule.horizonDays = days }
        if let scope = cursor.string(map, "service_manager", parent: key) {
            if let value = DigestScope(rawValue: scope) {
                schedule.serviceManagerScope = value
            } else {
                cursor.problem("must be all, unassigned or none", at: map["service_manager"], key: "\(key).service_manager")
            }
        }
        return schedule
    }
}
