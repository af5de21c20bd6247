/// A lenient RFC 5322 address-list parser working on header bytes.
///
/// Tokenises once (atoms, quoted strings, comments, domain literals,
/// specials), then splits at top-level commas and group markers. Nothing is
/// recursive, so hostile nesting costs only linear time.
enum AddressParser {
    enum Kind: Equatable {
        case atom, quoted, comment, domainLiteral, special
    }

    struct Token {
        var kind: Kind
        var range: Range<Int>  // source bytes, delimiters included
        var spaceBefore: Bool
    }

    static func isSpecial(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    static func tokenize(_ s: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = s.count
        var space = false
        while i < n {
            let b = s[i]
            if b == 32 || b == 9 || b == 13 || b == 10 {
                space = true
                i += 1
                continue
            }
            let start = i
            var kind = Kind.atom
            switch b {
            case UInt8(ascii: "\""):
                kind = .quoted
                i += 1
                while i < n && s[i] != UInt8(ascii: "\"") {
                    if s[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
                i = min(i + 1, n)
            case UInt8(ascii: "("):
                kind = .comment
                var depth = 0
                while i < n {
                    let c = s[i]
                    if c == UInt8(ascii: "\\") {
                        i += 2
                        continue
                    }
                    if c == UInt8(ascii: "(") { depth += 1 }
                    if c == UInt8(ascii: ")") {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            break
                        }
                    }
                    i += 1
                }
                i = min(i, n)
            case UInt8(ascii: "["):
                kind = .domainLiteral
                while i < n && s[i] != UInt8(ascii: "]") { i += 1 }
                i = min(i + 1, n)
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                i += 1
                continue  // stray closer: drop
            default:
                if isSpecial(b) {
                    kind = .special
                    i += 1
                } else {
                    while i < n {
                        let c = s[i]
                        if c == 32 || c == 9 || c == 13 || c == 10 || isSpecial(c) || c == UInt8(ascii: "\"")
                            || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: "[")
                            || c == UInt8(ascii: "]")
                        {
                            break
                        }
                        i += 1
                    }
                }
            }
            tokens.append(Token(kind: kind, range: start..<i, spaceBefore: space))
            space = false
        }
        return tokens
    }

    static func parseList(_ s: [UInt8], defects: inout [MIMEDefect]) -> [MailAddress] {
        let tokens = tokenize(s)
        var result: [MailAddress] = []
        var itemStart = 0
        var inAngle = false
        var sawAngle = false
        var i = 0
        while i <= tokens.count {
            if i == tokens.count {
                parseItem(s, tokens[itemStart..<i], into: &result, defects: &defects)
                break
            }
            let t = tokens[i]
            if t.kind == .special {
                let c = s[t.range.lowerBound]
                if c == UInt8(ascii: "<") {
                    inAngle = true
                    sawAngle = true
                } else if c == UInt8(ascii: ">") {
                    inAngle = false
                } else if !inAngle && c == UInt8(ascii: ",") {
                    parseItem(s, tokens[itemStart..<i], into: &result, defects: &defects)
                    itemStart = i + 1
                    sawAngle = false
                } else if !inAngle && !sawAngle && c == UInt8(ascii: ":") {
                    // Group: the display name before ':' is dropped; members follow.
                    itemStart = i + 1
                } else if !inAngle && c == UInt8(ascii: ";") {
                    parseItem(s, tokens[itemStart..<i], into: &result, defects: &defects)
                    itemStart = i + 1
                    sawAngle = false
                }
            }
            i += 1
        }
        return result
    }

    static func text(_ s: [UInt8], _ t: Token) -> [UInt8] { Array(s[t.range]) }

    /// Quoted-string content with quotes removed and escapes resolved.
    static func unquote(_ s: [UInt8], _ t: Token) -> [UInt8] {
        var out: [UInt8] = []
        var i = t.range.lowerBound + 1
        var end = t.range.upperBound
        if end > i && s[end - 1] == UInt8(ascii: "\"") { end -= 1 }
        while i < end {
            if s[i] == UInt8(ascii: "\\") && i + 1 < end { i += 1 }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// Display text of phrase tokens: atoms and quoted strings joined by
    /// single spaces where the source had whitespace, then RFC 2047 decoded.
    static func phrase(_ s: [UInt8], _ tokens: some Collection<Token>, defects: inout [MIMEDefect]) -> String? {
        var out: [UInt8] = []
        for t in tokens {
            let piece: [UInt8]
            switch t.kind {
            case .atom, .special, .domainLiteral: piece = text(s, t)
            case .quoted: piece = unquote(s, t)
            case .comment: continue
            }
            if !out.isEmpty && t.spaceBefore { out.append(32) }
            out += piece
        }
        while let l = out.last, l == 32 { out.removeLast() }
        guard !out.isEmpty else { return nil }
        let str = HeaderText.string(out, field: "address", defects: &defects)
        guard EncodedWords.mayContainEncodedWord(out) else { return str }
        return EncodedWords.decode(utf8: Array(str.utf8), defects: &defects)
    }

    /// Text of a comment token without its parentheses.
    static func commentText(_ s: [UInt8], _ t: Token, defects: inout [MIMEDefect]) -> String? {
        var lo = t.range.lowerBound + 1
        var hi = t.range.upperBound
        if hi > lo && s[hi - 1] == UInt8(ascii: ")") { hi -= 1 }
        while lo < hi && (s[lo] == 32 || s[lo] == 9) { lo += 1 }
        while hi > lo && (s[hi - 1] == 32 || s[hi - 1] == 9) { hi -= 1 }
        guard hi > lo else { return nil }
        let bytes = Array(s[lo..<hi])
        let str = HeaderText.string(bytes, field: "address", defects: &defects)
        guard EncodedWords.mayContainEncodedWord(bytes) else { return str }
        return EncodedWords.decode(utf8: Array(str.utf8), defects: &defects)
    }

    /// The addr-spec spelled by `tokens` (comments and whitespace dropped),
    /// or nil when the tokens do not form one.
    static func addrSpec(_ s: [UInt8], _ tokens: some Collection<Token>) -> [UInt8]? {
        var out: [UInt8] = []
        var ats = 0
        var previousWord = false
        for t in tokens {
            switch t.kind {
            case .comment:
                continue
            case .atom, .quoted, .domainLiteral:
                // Two words with only whitespace between them are a phrase, not an address.
                if previousWord && t.spaceBefore { return nil }
                out += text(s, t)
                previousWord = true
            case .special:
                let c = s[t.range.lowerBound]
                guard c == UInt8(ascii: ".") || c == UInt8(ascii: "@") else { return nil }
                if c == UInt8(ascii: "@") { ats += 1 }
                out.append(c)
                previousWord = false
            }
        }
        guard !out.isEmpty, ats <= 1, out.first != UInt8(ascii: "@"), out.last != UInt8(ascii: "@") else { return nil }
        return out
    }

    /// The item's source split at whitespace between tokens (comments dropped).
    static func whitespaceWords(_ s: [UInt8], _ tokens: ArraySlice<Token>) -> [[UInt8]] {
        var words: [[UInt8]] = []
        for t in tokens where t.kind != .comment {
            if t.spaceBefore || words.isEmpty { words.append([]) }
            words[words.count - 1] += s[t.range]
        }
        return words
    }

    static func parseItem(
        _ s: [UInt8], _ tokens: ArraySlice<Token>, into result: inout [MailAddress], defects: inout [MIMEDefect]
    ) {
        let meaningful = tokens.filter { $0.kind != .comment }
        guard !meaningful.isEmpty else { return }
        func source() -> String {
            guard let f = tokens.first, let l = tokens.last else { return "" }
            return String(decoding: s[f.range.lowerBound..<l.range.upperBound], as: UTF8.self)
        }
        if let lt = tokens.firstIndex(where: { $0.kind == .special && s[$0.range.lowerBound] == UInt8(ascii: "<") }) {
            let name = phrase(s, tokens[tokens.startIndex..<lt], defects: &defects)
            var inner = tokens[(lt + 1)...]
            if let gt = inner.firstIndex(where: { $0.kind == .special && s[$0.range.lowerBound] == UInt8(ascii: ">") })
            {
                inner = inner[inner.startIndex..<gt]
            }
            // obs-route: "<@relay1,@relay2:user@domain>".
            if let first = inner.first(where: { $0.kind != .comment }), first.kind == .special,
                s[first.range.lowerBound] == UInt8(ascii: "@"),
                let colon = inner.firstIndex(where: {
                    $0.kind == .special && s[$0.range.lowerBound] == UInt8(ascii: ":")
                })
            {
                inner = inner[(colon + 1)...]
            }
            guard let spec = addrSpec(s, inner) else {
                defects.append(.unparseableAddress(source()))
                return
            }
            result.append(
                MailAddress(address: HeaderText.string(spec, field: "address", defects: &defects), displayName: name))
            return
        }
        guard let spec = addrSpec(s, tokens) else {
            // Sloppy forms: "Big Bug bb@bug.com", "a@x b@y". Words with an "@"
            // are addresses; words before the first one are its display name.
            let words = whitespaceWords(s, tokens)
            guard words.contains(where: { $0.contains(UInt8(ascii: "@")) }) else {
                defects.append(.unparseableAddress(source()))
                return
            }
            var nameWords: [[UInt8]] = []
            var first = true
            for w in words {
                if w.contains(UInt8(ascii: "@")), w.first != UInt8(ascii: "@"), w.last != UInt8(ascii: "@") {
                    var name: String? = nil
                    if first && !nameWords.isEmpty {
                        let joined = Array(nameWords.joined(separator: [32]))
                        let text = HeaderText.string(joined, field: "address", defects: &defects)
                        name = EncodedWords.decode(utf8: Array(text.utf8), defects: &defects)
                    }
                    result.append(
                        MailAddress(
                            address: HeaderText.string(w, field: "address", defects: &defects), displayName: name))
                    first = false
                } else if first {
                    nameWords.append(w.filter { $0 != UInt8(ascii: "\"") })
                }
            }
            return
        }
        // Old style "user@host (Real Name)": the comment is the name.
        var name: String? = nil
        if let c = tokens.last, c.kind == .comment { name = commentText(s, c, defects: &defects) }
        result.append(
            MailAddress(address: HeaderText.string(spec, field: "address", defects: &defects), displayName: name))
    }
}

extension AddressParser {
    /// The addresses of a raw (possibly folded) address-list value in its
    /// most common shapes, without tokenising: items separated by commas,
    /// each `local@domain` or `Display Name <local@domain>` /
    /// `"Display Name" <local@domain>`, all ASCII. Anything else — comments,
    /// groups, escapes, encoded words, obs-route, sloppy lists, 8-bit bytes —
    /// gives `nil`, and the caller takes ``parseList(_:defects:)``, which
    /// returns the same addresses for the shapes accepted here.
    static func simpleList(_ b: UnsafeBufferPointer<UInt8>) -> [MailAddress]? {
        let n = b.count
        // A CR or LF must be a fold (followed by whitespace) so that reading
        // it as whitespace equals removing it, as unfolding does.
        var k = 0
        while k < n {
            guard b[k] == 13 || b[k] == 10 else {
                k += 1
                continue
            }
            var j = k + 1  // past the whole run of CR/LF: linear even for a long run
            while j < n && (b[j] == 13 || b[j] == 10) { j += 1 }
            if j < n && b[j] != 32 && b[j] != 9 { return nil }
            k = j
        }
        @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 }
        // atext (RFC 5322) plus '.', the characters of unquoted words here.
        @inline(__always) func isWordByte(_ c: UInt8) -> Bool {
            if c >= 0x80 || c <= 32 || c == 127 { return false }
            switch c {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "\\"),
                UInt8(ascii: ","), UInt8(ascii: "\""):
                return false
            default:
                return true
            }
        }
        @inline(__always) func string(_ r: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
        }
        /// An addr-spec from `i`: word bytes and at most one inner '@'.
        @inline(__always) func addrSpec(_ i: inout Int) -> Range<Int>? {
            let s = i
            var ats = 0
            while i < n && (isWordByte(b[i]) || b[i] == UInt8(ascii: "@")) {
                if b[i] == UInt8(ascii: "@") { ats += 1 }
                i += 1
            }
            guard i > s, ats <= 1, b[s] != UInt8(ascii: "@"), b[i - 1] != UInt8(ascii: "@") else { return nil }
            // "=?" in an address is left as written by the general parser too, but keep it simple.
            return s..<i
        }
        var result: [MailAddress] = []
        var i = 0
        while true {
            while i < n && isSpace(b[i]) { i += 1 }
            if i == n { break }
            if b[i] == UInt8(ascii: ",") {  // empty item
                i += 1
                continue
            }
            var name: String? = nil
            var spec: Range<Int>
            if b[i] == 34 {
                // "quoted name" <spec>
                i += 1
                let s = i
                var previousWasEquals = false
                while i < n && b[i] != 34 {
                    let c = b[i]
                    if c == UInt8(ascii: "\\") || c >= 0x7F || (c < 32 && c != 9) { return nil }
                    if previousWasEquals && c == UInt8(ascii: "?") { return nil }
                    previousWasEquals = c == UInt8(ascii: "=")
                    i += 1
                }
                guard i < n else { return nil }
                var e = i
                while e > s && b[e - 1] == 32 { e -= 1 }
                if e > s { name = string(s..<e) }
                i += 1
                while i < n && isSpace(b[i]) { i += 1 }
                guard i < n, b[i] == UInt8(ascii: "<") else { return nil }
            }
            if b[i] != UInt8(ascii: "<") {
                // A bare addr-spec, or a phrase of words before "<".
                let first = i
                guard let r = addrSpec(&i) else { return nil }
                let afterFirst = i
                while i < n && isSpace(b[i]) { i += 1 }
                if i == n || b[i] == UInt8(ascii: ",") {
                    spec = r
                    result.append(MailAddress(address: string(spec), displayName: nil))
                    if i < n { i += 1 }
                    continue
                }
                // Phrase: words (no '@') separated by whitespace, joined by single spaces.
                var words: [Range<Int>] = [first..<afterFirst]
                while i < n && b[i] != UInt8(ascii: "<") {
                    let s = i
                    while i < n && isWordByte(b[i]) { i += 1 }
                    guard i > s else { return nil }
                    words.append(s..<i)
                    while i < n && isSpace(b[i]) { i += 1 }
                }
                guard i < n else { return nil }
                var total = words.count - 1
                for w in words {
                    total += w.count
                    var previousWasEquals = false
                    for k in w {
                        if b[k] == UInt8(ascii: "@") { return nil }
                        if previousWasEquals && b[k] == UInt8(ascii: "?") { return nil }
                        previousWasEquals = b[k] == UInt8(ascii: "=")
                    }
                }
                name = String(unsafeUninitializedCapacity: total) { out in
                    var o = 0
                    for (x, w) in words.enumerated() {
                        if x > 0 {
                            out[o] = 32
                            o += 1
                        }
                        for k in w {
                            out[o] = b[k]
                            o += 1
                        }
                    }
                    return o
                }
            }
            // At "<": the addr-spec, then ">".
            i += 1
            while i < n && isSpace(b[i]) { i += 1 }
            guard let r = addrSpec(&i) else { return nil }
            spec = r
            while i < n && isSpace(b[i]) { i += 1 }
            guard i < n, b[i] == UInt8(ascii: ">") else { return nil }
            i += 1
            while i < n && isSpace(b[i]) { i += 1 }
            guard i == n || b[i] == UInt8(ascii: ",") else { return nil }
            if i < n { i += 1 }
            result.append(MailAddress(address: string(spec), displayName: name))
        }
        return result
    }
}
