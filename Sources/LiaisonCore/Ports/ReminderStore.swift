import Foundation

/// The part of the store the reminder run needs.
public protocol ReminderStore: Sendable {
    /// Statements with a deadline that are not closed.
    func openStatements() async throws -> [OpenStatement]

    /// Records a reminder and stores its message in the outbox, in one transaction, at most once
    /// per statement, deadline and kind — whatever restarts, clock jumps or double runs happen.
    ///
    /// - Returns: `false`, storing nothing, when that reminder was already recorded.
    func recordReminder(_ reminder: PlannedReminder, deadline: CalendarDate, message: OutgoingMessage, at date: Date) async throws -> Bool

    /// Whether that reminder (statement, deadline, kind) was already recorded.
    func isReminderRecorded(_ reference: StatementReference, deadline: CalendarDate, kind: ReminderKind) async throws -> Bool
}
