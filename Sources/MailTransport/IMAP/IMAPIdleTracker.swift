/// Follows the message count of the watched mailbox and says when new mail may have arrived.
///
/// The baseline is the `EXISTS` (and `RECENT`) of the EXAMINE reply; after that, an `EXISTS`
/// above the tracked count or a `RECENT` above the last one means new mail. `EXPUNGE` lowers the
/// count (the daemon's own moves out of the intake mailbox), so a message arriving right after a
/// move is still seen as an increase.
struct IMAPIdleTracker: Equatable {
    /// The message count as last reported; `nil` before the baseline.
    private(set) var messages: Int?
    /// The last `RECENT` count.
    private(set) var recent = 0

    /// Creates a tracker without a baseline.
    init() {}

    /// Applies one event; returns whether it signals new mail.
    mutating func apply(_ event: IMAPIdleEvent) -> Bool {
        switch event {
        case .exists(let count):
            defer { messages = count }
            guard let messages else { return false }
            return count > messages
        case .recent(let count):
            defer { recent = count }
            return messages != nil && count > recent
        case .expunge:
            if let count = messages, count > 0 { messages = count - 1 }
            return false
        case .continuation, .capabilities, .bye, .tagged, .other:
            return false
        }
    }

    /// Records the EXAMINE reply's counts as the baseline (no change is signalled for them).
    mutating func setBaseline(_ events: [IMAPIdleEvent]) {
        messages = nil
        recent = 0
        for event in events {
            switch event {
            case .exists(let count): messages = count
            case .recent(let count): recent = count
            default: break
            }
        }
        if messages == nil { messages = 0 }
    }
}
