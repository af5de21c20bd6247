import Foundation

/// Sends the reminders due now: plans them, renders each, and records it together with its
/// outbox entry, so that a reminder is stored at most once and sent by the outbox like any mail.
public struct ReminderRun: Sendable {
    private let store: any ReminderStore
    private let planner: ReminderPlanner
    private let mail: OutgoingMailFactory
    private let clock: any WallClock
    /// Runs after the reminders: invitation reminders and summaries (docs/engagement.md).
    private let engagement: EngagementRun?

    /// Creates a run; `engagement`, when given, runs after every ``run()``.
    public init(
        store: any ReminderStore, planner: ReminderPlanner, mail: OutgoingMailFactory, clock: any WallClock,
        engagement: EngagementRun? = nil
    ) {
        self.store = store
        self.planner = planner
        self.mail = mail
        self.clock = clock
        self.engagement = engagement
    }

    /// Records every reminder due now that was not recorded before.
    ///
    /// - Returns: the reminders newly recorded.
    /// - Throws: when the store fails; a reminder that cannot be rendered is skipped.
    @discardableResult
    public func run() async throws -> [PlannedReminder] {
        let now = clock.now()
        var recorded: [PlannedReminder] = []
        for (reminder, deadline, message) in try await rendered(at: now) {
            if try await store.recordReminder(reminder, deadline: deadline, message: message, at: now) {
                recorded.append(reminder)
            }
        }
        // Invitations to comment close on the same clock; their mail is recorded once, like reminders.
        if let engagement { try await engagement.run() }
        return recorded
    }

    /// The reminders ``run()`` would record now, with their rendered messages, recording and
    /// sending nothing (`liaison remind --dry-run`): those already recorded are left out.
    public func plan() async throws -> [(reminder: PlannedReminder, message: OutgoingMessage)] {
        var planned: [(reminder: PlannedReminder, message: OutgoingMessage)] = []
        for (reminder, deadline, message) in try await rendered(at: clock.now()) {
            let recorded = try await store.isReminderRecorded(reminder.reference, deadline: deadline, kind: reminder.kind)
            if !recorded { planned.append((reminder, message)) }
        }
        return planned
    }

    /// The reminders due at `now` that have recipients and render, with their deadline and message.
    private func rendered(at now: Date) async throws -> [(PlannedReminder, CalendarDate, OutgoingMessage)] {
        let open = try await store.openStatements()
        let byReference = Dictionary(open.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        return planner.due(open, at: now).compactMap { reminder in
            guard let statement = byReference[reminder.reference], let deadline = statement.statement.deadline,
                !reminder.to.isEmpty,
                let message = try? mail.reminder(reminder, for: statement, directory: planner.directory, now: now)
            else { return nil }
            return (reminder, deadline, message)
        }
    }
}
