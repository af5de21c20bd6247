/// A lenient RFC 5322 date parser (obsolete forms included).
///
/// Accepts `[Day,] DD Mon YYYY HH:MM[:SS] [zone]` with comments, extra
/// whitespace around colons, two- and three-digit years, named and military
/// zones, and the asctime order `Mon DD HH:MM:SS YYYY`.
enum DateParser {
    enum Token: Equatable {
        case number(Int, digits: Int)
        /// Lowercased letters: the first eight packed (first letter in the
        /// low byte) and the length, counted up to 16.
        case word(UInt64, count: Int)
        case colon
        case sign(Int)  // +1 / -1, only directly before digits
    }

    static let months: [[UInt8]] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .map { Array($0.utf8) }
    static let weekdays: [[UInt8]] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { Array($0.utf8) }
    static let zones: [[UInt8]: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
        // Common non-RFC names seen in old mail.
        "bst": 60, "cet": 60, "cest": 120, "met": 60, "mest": 120, "eet": 120, "eest": 180, "wet": 0, "west": 60,
        "jst": 540, "kst": 540, "hkt": 480, "ist": 330, "msk": 180, "aest": 600, "nzst": 720,
    ].reduce(into: [:]) { $0[Array($1.key.utf8)] = $1.value }

    /// 1-12 for the three first letters of a month name (never a weekday's).
    @inline(__always)
    static func monthNumber(_ first3: UInt64) -> Int? {
        for (i, m) in monthCodes.enumerated() where m == first3 { return i + 1 }
        return nil
    }

    static let monthCodes: [UInt64] = months.map { m in
        var v: UInt64 = 0
        for (i, c) in m.enumerated() { v |= UInt64(c) << (8 * UInt64(i)) }
        return v
    }

    /// The offset of a named zone (the whole word must match).
    @inline(__always)
    static func zoneOffset(_ packed: UInt64, count: Int) -> Int? {
        guard count <= 4 else { return nil }
        for (code, length, offset) in zoneCodes where code == packed && length == count { return offset }
        return nil
    }

    static let zoneCodes: [(UInt64, Int, Int)] = zones.map { key, offset in
        var v: UInt64 = 0
        for (i, c) in key.enumerated() { v |= UInt64(c) << (8 * UInt64(i)) }
        return (v, key.count, offset)
    }

    static func tokenize(_ s: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(16)  // "Tue, 1 Jul 2003 10:52:37 +0200" is 12
        var i = 0
        let n = s.count
        var depth = 0
        while i < n {
            let b = s[i]
            if b == UInt8(ascii: "(") {
                depth += 1
                i += 1
                continue
            }
            if b == UInt8(ascii: ")") {
                depth = max(0, depth - 1)
                i += 1
                continue
            }
            if depth > 0 {
                i += 1
                continue
            }
            if b >= 48 && b <= 57 {
                var v = 0
                var d = 0
                while i < n && s[i] >= 48 && s[i] <= 57 {
                    if d < 9 { v = v * 10 + Int(s[i] - 48) }
                    d += 1
                    i += 1
                }
                tokens.append(.number(v, digits: d))
            } else if (b | 0x20) >= 97 && (b | 0x20) <= 122 {
                var packed: UInt64 = 0
                var count = 0
                while i < n && (s[i] | 0x20) >= 97 && (s[i] | 0x20) <= 122 {
                    if count < 8 { packed |= UInt64(s[i] | 0x20) << (8 * UInt64(count)) }
                    if count < 16 { count += 1 }
                    i += 1
                }
                tokens.append(.word(packed, count: count))
            } else if b == UInt8(ascii: ":") {
                tokens.append(.colon)
                i += 1
            } else if (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) && i + 1 < n && s[i + 1] >= 48
                && s[i + 1] <= 57
            {
                tokens.append(.sign(b == UInt8(ascii: "+") ? 1 : -1))
                i += 1
            } else {
                i += 1  // ',', '.', '-', whitespace and anything else separate tokens
            }
        }
        return tokens
    }

    static func parse(_ s: [UInt8]) -> MIMEDateTime? {
        let tokens = tokenize(s)
        var day: Int? = nil
        var month: Int? = nil
        var year: Int? = nil
        var yearDigits = 4
        var hour: Int? = nil
        var minute = 0
        var second = 0
        var offset: Int? = nil
        var i = 0
        while i < tokens.count {
            switch tokens[i] {
            case .word(let packed, let count):
                if count >= 3, let m = monthNumber(packed & 0xFF_FFFF), month == nil {
                    month = m
                } else if hour != nil, offset == nil, let z = zoneOffset(packed, count: count) {
                    offset = z
                } else if hour != nil, offset == nil, count == 1 {
                    offset = 0  // military zones: RFC 5322 says treat as -0000
                }
            case .number(let v, let digits):
                if i + 2 < tokens.count, tokens[i + 1] == .colon, case .number(let m, _) = tokens[i + 2], hour == nil {
                    hour = v
                    minute = m
                    i += 3
                    if i + 1 < tokens.count, tokens[i] == .colon, case .number(let sec, _) = tokens[i + 1] {
                        second = sec
                        i += 2
                    }
                    continue
                }
                if day == nil && digits <= 2 && v >= 1 && v <= 31 && year == nil {
                    day = v
                } else if year == nil {
                    year = v
                    yearDigits = digits
                }
            case .sign(let sign):
                if i + 1 < tokens.count, case .number(let v, let digits) = tokens[i + 1], hour != nil, offset == nil {
                    let hh = digits <= 2 ? v : v / 100
                    let mm = digits <= 2 ? 0 : v % 100
                    if hh <= 23 && mm <= 59 { offset = sign * (hh * 60 + mm) }
                    i += 2
                    continue
                }
            case .colon:
                break
            }
            i += 1
        }
        guard let d = day, let mo = month, var y = year, let h = hour else { return nil }
        if yearDigits <= 2 { y += y < 50 ? 2000 : 1900 } else if yearDigits == 3 { y += 1900 }
        guard y >= 1000 && y <= 9999, h <= 23, minute <= 59, second <= 60 else { return nil }
        let daysInMonth: Int
        switch mo {
        case 2: daysInMonth = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: daysInMonth = 30
        default: daysInMonth = 31
        }
        guard d <= daysInMonth else { return nil }
        return MIMEDateTime(
            year: y, month: mo, day: d, hour: h, minute: minute, second: second, offsetMinutes: offset ?? 0)
    }
}
