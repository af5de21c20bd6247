/// Finds calendar dates written the ways liaison statements write them.
///
/// Understands `2027-01-15`, `15 January 2027`, `15 Jan. 2027`, `January 15, 2027`,
/// `15.01.2027` and `15/01/2027` (day first unless configured otherwise).
public struct DateText: Sendable {
    /// Whether `01/02/2027` means 1 February (day first, the default) or 2 January.
    public var dayFirst: Bool

    /// Creates a parser.
    public init(dayFirst: Bool = true) {
        self.dayFirst = dayFirst
    }

    private static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
        "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
        "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    /// Returns the first date written in `text`, if any.
    public func firstDate(in text: some StringProtocol) -> CalendarDate? {
        let tokens = DateText.tokenize(String(text))
        for index in tokens.indices {
            if let date = date(at: index, in: tokens) { return date }
        }
        return nil
    }

    private func date(at index: Int, in tokens: [Substring]) -> CalendarDate? {
        let token = tokens[index]
        // 2027-01-15
        if let date = CalendarDate(iso: token) { return date }
        // 15.01.2027 and 15/01/2027
        for separator in [Character("."), "/"] where token.contains(separator) {
            let parts = token.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].count == 4, let a = Int(parts[0]), let b = Int(parts[1]),
                let year = Int(parts[2])
            else { continue }
            // Dotted dates are day-first across Europe and the ITU; slashes follow the setting.
            let dayFirst = separator == "." || self.dayFirst
            return dayFirst ? CalendarDate(year: year, month: b, day: a) : CalendarDate(year: year, month: a, day: b)
        }
        // 15 January 2027
        if let day = DateText.day(token), index + 2 < tokens.count,
            let month = DateText.months[tokens[index + 1].lowercased()], let year = DateText.year(tokens[index + 2])
        {
            return CalendarDate(year: year, month: month, day: day)
        }
        // January 15, 2027
        if let month = DateText.months[token.lowercased()], index + 2 < tokens.count,
            let day = DateText.day(tokens[index + 1]), let year = DateText.year(tokens[index + 2])
        {
            return CalendarDate(year: year, month: month, day: day)
        }
        return nil
    }

    private static func day(_ token: Substring) -> Int? {
        var digits = token
        for suffix in ["st", "nd", "rd", "th"] where digits.lowercased().hasSuffix(suffix) {
            digits = digits.dropLast(2)
            break
        }
        guard (1...2).contains(digits.count), let day = Int(digits), (1...31).contains(day) else { return nil }
        return day
    }

    private static func year(_ token: Substring) -> Int? {
        guard token.count == 4, let year = Int(token), year >= 1900 else { return nil }
        return year
    }

    /// Splits on spaces and punctuation that never belong to a date token.
    private static func tokenize(_ text: String) -> [Substring] {
        text.split { character in
            character.isWhitespace || character == "," || character == "(" || character == ")"
                || character == ";" || character == ":"
        }.map { token in
            var token = token
            while let last = token.last, last == "." { token = token.dropLast() }
            return token
        }.filter { !$0.isEmpty }
    }
}
