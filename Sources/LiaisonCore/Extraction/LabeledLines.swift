/// The `Label: value` lines of a text, with continuation lines joined.
///
/// The Datatracker notification, cover letters and the header tables of ITU-T and 3GPP documents
/// are written this way. A line holding tab-separated table cells (as the document reader renders
/// a table row) may carry several pairs: `Question(s):⇥14/15⇥Meeting, date:⇥Geneva`. The labels
/// found and their line numbers are kept so each field can say where it came from.
struct LabeledLines {
    struct Entry {
        var label: String
        var value: String
        var line: Int
    }

    private(set) var entries: [Entry] = []
    /// The text after a `Body:` label up to the end (the Datatracker's statement body).
    private(set) var bodyText: String?
    /// The line of the `Body:` label.
    private(set) var bodyLine: Int?

    init(text: String, labels: Set<String>) {
        let lines = LabeledLines.lines(of: text)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.contains("\t") {
                entries += LabeledLines.cells(of: line, lineNumber: index + 1, labels: labels)
                index += 1
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                index += 1
                continue
            }
            let label = LabeledLines.normalise(line[..<colon])
            guard labels.contains(label) else {
                index += 1
                continue
            }
            var value = String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t")
            if label == "body" {
                let rest = lines[(index + 1)...].joined(separator: "\n")
                bodyText = (value.isEmpty ? rest : value + "\n" + rest).trimmingCharacters(in: " \t\n")
                bodyLine = index + 1
                return
            }
            // Continuation lines start with whitespace.
            var next = index + 1
            while next < lines.count, let first = lines[next].first, first == " " || first == "\t",
                !lines[next].trimmingCharacters(in: " \t").isEmpty, !LabeledLines.startsWithLabel(lines[next], labels)
            {
                value += " " + lines[next].trimmingCharacters(in: " \t")
                next += 1
            }
            entries.append(Entry(label: label, value: value, line: index + 1))
            index = next
        }
    }

    /// The lines of a text, without `\r`.
    static func lines(of text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? line.dropLast() : line
        }
    }

    /// `  Question(s) ` → `question(s)`; inner runs of spaces become one.
    static func normalise(_ label: some StringProtocol) -> String {
        label.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{a0}" }).joined(separator: " ")
    }

    private static func startsWithLabel(_ line: Substring, _ labels: Set<String>) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        return labels.contains(normalise(line[..<colon]))
    }

    /// The label/value pairs of a table row rendered as tab-separated cells.
    private static func cells(of line: Substring, lineNumber: Int, labels: Set<String>) -> [Entry] {
        var entries: [Entry] = []
        for cell in line.split(separator: "\t") {
            let trimmed = cell.trimmingCharacters(in: " \u{a0}")
            if let colon = trimmed.firstIndex(of: ":"), labels.contains(normalise(trimmed[..<colon])) {
                let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: " \u{a0}")
                entries.append(Entry(label: normalise(trimmed[..<colon]), value: value, line: lineNumber))
            } else if !entries.isEmpty, !trimmed.isEmpty {
                let last = entries.count - 1
                entries[last].value += (entries[last].value.isEmpty ? "" : " ") + trimmed
            }
        }
        return entries
    }

    /// The first entry with one of these labels.
    func first(_ labels: String...) -> Entry? {
        entries.first { labels.contains($0.label) }
    }

    /// The first entry with one of these labels and a value that is not empty.
    func firstValue(_ labels: String...) -> Entry? {
        entries.first { labels.contains($0.label) && !$0.value.isEmpty }
    }

    /// Every entry with one of these labels.
    func all(_ labels: [String]) -> [Entry] {
        entries.filter { labels.contains($0.label) }
    }

    /// How many distinct labels of the set appear.
    func distinctLabels(in set: Set<String>) -> Int {
        Set(entries.map(\.label)).intersection(set).count
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var start = startIndex
        var end = endIndex
        while start < end, characters.contains(self[start]) { start = index(after: start) }
        while end > start, characters.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
