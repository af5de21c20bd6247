/// Bytes of a text attachment as a `String`: UTF-8 (with or without a byte order mark), UTF-16
/// with a byte order mark, else ISO-8859-1. Line ends become `\n`.
enum PlainText {
    static func decode(_ bytes: [UInt8]) -> String {
        var text: String
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let bigEndian = bytes[0] == 0xFE
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                let (high, low) = bigEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
                units.append(UInt16(high) << 8 | UInt16(low))
                index += 2
            }
            text = String(decoding: units, as: UTF16.self)
        } else if let utf8 = String(validating: bytes, as: UTF8.self) {
            text = utf8
        } else {
            text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        text = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        return text
    }
}

/// HTML reduced to text: scripts, styles and the head dropped, block ends as line breaks, table
/// cells as tabs, the common character references decoded.
///
/// A scanner, not regular expressions: backtracking patterns such as `<(script|style|head)\b.*?</\1>`
/// or `<[^>]*>` take quadratic time on input with many unclosed tags (found by scripts/fuzz:
/// 28 KB of `<style>` took 9 s); this takes linear time and gives the same text for real HTML.
enum HTMLText {
    static func reduce(_ html: String) -> String {
        let text = decodingReferences(
            stripTags(removingComments(removingElements(["script", "style", "head"], from: Array(html.unicodeScalars)))))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            tabRuns(line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
                .trimmingPrefix(while: \.isWhitespace)
        }
        var result: [Substring] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(Substring(line)) }
        return String(result.joined(separator: "\n").trimmingPrefix(while: \.isWhitespace))
    }

    typealias Scalars = [Unicode.Scalar]

    /// Whether `pattern` (lowercase ASCII) is at `index`, compared without case.
    static func matches(_ scalars: Scalars, _ index: Int, _ pattern: String) -> Bool {
        var i = index
        for p in pattern.unicodeScalars {
            guard i < scalars.count, lower(scalars[i]) == p else { return false }
            i += 1
        }
        return true
    }

    static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (65...90).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
    }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
    }

    /// After `index`: optional white space then `>`; the index past the `>`, or nil.
    static func closingBracket(_ scalars: Scalars, from index: Int) -> Int? {
        var i = index
        while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
        return i < scalars.count && scalars[i] == ">" ? i + 1 : nil
    }

    /// `<name…>…</name>` elements removed (case-insensitive); one without a closing tag is kept.
    static func removingElements(_ names: [String], from scalars: Scalars) -> Scalars {
        var output: Scalars = []
        output.reserveCapacity(scalars.count)
        var unclosed = Set<String>()
        var i = 0
        outer: while i < scalars.count {
            if scalars[i] == "<" {
                for name in names where !unclosed.contains(name) && matches(scalars, i + 1, name) {
                    let after = i + 1 + name.unicodeScalars.count
                    if after < scalars.count, isWordCharacter(scalars[after]) { continue }
                    // The first `</name` followed by `\s*>`.
                    var j = after
                    while j < scalars.count {
                        if scalars[j] == "<", j + 1 < scalars.count, scalars[j + 1] == "/", matches(scalars, j + 2, name),
                            let end = closingBracket(scalars, from: j + 2 + name.unicodeScalars.count)
                        {
                            i = end
                            continue outer
                        }
                        j += 1
                    }
                    // No closing tag anywhere after this one: none after a later one either.
                    unclosed.insert(name)
                }
            }
            output.append(scalars[i])
            i += 1
        }
        return output
    }

    /// `<!-- … -->` comments removed; an unclosed one is kept.
    static func removingComments(_ scalars: Scalars) -> Scalars {
        var output: Scalars = []
        output.reserveCapacity(scalars.count)
        var i = 0
        var closed = true
        while i < scalars.count {
            if closed, scalars[i] == "<", matches(scalars, i, "<!--") {
                var j = i + 4
                while j < scalars.count, !matches(scalars, j, "-->") { j += 1 }
                if j < scalars.count {
                    i = j + 3
                    continue
                }
                closed = false
            }
            output.append(scalars[i])
            i += 1
        }
        return output
    }

    /// A pass over the text replacing what `rule` recognises at a `<`: `rule` returns the
    /// replacement and the index past what it replaces, or nil to keep the `<`.
    static func replacing(_ scalars: Scalars, at trigger: Unicode.Scalar = "<", _ rule: (Scalars, Int) -> (String, Int)?) -> Scalars {
        var output: Scalars = []
        output.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            if scalars[i] == trigger, let (replacement, end) = rule(scalars, i) {
                output.append(contentsOf: replacement.unicodeScalars)
                i = end
            } else {
                output.append(scalars[i])
                i += 1
            }
        }
        return output
    }

    static let blockEnds = ["blockquote", "table", "div", "pre", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "p"]

    /// Tags removed: `<br>` becomes a line break, the end of a block a line break, the end of a
    /// table cell a tab (in that order, as the patterns `<br\s*/?>`, `</(p|div|…)\s*>`,
    /// `</t[dh]\s*>` and `<[^>]*>` would). A `<` with no `>` after it is kept as text.
    static func stripTags(_ scalars: Scalars) -> String {
        var text = replacing(scalars) { s, i in
            guard matches(s, i + 1, "br") else { return nil }
            var j = i + 3
            while j < s.count, s[j].properties.isWhitespace { j += 1 }
            if j < s.count, s[j] == "/" { j += 1 }
            return j < s.count && s[j] == ">" ? ("\n", j + 1) : nil
        }
        text = replacing(text) { s, i in
            guard i + 1 < s.count, s[i + 1] == "/" else { return nil }
            for name in blockEnds where matches(s, i + 2, name) {
                if let end = closingBracket(s, from: i + 2 + name.unicodeScalars.count) { return ("\n", end) }
            }
            return nil
        }
        text = replacing(text) { s, i in
            guard matches(s, i + 1, "/td") || matches(s, i + 1, "/th"), let end = closingBracket(s, from: i + 4) else { return nil }
            return ("\t", end)
        }
        // `<[^>]*>`: to the first `>`; once no `>` is left, every later `<` stays too.
        let lastBracket = text.lastIndex(of: ">") ?? -1
        var output = String.UnicodeScalarView()
        var i = 0
        while i < text.count {
            if text[i] == "<", i < lastBracket {
                var j = i + 1
                while text[j] != ">" { j += 1 }
                i = j + 1
                continue
            }
            output.append(text[i])
            i += 1
        }
        return String(output)
    }

    /// Character references decoded as the patterns `&#(\d{1,7});`, then `&#[xX]([0-9a-fA-F]{1,6});`,
    /// then the six named ones would (an unknown code point is dropped).
    static func decodingReferences(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        for radix in [10, 16] {
            scalars = Array(
                replacing(scalars, at: "&") { s, i in
                    guard i + 1 < s.count, s[i + 1] == "#" else { return nil }
                    var j = i + 2
                    if radix == 16 {
                        guard j < s.count, s[j] == "x" || s[j] == "X" else { return nil }
                        j += 1
                    }
                    let start = j
                    while j < s.count, j - start < (radix == 10 ? 7 : 6), isDigit(s[j], radix: radix) {
                        j += 1
                    }
                    guard j > start, j < s.count, s[j] == ";" else { return nil }
                    let digits = String(String.UnicodeScalarView(s[start..<j]))
                    let value = Int(digits, radix: radix).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? ""
                    return (value, j + 1)
                })
        }
        let named: [(String, String)] = [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")]
        scalars = replacing(scalars, at: "&") { s, i in
            for (entity, value) in named where matchesExactly(s, i, entity) { return (value, i + entity.unicodeScalars.count) }
            return nil
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// `\\d` (any decimal digit) for radix 10, `[0-9a-fA-F]` for radix 16.
    static func isDigit(_ scalar: Unicode.Scalar, radix: Int) -> Bool {
        if radix == 10 { return scalar.properties.numericType == .decimal }
        return scalar.isASCII && Character(scalar).isHexDigit
    }

    /// Whether `pattern` is at `index`, compared exactly.
    static func matchesExactly(_ scalars: Scalars, _ index: Int, _ pattern: String) -> Bool {
        var i = index
        for p in pattern.unicodeScalars {
            guard i < scalars.count, scalars[i] == p else { return false }
            i += 1
        }
        return true
    }

    /// A run of white space holding a tab becomes one tab.
    static func tabRuns(_ line: String) -> String {
        var output = ""
        var run = ""
        for character in line {
            if character.isWhitespace {
                run.append(character)
                continue
            }
            output += run.contains("\t") ? "\t" : run
            run = ""
            output.append(character)
        }
        output += run.contains("\t") ? "\t" : run
        return output
    }
}
