/// Which reminder a statement gets on a given day, named as the IETF Datatracker names them.
public enum ReminderKind: Sendable, Hashable, CustomStringConvertible {
    /// N days before the deadline (0: the deadline is today).
    case before(days: Int)
    /// N days after the deadline.
    case overdue(days: Int)

    /// The kind of the day `days` after the deadline (negative: before it; 0: the deadline day).
    public init(daysAfterDeadline days: Int) {
        self = days > 0 ? .overdue(days: days) : .before(days: -days)
    }

    /// Days after the deadline (negative before it) of the day this reminder belongs to: the
    /// order of a deadline's reminders.
    public var daysAfterDeadline: Int {
        switch self {
        case .before(let days): -days
        case .overdue(let days): days
        }
    }

    /// The kind a ``key`` names (`before-7`, `overdue-3`), or `nil`.
    public init?(key: some StringProtocol) {
        if key.hasPrefix("before-"), let days = Int(key.dropFirst("before-".count)), days >= 0 {
            self = .before(days: days)
        } else if key.hasPrefix("overdue-"), let days = Int(key.dropFirst("overdue-".count)), days >= 1 {
            self = .overdue(days: days)
        } else {
            return nil
        }
    }

    /// A stable key, e.g. `before-7` or `overdue-3`, used to record that the reminder was sent.
    public var key: String {
        switch self {
        case .before(let days): "before-\(days)"
        case .overdue(let days): "overdue-\(days)"
        }
    }

    /// The subject wording: "Deadline in one week", "Deadline today", "OUT OF DATE (3 days)".
    public var description: String {
        switch self {
        case .before(0): "Deadline today"
        case .before(1): "Deadline tomorrow"
        case .before(7): "Deadline in one week"
        case .before(14): "Deadline in two weeks"
        case .before(let days) where days % 7 == 0: "Deadline in \(days / 7) weeks"
        case .before(let days): "Deadline in \(ReminderKind.spelled(days)) days"
        case .overdue(let days): "OUT OF DATE (\(days) day\(days == 1 ? "" : "s"))"
        }
    }

    /// Whether the reminder escalates to the lead group's area directors (from the deadline on).
    public var escalates: Bool {
        switch self {
        case .before(let days): days == 0
        case .overdue: true
        }
    }

    private static func spelled(_ number: Int) -> String {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        return number < words.count ? words[number] : String(number)
    }
}
