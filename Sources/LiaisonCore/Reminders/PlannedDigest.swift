/// A statement as the weekly digest lists it.
public struct DigestEntry: Sendable, Equatable {
    /// Its reference number.
    public var reference: StatementReference
    /// Its title.
    public var title: String
    /// The sending organization (the directory's name for it when known).
    public var organization: String?
    /// Its purpose, if found.
    public var purpose: Purpose?
    /// Its deadline, if any.
    public var deadline: CalendarDate?
    /// Days from the digest's day to the deadline: negative when overdue, `nil` without a deadline.
    public var daysLeft: Int?
    /// The directory acronyms of the groups it was routed to, lead first.
    public var groups: [String]
    /// The sender of the mail it came in (shown when the organization is unknown).
    public var sender: Contact?

    /// Creates an entry.
    public init(
        reference: StatementReference, title: String, organization: String?, purpose: Purpose?, deadline: CalendarDate?,
        daysLeft: Int?, groups: [String], sender: Contact? = nil
    ) {
        self.reference = reference
        self.title = title
        self.organization = organization
        self.purpose = purpose
        self.deadline = deadline
        self.daysLeft = daysLeft
        self.groups = groups
        self.sender = sender
    }
}

/// Who receives a digest and which statements it covers.
public struct DigestRecipient: Sendable, Equatable {
    /// The liaison manager.
    public var contact: Contact
    /// The organizations (directory names) they manage; their statements are listed.
    public var organizations: [String]
    /// Set when this is also the service's own liaison manager: what else they see.
    public var serviceScope: DigestScope?

    /// Creates a recipient.
    public init(contact: Contact, organizations: [String], serviceScope: DigestScope? = nil) {
        self.contact = contact
        self.organizations = organizations
        self.serviceScope = serviceScope
    }
}

/// One weekly digest to send: unique by recipient address and ISO week, so it is sent at most once.
public struct PlannedDigest: Sendable, Equatable {
    /// Who it goes to, and what it covers.
    public var recipient: DigestRecipient
    /// The ISO week it is for.
    public var week: ISOWeek
    /// The day it was planned on, in the configured time zone.
    public var day: CalendarDate
    /// How many days ahead "due soon" looks.
    public var horizonDays: Int
    /// Open statements whose deadline has passed, most overdue first.
    public var overdue: [DigestEntry]
    /// Open statements due within ``horizonDays`` (today included), soonest first.
    public var dueSoon: [DigestEntry]
    /// Other statements waiting for action: later deadline or none.
    public var open: [DigestEntry]
    /// Statements waiting for the liaison manager's triage.
    public var triage: [DigestEntry]

    /// Creates a digest.
    public init(
        recipient: DigestRecipient, week: ISOWeek, day: CalendarDate, horizonDays: Int, overdue: [DigestEntry] = [],
        dueSoon: [DigestEntry] = [], open: [DigestEntry] = [], triage: [DigestEntry] = []
    ) {
        self.recipient = recipient
        self.week = week
        self.day = day
        self.horizonDays = horizonDays
        self.overdue = overdue
        self.dueSoon = dueSoon
        self.open = open
        self.triage = triage
    }

    /// The number of statements listed.
    public var count: Int { overdue.count + dueSoon.count + open.count + triage.count }

    /// Nothing to report: such a digest is not sent.
    public var isEmpty: Bool { count == 0 }

    /// `[Liaison digest] 2026-W48: 1 overdue, 2 due within 30 days, 3 open, 1 in triage`.
    public var subject: String {
        var parts: [String] = []
        if !overdue.isEmpty { parts.append("\(overdue.count) overdue") }
        if !dueSoon.isEmpty { parts.append("\(dueSoon.count) due within \(horizonDays) days") }
        if !open.isEmpty { parts.append("\(open.count) open") }
        if !triage.isEmpty { parts.append("\(triage.count) in triage") }
        return "[Liaison digest] \(week): " + (parts.isEmpty ? "nothing open" : parts.joined(separator: ", "))
    }
}
