/// A day of the week, numbered as ISO 8601 numbers them (Monday 1 … Sunday 7).
public enum Weekday: Int, Sendable, CaseIterable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The English name in lower case, as the configuration spells it (`monday`).
    public var description: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    /// The weekday named `name` (any case; `mon` … `sun` too).
    public init?(name: String) {
        let wanted = name.lowercased()
        guard let day = Weekday.allCases.first(where: { $0.description == wanted || String($0.description.prefix(3)) == wanted })
        else { return nil }
        self = day
    }
}

/// An ISO 8601 week (`2026-W48`): weeks start on Monday, and week 1 is the one holding the
/// year's first Thursday, so the week's year can differ from its Monday's year.
public struct ISOWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The week-numbering year.
    public var year: Int
    /// The week number, 1 to 53.
    public var week: Int

    /// Creates a week.
    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// The week holding `date`.
    public init(containing date: CalendarDate) {
        // The Thursday of the date's week decides the week-numbering year.
        let thursday = date.dayNumber - (date.weekday.rawValue - 1) + 3
        let year = CalendarDate(dayNumber: thursday)?.year ?? date.year
        let januaryFirst = CalendarDate(year: year, month: 1, day: 1)?.dayNumber ?? thursday
        self.init(year: year, week: (thursday - januaryFirst) / 7 + 1)
    }

    /// `2026-W48`: sorts like the weeks it names (for years 1000 to 9999).
    public var description: String {
        let digits = String(week)
        return "\(year)-W\(digits.count < 2 ? "0" + digits : digits)"
    }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool {
        (lhs.year, lhs.week) < (rhs.year, rhs.week)
    }
}

extension CalendarDate {
    /// The day of the week (1970-01-01 was a Thursday).
    public var weekday: Weekday {
        let index = ((dayNumber + 3) % 7 + 7) % 7  // 0 = Monday
        return Weekday(rawValue: index + 1) ?? .monday
    }
}
