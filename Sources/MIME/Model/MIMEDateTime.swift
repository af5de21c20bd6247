/// A date and time as written in a Date field, with its zone offset.
public struct MIMEDateTime: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Four-digit year (two-digit years are expanded: 00-49 → 20xx, 50-99 → 19xx).
    public var year: Int
    /// 1-12.
    public var month: Int
    /// 1-31.
    public var day: Int
    /// 0-23.
    public var hour: Int
    /// 0-59.
    public var minute: Int
    /// 0-60 (0 when the field had no seconds).
    public var second: Int
    /// Offset from UTC in minutes (`-0500` → -300; named zones mapped, unknown ones 0).
    public var offsetMinutes: Int

    /// Creates a date-time.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offsetMinutes: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.offsetMinutes = offsetMinutes
    }

    /// Parses an RFC 5322 date (obsolete forms accepted); `nil` when unparseable.
    public init?(parsing text: String) {
        guard let parsed = DateParser.parse(Array(text.utf8)) else { return nil }
        self = parsed
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64 {
        // Wrapping arithmetic: absurd field values give a wrong number, never a trap.
        let days = MIMEDateTime.daysFromCivil(year: year, month: month, day: day)
        let clock =
            Int64(truncatingIfNeeded: hour) &* 3600 &+ Int64(truncatingIfNeeded: minute) &* 60
            &+ Int64(truncatingIfNeeded: second)
        return days &* 86_400 &+ clock &- Int64(truncatingIfNeeded: offsetMinutes) &* 60
    }

    /// The RFC 5322 form, e.g. `Tue, 1 Jul 2003 10:52:37 +0200`.
    public var description: String {
        MIMEDate.format(secondsSince1970: secondsSince1970, offsetMinutes: offsetMinutes)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        // Clamped so any input stays far from overflow.
        let year = Int64(truncatingIfNeeded: max(-1_000_000, min(1_000_000, year)))
        let m = Int64(truncatingIfNeeded: max(1, min(12, month)))
        let d = Int64(truncatingIfNeeded: max(-1_000_000, min(1_000_000, day)))
        let y = m <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
