/// Finds calendar dates written the ways liaison statements write them.
///
/// Understands `2027-01-15`, `15 January 2027`, `15 Jan. 2027`, `January 15, 2027`,
/// `15.01.2027` and `15/01/2027` (day first unless configured otherwise), and meeting ranges
/// such as `20th – 24th Aug 2018` or `20-24 August 2018` (the first day). ``deadline(in:)`` also
/// reads `the end of March 2027` (the last day) and `mid-May 2027` (the 15th, less sure), and
/// says when a phrase such as `before the next SG15 meeting` is not a date.
///
/// Dates are calendar days: Liaison interprets them in the configured time zone
/// (`intake.time_zone`) when it computes reminders.
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
        // 20th – 24th Aug 2018, 20 - 24 August 2018: the first day of the range.
        if let day = DateText.day(token), index + 4 < tokens.count, DateText.isDash(tokens[index + 1]),
            DateText.day(tokens[index + 2]) != nil, let month = DateText.months[tokens[index + 3].lowercased()],
            let year = DateText.year(tokens[index + 4])
        {
            return CalendarDate(year: year, month: month, day: day)
        }
        // 20-24 August 2018
        if let dash = token.firstIndex(where: { $0 == "-" || $0 == "–" || $0 == "—" }), index + 2 < tokens.count,
            let day = DateText.day(token[..<dash]), DateText.day(token[token.index(after: dash)...]) != nil,
            let month = DateText.months[tokens[index + 1].lowercased()], let year = DateText.year(tokens[index + 2])
        {
            return CalendarDate(year: year, month: month, day: day)
        }
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

    private static func isDash(_ token: Substring) -> Bool {
        token == "-" || token == "–" || token == "—" || token == "to"
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

/// What a deadline phrase says: a day, with how sure the reading is, or words that are no date.
public enum DeadlineText: Sendable, Equatable {
    /// A day. Exact dates read with 0.9, "end of March 2027" and "March 2027" with less, "mid-May" with 0.5.
    case date(CalendarDate, confidence: Double)
    /// The phrase names no day, e.g. `before the next SG15 meeting in Geneva`.
    case notADate(String)
}

extension DateText {
    /// Reads the words after "Deadline:" or "Please reply by".
    ///
    /// A day and month without a year ("15 January") is read in the year of `reference` (the
    /// mail's date), or the next year when that day has passed, with confidence 0.7. Returns `nil`
    /// for an empty phrase.
    public func deadline(in phrase: some StringProtocol, after reference: CalendarDate? = nil) -> DeadlineText? {
        let phrase = String(phrase).trimmingCharacters(in: " \t:;,.-–")
        guard !phrase.isEmpty else { return nil }
        let tokens = DateText.tokenize(phrase)
        let lowered = tokens.map { $0.lowercased() }
        // An exact date wins, unless the words say "the end of" / "mid" a month.
        for index in tokens.indices {
            let word = lowered[index]
            let monthIndex: Int?
            var day: Int? = nil
            var confidence = 0.6
            if word == "end", index + 2 < tokens.count, lowered[index + 1] == "of" {
                monthIndex = index + 2
                confidence = 0.8
            } else if word.hasPrefix("mid-"), DateText.months[String(word.dropFirst(4))] != nil {
                // "mid-May 2027": the month is inside the token.
                guard let month = DateText.months[String(word.dropFirst(4))], index + 1 < tokens.count,
                    let year = DateText.year(tokens[index + 1]), let date = CalendarDate(year: year, month: month, day: 15)
                else { continue }
                return .date(date, confidence: 0.5)
            } else if word == "mid" || word == "middle" {
                monthIndex = lowered[index + 1 < tokens.count ? index + 1 : index] == "of" ? index + 2 : index + 1
                day = 15
                confidence = 0.5
            } else {
                continue
            }
            guard let monthIndex, monthIndex + 1 < tokens.count, let month = DateText.months[lowered[monthIndex]],
                let year = DateText.year(tokens[monthIndex + 1])
            else { continue }
            let last = CalendarDate.daysIn(month: month, year: year)
            if let date = CalendarDate(year: year, month: month, day: day ?? last) {
                return .date(date, confidence: confidence)
            }
        }
        if let date = firstDate(in: phrase) { return .date(date, confidence: 0.9) }
        // "March 2027" alone: the end of the month.
        for index in tokens.indices.dropLast() {
            if let month = DateText.months[lowered[index]], let year = DateText.year(tokens[index + 1]),
                let date = CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))
            {
                return .date(date, confidence: 0.6)
            }
        }
        if let reference, let date = yearless(tokens, after: reference) { return .date(date, confidence: 0.7) }
        let words = phrase.split(separator: " ", omittingEmptySubsequences: true).prefix(12).joined(separator: " ")
        return .notADate(words)
    }

    /// "15 January" or "January 15" in the year of `reference`, or the next when it has passed.
    private func yearless(_ tokens: [Substring], after reference: CalendarDate) -> CalendarDate? {
        for index in tokens.indices {
            var day: Int?
            var month: Int?
            if let d = DateText.day(tokens[index]), index + 1 < tokens.count, let m = DateText.months[tokens[index + 1].lowercased()] {
                (day, month) = (d, m)
            } else if let m = DateText.months[tokens[index].lowercased()], index + 1 < tokens.count, let d = DateText.day(tokens[index + 1]) {
                (day, month) = (d, m)
            }
            guard let day, let month else { continue }
            if let date = CalendarDate(year: reference.year, month: month, day: day) {
                return date < reference ? CalendarDate(year: reference.year + 1, month: month, day: day) : date
            }
        }
        return nil
    }
}
