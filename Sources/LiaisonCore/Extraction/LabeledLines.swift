/// The `Label: value` lines of a text body, with continuation lines joined.
///
/// The Datatracker notification and many cover letters are written this way; the labels found
/// and their line numbers are kept so each field can say where it came from.
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
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? line.dropLast() : line
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard let colon = line.firstIndex(of: ":") else {
                index += 1
                continue
            }
            let label = line[..<colon].trimmingCharacters(in: " \t").lowercased()
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
                !lines[next].trimmingCharacters(in: " \t").isEmpty
            {
                value += " " + lines[next].trimmingCharacters(in: " \t")
                next += 1
            }
            entries.append(Entry(label: label, value: value, line: index + 1))
            index = next
        }
    }

    /// The first entry with one of these labels.
    func first(_ labels: String...) -> Entry? {
        entries.first { labels.contains($0.label) }
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
