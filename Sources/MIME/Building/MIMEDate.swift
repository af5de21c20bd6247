#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Formatting of RFC 5322 Date values.
public enum MIMEDate {
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats an instant as an RFC 5322 date, e.g. `Tue, 01 Jul 2003 10:52:37 +0200`.
    ///
    /// - Parameters:
    ///   - secondsSince1970: the instant, in seconds since 1970-01-01T00:00:00Z.
    ///   - offsetMinutes: the zone offset to show the local time in (east of UTC positive).
    public static func format(secondsSince1970: Int64, offsetMinutes: Int = 0) -> String {
        // Years 0001-9999 and offsets within a day: a date header cannot say more.
        let seconds = max(-62_135_596_800, min(253_402_300_799, secondsSince1970))
        let offsetMinutes = max(-1439, min(1439, offsetMinutes))
        let local = seconds + Int64(offsetMinutes) * 60
        var days = local / 86_400
        var secs = local % 86_400
        if secs < 0 {
            secs += 86_400
            days -= 1
        }
        let (y, m, d) = MIMEDateTime.civilFromDays(days)
        var weekday = Int((days + 4) % 7)  // 1970-01-01 was a Thursday
        if weekday < 0 { weekday += 7 }
        let hh = Int(secs / 3600)
        let mm = Int(secs / 60 % 60)
        let ss = Int(secs % 60)
        let sign = offsetMinutes < 0 ? "-" : "+"
        let off = abs(offsetMinutes)
        return
            "\(dayNames[weekday]), \(pad2(d)) \(monthNames[m - 1]) \(y) \(pad2(hh)):\(pad2(mm)):\(pad2(ss)) \(sign)\(pad2(off / 60))\(pad2(off % 60))"
    }

    /// The current time in UTC, formatted (reads the system clock).
    public static func now() -> String {
        format(secondsSince1970: Int64(time(nil)), offsetMinutes: 0)
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
