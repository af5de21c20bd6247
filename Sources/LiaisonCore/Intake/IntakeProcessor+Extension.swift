import Foundation

extension IntakeProcessor {
    /// The courtesy notice to the peer when a statement's deadline moves (`Action: extend`, RFC
    /// 4053), with the history entry saying whom it went to — or why none was sent.
    ///
    /// No notice when the date does not change. A notice that cannot be built (a missing
    /// template, a header with a line break) is left out and noted: extending matters more.
    public func extensionNotices(
        for recorded: RecordedStatement, to date: CalendarDate, by who: String, events: inout [StatementEvent], now: Date
    ) -> [OutgoingMessage] {
        guard recorded.statement.deadline != date else { return [] }
        do {
            guard
                let notice = try mail.extensionNotice(
                    recorded, previous: recorded.statement.deadline, newDeadline: date, by: who, directory: router.directory, now: now)
            else {
                events.append(
                    StatementEvent(kind: "no-extension-notice", detail: "no extension notice: nobody to tell, or the sender is not authenticated", at: now))
                return []
            }
            events.append(
                StatementEvent(
                    kind: "extension-notice", detail: "extension notice to " + notice.envelope.recipients.joined(separator: ", "), at: now))
            return [notice]
        } catch {
            events.append(StatementEvent(kind: "no-extension-notice", detail: "no extension notice: \(error)", at: now))
            return []
        }
    }
}
