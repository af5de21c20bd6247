/// One `Authentication-Results` header field (RFC 8601): who checked the message, and what each
/// method (`dkim`, `spf`, `dmarc`, …) found.
///
/// Parsed on Unicode scalars after removing comments (`(…)`, nested, as CFWS allows anywhere),
/// with quoted strings respected; a field that does not parse yields `nil`, never a guess.
public struct AuthenticationResults: Sendable, Equatable {
    /// One `method=result` with its properties (`header.from=example.org`, `smtp.mailfrom=…`).
    public struct Result: Sendable, Equatable {
        /// The method, lowercased, without its version (`dkim`, `spf`, `dmarc`).
        public var method: String
        /// The result, lowercased (`pass`, `fail`, `none`, …).
        public var result: String
        /// The properties, keys lowercased (`header.d`, `header.from`, `smtp.mailfrom`).
        public var properties: [String: String]
    }

    /// The host that produced the results (lowercased).
    public var authservID: String
    /// The results in order (empty for `none`).
    public var results: [Result]

    /// Parses a field value (what follows `Authentication-Results:`, unfolded).
    public init?(_ value: String) {
        guard let stripped = AuthenticationResults.withoutComments(value) else { return nil }
        let segments = AuthenticationResults.split(stripped, on: ";")
        guard let head = segments.first else { return nil }
        let headWords = AuthenticationResults.words(head)
        guard let id = headWords.first, !id.isEmpty else { return nil }
        // An optional version follows the authserv-id: only "1" is defined.
        if headWords.count > 2 || (headWords.count == 2 && headWords[1] != "1") { return nil }
        authservID = AuthenticationResults.unquoted(id).lowercased()
        results = []
        let rest = segments.dropFirst()
        if rest.count == 1, AuthenticationResults.words(rest[rest.startIndex]).map({ $0.lowercased() }) == ["none"] { return }
        for segment in rest {
            // `method [/version] = result [reason=…] [ptype.prop=value …]`, spaces around `=` and `/` allowed.
            let tokens = AuthenticationResults.pairs(segment)
            guard let first = tokens.first, let result = first.value else { return nil }
            let method = first.key.split(separator: "/").first.map { String($0).lowercased() } ?? ""
            guard !method.isEmpty, !result.isEmpty else { return nil }
            var properties: [String: String] = [:]
            for token in tokens.dropFirst() {
                guard let value = token.value else { return nil }
                properties[token.key.lowercased()] = AuthenticationResults.unquoted(value)
            }
            results.append(Result(method: method, result: AuthenticationResults.unquoted(result).lowercased(), properties: properties))
        }
    }

    // MARK: Lexing

    /// The value with comments replaced by a space; `nil` for an unbalanced comment or quote.
    static func withoutComments(_ value: String) -> String? {
        var out = String.UnicodeScalarView()
        var depth = 0
        var quoted = false
        var escaped = false
        for scalar in value.unicodeScalars {
            if escaped {
                if depth == 0 { out.append(scalar) }
                escaped = false
                continue
            }
            if scalar == "\\" && (quoted || depth > 0) {
                escaped = true
                if depth == 0 { out.append(scalar) }
                continue
            }
            if quoted {
                out.append(scalar)
                if scalar == "\"" { quoted = false }
                continue
            }
            switch scalar {
            case "(":
                depth += 1
            case ")":
                guard depth > 0 else { return nil }
                depth -= 1
                if depth == 0 { out.append(" ") }
            case "\"" where depth == 0:
                quoted = true
                out.append(scalar)
            default:
                if depth == 0 { out.append(scalar) }
            }
        }
        guard depth == 0, !quoted else { return nil }
        return String(out)
    }

    /// Splits on `separator` outside quoted strings.
    static func split(_ value: String, on separator: Unicode.Scalar) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        var escaped = false
        for scalar in value.unicodeScalars {
            if escaped {
                escaped = false
            } else if quoted && scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                quoted.toggle()
            } else if scalar == separator && !quoted {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                continue
            }
            current.append(scalar)
        }
        parts.append(String(current))
        return parts
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" || s == "\n" }

    /// Whitespace-separated words outside quoted strings.
    static func words(_ value: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted.toggle() }
            if isSpace(scalar) && !quoted {
                if !current.isEmpty { words.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// `key=value` tokens, with whitespace around `=` and `/` removed first.
    static func pairs(_ segment: String) -> [(key: String, value: String?)] {
        var compact = String.UnicodeScalarView()
        var quoted = false
        let scalars = Array(segment.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            if scalar == "\"" { quoted.toggle() }
            if !quoted && isSpace(scalar) {
                // Drop spaces next to `=`, `/` or `.` so `dkim = pass` is one token.
                let next = scalars[(i + 1)...].first { !isSpace($0) }
                let previous = compact.last
                if next == "=" || next == "/" || next == "." || previous == "=" || previous == "/" || previous == "." { continue }
            }
            compact.append(scalar)
        }
        return words(String(compact)).map { word in
            guard let eq = word.firstIndex(of: "=") else { return (word, nil) }
            return (String(word[..<eq]), String(word[word.index(after: eq)...]))
        }
    }

    static func unquoted(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        var out = ""
        var escaped = false
        for c in value.dropFirst().dropLast() {
            if !escaped && c == "\\" {
                escaped = true
                continue
            }
            escaped = false
            out.append(c)
        }
        return out
    }
}
