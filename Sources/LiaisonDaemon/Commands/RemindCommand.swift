import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME

extension Liaison {
    /// The reminders due now (`liaison remind [--dry-run]`).
    ///
    /// With `dryRun` it prints them — reference, kind, day, To, Cc and the subject of the mail
    /// that would go out — recording and sending nothing. Without it, it records them with their
    /// outbox entries, exactly as the daemon's cycle does (at most once per statement, deadline and
    /// kind, so running it next to the daemon never doubles a reminder); the outbox sends them.
    ///
    /// - Parameter now: the instant reminders are planned for (the current time, except in tests).
    public static func remind(dryRun: Bool, configPath: String, now: Date = Date()) async throws -> String {
        let configuration = try configuration(at: configPath)
        let templates = try TemplateLibrary(directory: configuration.templatesDirectory)
        let store = try SQLiteStore(path: configuration.databasePath)
        let run = ReminderRun(
            store: store,
            planner: Runtime.reminderPlanner(for: configuration),
            mail: Runtime.processor(for: configuration, templates: templates).mail,
            clock: FixedClock(now))
        if dryRun {
            let planned = try await run.plan()
            guard !planned.isEmpty else { return "no reminders due now (dry run)\n" }
            return planned.map { reminder, message in
                RemindText.render(reminder, subject: MIMEMessage(bytes: message.raw).subject ?? reminder.subject)
            }.joined() + "dry run: \(planned.count) reminder\(planned.count == 1 ? "" : "s") would be sent; nothing recorded\n"
        }
        let recorded = try await run.run()
        guard !recorded.isEmpty else { return "no reminders due now\n" }
        return recorded.map { RemindText.render($0, subject: $0.subject) }.joined()
            + "recorded \(recorded.count) reminder\(recorded.count == 1 ? "" : "s"); "
            + "sent by the next outbox run (`liaison run`, or `liaison poll --once`)\n"
    }
}

/// One reminder as `liaison remind` prints it.
enum RemindText {
    static func render(_ reminder: PlannedReminder, subject: String) -> String {
        func join(_ contacts: [Contact]) -> String { contacts.isEmpty ? "-" : contacts.map(\.description).joined(separator: ", ") }
        return "\(reminder.reference)  \(reminder.kind.key)  \(reminder.day)\n"
            + "  To:      \(join(reminder.to))\n"
            + "  Cc:      \(join(reminder.cc))\n"
            + "  Subject: \(subject)\n"
    }
}
