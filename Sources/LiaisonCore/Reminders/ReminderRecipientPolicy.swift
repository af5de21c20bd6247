/// One entry of a reminder's recipient list: a role resolved per statement, or a fixed address.
public enum ReminderRecipient: Sendable, Hashable, CustomStringConvertible {
    /// The statement's addressed contacts (its `To:`), or its routed `To` when it names none.
    case toContacts
    /// The chairs of the groups named as action holders.
    case actionHolders
    /// The chairs of every group the statement was routed to.
    case chairs
    /// The area directors of the lead group's area.
    case areaDirectors
    /// The statement's response contacts.
    case responseContacts
    /// The statement's technical contacts.
    case technicalContacts
    /// The liaison managers of the sending organization (from the directory).
    case liaisonManagers
    /// A fixed address.
    case address(Contact)

    /// The roles by their configuration names.
    public static let roles: [String: ReminderRecipient] = [
        "to_contacts": .toContacts, "action_holders": .actionHolders, "chairs": .chairs,
        "area_directors": .areaDirectors, "response_contacts": .responseContacts,
        "technical_contacts": .technicalContacts, "liaison_managers": .liaisonManagers,
    ]

    /// The configuration name of a role, or the address.
    public var description: String {
        switch self {
        case .address(let contact): contact.description
        default: ReminderRecipient.roles.first { $0.value == self }?.key ?? "?"
        }
    }
}

/// Who gets a reminder: `To`, `Cc`, and who is added to `To` from the deadline on.
public struct ReminderRecipientSet: Sendable, Equatable {
    /// Recipients in `To`.
    public var to: [ReminderRecipient]
    /// Recipients in `Cc` (an address already in `To` is not repeated).
    public var cc: [ReminderRecipient]
    /// Added to `To` by the reminders that escalate (the deadline day and overdue ones).
    public var escalation: [ReminderRecipient]

    /// Creates a set; the defaults are the Datatracker's: To the addressed contacts and the
    /// action holders' chairs, Cc the response and technical contacts and the organization's
    /// liaison managers, escalating to the lead group's area directors.
    public init(
        to: [ReminderRecipient] = [.toContacts, .actionHolders],
        cc: [ReminderRecipient] = [.responseContacts, .technicalContacts, .liaisonManagers],
        escalation: [ReminderRecipient] = [.areaDirectors]
    ) {
        self.to = to
        self.cc = cc
        self.escalation = escalation
    }
}

/// Replaces some lists of a ``ReminderRecipientSet``; a list left `nil` is kept.
public struct ReminderRecipientOverride: Sendable, Equatable {
    /// Replaces `To` when given.
    public var to: [ReminderRecipient]?
    /// Replaces `Cc` when given.
    public var cc: [ReminderRecipient]?
    /// Replaces the escalation list when given.
    public var escalation: [ReminderRecipient]?

    /// Creates an override.
    public init(to: [ReminderRecipient]? = nil, cc: [ReminderRecipient]? = nil, escalation: [ReminderRecipient]? = nil) {
        self.to = to
        self.cc = cc
        self.escalation = escalation
    }

    /// `set` with the lists this override gives replaced.
    public func applied(to set: ReminderRecipientSet) -> ReminderRecipientSet {
        ReminderRecipientSet(to: to ?? set.to, cc: cc ?? set.cc, escalation: escalation ?? set.escalation)
    }
}

/// The recipients of reminders: defaults, then an override per purpose, then one per sending
/// organization (the organization's wins where both give the same list).
public struct ReminderRecipientPolicy: Sendable, Equatable {
    /// Used for every statement unless overridden.
    public var defaults: ReminderRecipientSet
    /// Overrides by the statement's purpose.
    public var byPurpose: [Purpose: ReminderRecipientOverride]
    /// Overrides by the sending organization's canonical name, lowercased.
    public var byOrganization: [String: ReminderRecipientOverride]

    /// Creates a policy; with no arguments, today's Datatracker behaviour.
    public init(
        defaults: ReminderRecipientSet = ReminderRecipientSet(),
        byPurpose: [Purpose: ReminderRecipientOverride] = [:],
        byOrganization: [String: ReminderRecipientOverride] = [:]
    ) {
        self.defaults = defaults
        self.byPurpose = byPurpose
        self.byOrganization = Dictionary(
            byOrganization.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The recipient lists for a statement of this purpose from this organization (canonical name).
    public func recipients(purpose: Purpose?, organization: String?) -> ReminderRecipientSet {
        var set = defaults
        if let purpose, let override = byPurpose[purpose] { set = override.applied(to: set) }
        if let organization, let override = byOrganization[organization.lowercased()] { set = override.applied(to: set) }
        return set
    }
}
