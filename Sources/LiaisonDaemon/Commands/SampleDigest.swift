import Foundation
import LiaisonCore

/// A weekly digest with one statement in each list, rendered by `check-config` so that a broken
/// `digest.mustache` is found before the first Monday.
enum SampleDigest {
    static func render(configuration: Configuration, templates: any TemplateRendering) throws {
        let factory = Runtime.processor(for: configuration, templates: templates).mail
        guard let day = CalendarDate(year: 2099, month: 1, day: 5) else { return }
        func entry(_ number: Int, daysLeft: Int?) -> DigestEntry {
            DigestEntry(
                reference: StatementReference(prefix: configuration.intake.referencePrefix, year: 2099, number: number),
                title: "LS on configuration checks", organization: configuration.directory.organizations.first?.name,
                purpose: .action, deadline: daysLeft.flatMap { day.adding(days: $0) }, daysLeft: daysLeft,
                groups: configuration.directory.groups.keys.sorted().prefix(1).map { $0 },
                sender: Contact(name: "Sample Sender", address: "sender@example.org"))
        }
        let digest = PlannedDigest(
            recipient: DigestRecipient(
                contact: configuration.intake.liaisonManager,
                organizations: configuration.directory.organizations.map(\.name), serviceScope: configuration.digest.serviceManagerScope),
            week: ISOWeek(containing: day), day: day, horizonDays: configuration.digest.horizonDays,
            overdue: [entry(1, daysLeft: -3)], dueSoon: [entry(2, daysLeft: 10)], open: [entry(3, daysLeft: nil)],
            triage: [entry(4, daysLeft: 2)])
        _ = try factory.digest(digest, directory: configuration.directory, now: Date(timeIntervalSince1970: 4_070_908_800))
    }
}
