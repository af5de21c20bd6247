import Foundation

/// Which template each mail about a statement uses, and the fields every one of them gets.
extension OutgoingMailFactory {
    /// The optional, more specific templates and the general one rendered when they are absent.
    public static let templateFallbacks: [String: String] = [
        "triage": "forward",
        "reminder-before": "reminder",
        "reminder-deadline": "reminder",
        "reminder-overdue": "reminder",
    ]

    /// The templates about one statement (what `liaison render` previews), sorted.
    public static let statementTemplates = [
        "acknowledgement", "closed", "forward", "reminder", "reminder-before", "reminder-deadline", "reminder-overdue", "triage",
    ]

    /// The template of a reminder kind: `reminder-before` on the days before the deadline,
    /// `reminder-deadline` on the day itself, `reminder-overdue` after it.
    public static func reminderTemplate(for kind: ReminderKind) -> String {
        switch kind {
        case .before(0): "reminder-deadline"
        case .before: "reminder-before"
        case .overdue: "reminder-overdue"
        }
    }

    /// The template a name resolves to: itself when it exists, else its fallback (see
    /// ``templateFallbacks``).
    public func resolvedTemplate(_ name: String) -> String {
        var name = name
        var seen: Set<String> = []
        while !templates.contains(name), let fallback = Self.templateFallbacks[name], seen.insert(name).inserted {
            name = fallback
        }
        return name
    }

    /// Renders `name` (or its fallback) in the version of `organization`, if it has its own.
    func renderText(_ name: String, organization: String?, context: TemplateValue) throws -> String {
        try templates.render(resolvedTemplate(name), organization: organization, context: context)
    }

    /// The canonical name of the statement's sending organization (the directory's name for an
    /// alias), which selects per-organization templates.
    public func organization(of statement: Statement, directory: Directory) -> String? {
        statement.fromOrganization.map { directory.organization(named: $0)?.name ?? $0 }
    }

    /// The fields every mail about a statement renders: reference, title, From and To groups,
    /// purpose, deadline, contacts. `…_text` variants are ready-made lines ("none" when empty).
    func statementFields(
        reference: StatementReference,
        statement: Statement,
        routing: RoutingDecision,
        directory: Directory
    ) -> [String: TemplateValue] {
        func contacts(_ list: [Contact]) -> TemplateValue { .list(list.map { .string($0.description) }) }
        func describe(_ acronym: String) -> String {
            if let group = directory.groups[acronym.lowercased()] {
                return "\(group.acronym.uppercased()) (\(group.name))"
            }
            if let area = directory.areas[acronym.lowercased()] {
                return "\(area.acronym.uppercased()) area (\(area.name))"
            }
            return acronym
        }
        // The groups the statement names; when it named none, those it was routed to.
        let groups = (statement.toGroups.isEmpty ? routing.groups : statement.toGroups).map(describe)
        let organization = organization(of: statement, directory: directory)
        var from = organization ?? "(unknown)"
        if !statement.fromGroups.isEmpty { from += " (" + statement.fromGroups.joined(separator: ", ") + ")" }
        let managers = organization.flatMap { directory.organization(named: $0)?.liaisonManagers } ?? []
        return [
            "reference": .string(reference.description),
            "title": .string(statement.title ?? "(no title)"),
            "from_organization": .string(statement.fromOrganization ?? "(unknown)"),
            "from_groups": .list(statement.fromGroups.map { .string($0) }),
            "from_text": .string(from),
            "from_contacts": contacts(statement.fromContacts),
            "to_groups": .list(groups.map { .string($0) }),
            "has_to_groups": .bool(!groups.isEmpty),
            "to_groups_text": .string(groups.isEmpty ? "none identified" : groups.joined(separator: ", ")),
            "to_contacts": contacts(statement.toContacts),
            "cc_contacts": contacts(statement.ccContacts),
            "response_contacts": contacts(statement.responseContacts),
            "technical_contacts": contacts(statement.technicalContacts),
            "action_holders": .list(statement.actionHolders.map { .string($0) }),
            "purpose": .string(statement.purpose?.description ?? "(not stated)"),
            "has_deadline": .bool(statement.deadline != nil),
            "deadline": .string(statement.deadline?.description ?? ""),
            "deadline_text": .string(statement.deadline?.description ?? "none given"),
            "identifiers": .list(statement.identifiers.map { .string($0) }),
            "has_identifiers": .bool(!statement.identifiers.isEmpty),
            "organization_liaison_managers": contacts(managers),
            "service_address": .string(settings.serviceAddress.description),
            "liaison_manager": .string(settings.liaisonManager.description),
        ]
    }

    /// A field's name in a sentence ("the addressed groups (To) could not be found").
    static func readableName(_ field: StatementField) -> String {
        switch field {
        case .from: "sending organization (From)"
        case .to: "addressed groups (To)"
        case .cc: "copied groups (Cc)"
        default: field.description.replacingOccurrences(of: "-", with: " ")
        }
    }

    /// Why a statement is in triage, one sentence each: missing fields, doubts the extractor
    /// noted, and no known group addressed.
    func triageReasons(statement: Statement, routing: RoutingDecision) -> [String] {
        var reasons = statement.missing.map { "the \(Self.readableName($0)) could not be found" }
        reasons += statement.triageReasons.map(\.description)
        if routing.isTriage || routing.groups.isEmpty {
            reasons.append("no group or area known to the directory is addressed")
        }
        return reasons
    }
}
