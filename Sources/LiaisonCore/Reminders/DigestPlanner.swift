import Foundation

/// Decides which weekly digests are due and what each lists. Pure: the caller passes the instant
/// (from its clock) and records each digest once per recipient and ISO week.
///
/// A digest is due on the configured weekday, from the configured hour to midnight. It is not
/// sent on another day: a daemon started on a Friday does not send that week's digest, and one
/// down for the whole weekday skips that week (the next week's digest lists everything again).
public struct DigestPlanner: Sendable {
    /// When digests go out and what they cover.
    public var schedule: DigestSchedule
    /// The time zone days, weeks and hours are counted in.
    public var timeZone: TimeZone
    /// Organizations and their liaison managers.
    public var directory: Directory
    /// The service's own liaison manager (`service.liaison_manager`), if it gets a digest.
    public var serviceManager: Contact?

    /// Creates a planner.
    public init(schedule: DigestSchedule = DigestSchedule(), timeZone: TimeZone, directory: Directory, serviceManager: Contact?) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.directory = directory
        self.serviceManager = serviceManager
    }

    /// The ISO week whose digests are due at `now`, and today's date; `nil` on other days than
    /// the configured weekday, before its configured hour, or when digests are off.
    public func dueWeek(at now: Date) -> (week: ISOWeek, day: CalendarDate)? {
        guard schedule.enabled, let today = CalendarDate(now, in: timeZone), today.weekday == schedule.weekday else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if calendar.component(.hour, from: now) < schedule.hour { return nil }
        return (ISOWeek(containing: today), today)
    }

    /// Everyone who gets a digest, one entry per address (lowercased), in directory order: each
    /// organization's liaison managers, then the service's liaison manager.
    public func recipients() -> [DigestRecipient] {
        var recipients: [DigestRecipient] = []
        func index(of contact: Contact) -> Int? {
            recipients.firstIndex { $0.contact.address.lowercased() == contact.address.lowercased() }
        }
        for organization in directory.organizations {
            for manager in organization.liaisonManagers {
                if let index = index(of: manager) {
                    if !recipients[index].organizations.contains(organization.name) {
                        recipients[index].organizations.append(organization.name)
                    }
                } else {
                    recipients.append(DigestRecipient(contact: manager, organizations: [organization.name]))
                }
            }
        }
        if let manager = serviceManager, schedule.serviceManagerScope != .off {
            if let index = index(of: manager) {
                recipients[index].serviceScope = schedule.serviceManagerScope
            } else {
                recipients.append(DigestRecipient(contact: manager, organizations: [], serviceScope: schedule.serviceManagerScope))
            }
        }
        return recipients
    }

    /// The digests due at `now` for recipients whose address (lowercased) is not in `recorded`,
    /// over the statements that are not closed. Empty digests are included (the caller records
    /// them, so the week is done for that recipient, and sends nothing).
    public func due(_ statements: [RecordedStatement], at now: Date, excluding recorded: Set<String> = []) -> [PlannedDigest] {
        guard let (week, day) = dueWeek(at: now) else { return [] }
        return recipients()
            .filter { !recorded.contains($0.contact.address.lowercased()) }
            .map { digest(for: $0, statements: statements, week: week, day: day) }
    }

    /// The digest of one recipient for a week, planned on `day`.
    public func digest(for recipient: DigestRecipient, statements: [RecordedStatement], week: ISOWeek, day: CalendarDate) -> PlannedDigest {
        var digest = PlannedDigest(recipient: recipient, week: week, day: day, horizonDays: schedule.horizonDays)
        let managed = Set(recipient.organizations.map { $0.lowercased() })
        for record in statements.sorted(by: { ($0.reference.year, $0.reference.number) < ($1.reference.year, $1.reference.number) }) {
            let organization = record.statement.fromOrganization.flatMap { directory.organization(named: $0) }
            let triage = record.state == .needsTriage
            guard triage || Self.awaitsAction(record.statement) else { continue }
            var listed = organization.map { managed.contains($0.name.lowercased()) } ?? false
            switch recipient.serviceScope {
            case .all: listed = true
            case .unassigned: listed = listed || triage || (organization?.liaisonManagers.isEmpty ?? true)
            case .off, nil: break
            }
            guard listed else { continue }
            let deadline = record.statement.deadline
            let entry = DigestEntry(
                reference: record.reference,
                title: record.statement.title ?? "(no title)",
                organization: organization?.name ?? record.statement.fromOrganization,
                purpose: record.statement.purpose,
                deadline: deadline,
                daysLeft: deadline.map { $0.dayNumber - day.dayNumber },
                groups: record.routing.groups,
                sender: record.sender)
            if triage {
                digest.triage.append(entry)
            } else if let left = entry.daysLeft, left < 0 {
                digest.overdue.append(entry)
            } else if let left = entry.daysLeft, left <= schedule.horizonDays {
                digest.dueSoon.append(entry)
            } else {
                digest.open.append(entry)
            }
        }
        let byDeadline = { (a: DigestEntry, b: DigestEntry) -> Bool in
            (a.daysLeft ?? Int.max, a.reference.year, a.reference.number) < (b.daysLeft ?? Int.max, b.reference.year, b.reference.number)
        }
        digest.overdue.sort(by: byDeadline)
        digest.dueSoon.sort(by: byDeadline)
        digest.open.sort(by: byDeadline)
        return digest
    }

    /// Whether a routed, unclosed statement still waits for something: it has a deadline, or
    /// its purpose (action, comment) expects a reply. Statements for information or in response
    /// without a deadline are not listed.
    static func awaitsAction(_ statement: Statement) -> Bool {
        statement.deadline != nil || statement.purpose?.expectsDeadline == true
    }
}
