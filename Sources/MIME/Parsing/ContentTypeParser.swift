/// Parses `value; name=value; …` header values (Content-Type,
/// Content-Disposition) including RFC 2231 extended and continued parameters.
enum ContentTypeParser {
    /// Parses a raw (possibly folded) Content-Type value: the fast path for
    /// the usual shape, else unfolding and the general parser.
    static func parseContentType(raw: ArraySlice<UInt8>, defects: inout [MIMEDefect]) -> ContentType? {
        if let simple = raw.withUnsafeBufferPointer({ simpleContentType($0) }) { return simple }
        return parseContentType(HeaderText.unfold(raw)[...], defects: &defects)
    }

    /// `type/subtype` followed by `; name=token` or `; name="text"`
    /// parameters, all ASCII, whitespace (folding included) only between the
    /// pieces: no comments, escapes, RFC 2231 names, encoded words or
    /// anything else the general parser treats specially (then `nil`). Gives
    /// exactly what the general parser gives for such values, without
    /// building intermediate byte arrays.
    static func simpleContentType(_ b: UnsafeBufferPointer<UInt8>) -> ContentType? {
        guard let (type, subtype, parameters) = simpleParameterized(b, slash: true) else { return nil }
        return ContentType(lowercasedType: type, subtype: subtype, parameters: parameters)
    }

    /// ``parseParameterized(_:defects:)`` of a raw (possibly folded) value:
    /// the fast path for `token; name=value` shapes, else the general parser.
    static func parseParameterized(raw: ArraySlice<UInt8>, defects: inout [MIMEDefect]) -> (String, [String: String]) {
        if let (value, _, parameters) = raw.withUnsafeBufferPointer({ simpleParameterized($0, slash: false) }) {
            return (value, parameters)
        }
        return parseParameterized(HeaderText.unfold(raw)[...], defects: &defects)
    }

    /// The leading value of ``parseParameterized(_:defects:)`` (lowercased,
    /// whitespace, quotes and comments dropped) without parsing the
    /// parameters: the bytes before the first ';' when there is no comment
    /// among them, else the general parser's answer.
    static func leadingValue(raw: ArraySlice<UInt8>, defects: inout [MIMEDefect]) -> String {
        let simple = raw.withUnsafeBufferPointer { b -> String? in
            var end = 0
            var kept = 0
            while end < b.count && b[end] != UInt8(ascii: ";") {
                let c = b[end]
                if c == UInt8(ascii: "(") || c >= 0x80 { return nil }
                if c != 32 && c != 9 && c != 13 && c != 10 && c != 34 { kept += 1 }
                end += 1
            }
            return String(unsafeUninitializedCapacity: kept) { out in
                var o = 0
                for k in 0..<end {
                    let c = b[k]
                    if c != 32 && c != 9 && c != 13 && c != 10 && c != 34 {
                        out[o] = (c >= 65 && c <= 90) ? c | 0x20 : c
                        o += 1
                    }
                }
                return o
            }
        }
        if let simple { return simple }
        return parseParameterized(raw: raw, defects: &defects).0
    }

    /// The fast path shared by Content-Type (`slash`: `type/subtype`) and
    /// Content-Disposition (a single token) values; see ``simpleContentType(_:)``.
    static func simpleParameterized(_ b: UnsafeBufferPointer<UInt8>, slash: Bool)
        -> (String, String, [String: String])?
    {
        let n = b.count
        var i = 0
        @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 }
        @inline(__always) func skipSpace() { while i < n && isSpace(b[i]) { i += 1 } }
        @inline(__always) func token() -> Range<Int> {
            let s = i
            while i < n && isTokenByte(b[i]) { i += 1 }
            return s..<i
        }
        @inline(__always) func lowered(_ r: Range<Int>) -> String {
            String(unsafeUninitializedCapacity: r.count) { out in
                for k in r {
                    let c = b[k]
                    out[k - r.lowerBound] = (c >= 65 && c <= 90) ? c | 0x20 : c
                }
                return r.count
            }
        }
        skipSpace()
        let typeRange = token()
        var subtypeRange = 0..<0
        if slash {
            guard !typeRange.isEmpty, i < n, b[i] == UInt8(ascii: "/") else { return nil }
            i += 1
            subtypeRange = token()
            guard !subtypeRange.isEmpty else { return nil }
        }
        skipSpace()
        var parameters: [String: String] = [:]
        while i < n {
            guard b[i] == UInt8(ascii: ";") else { return nil }
            i += 1
            skipSpace()
            if i == n { break }
            if b[i] == UInt8(ascii: ";") { continue }
            let nameRange = token()
            guard !nameRange.isEmpty, i < n, b[i] == UInt8(ascii: "=") else { return nil }
            for k in nameRange where b[k] == UInt8(ascii: "*") { return nil }  // RFC 2231
            i += 1
            skipSpace()
            let value: String
            if i < n && b[i] == 34 {
                i += 1
                let s = i
                while i < n && b[i] != 34 {
                    let c = b[i]
                    if c == UInt8(ascii: "\\") || c >= 0x80 || c == 13 || c == 10 || c == 0x1B { return nil }
                    if c == UInt8(ascii: "?") && i > s && b[i - 1] == UInt8(ascii: "=") { return nil }
                    i += 1
                }
                guard i < n else { return nil }
                value = String(decoding: UnsafeBufferPointer(rebasing: b[s..<i]), as: UTF8.self)
                i += 1
            } else {
                let r = token()
                guard i == n || isSpace(b[i]) || b[i] == UInt8(ascii: ";") else { return nil }
                value = String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
            }
            skipSpace()
            let name = lowered(nameRange)
            if parameters[name] == nil { parameters[name] = value }
        }
        return (lowered(typeRange), lowered(subtypeRange), parameters)
    }

    /// Parses a Content-Type value; `nil` when there is no `type/subtype`.
    static func parseContentType(_ raw: ArraySlice<UInt8>, defects: inout [MIMEDefect]) -> ContentType? {
        let (value, parameters) = parseParameterized(raw, defects: &defects)
        guard let slash = value.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let type = String(value[..<slash]).trimmingWSP()
        let subtype = String(value[value.utf8.index(after: slash)...]).trimmingWSP()
        guard !type.isEmpty, !subtype.isEmpty,
            type.utf8.allSatisfy(isTokenByte), subtype.utf8.allSatisfy(isTokenByte)
        else { return nil }
        var ct = ContentType(type: "", subtype: "")
        ct.type = type
        ct.subtype = subtype
        ct.parameters = parameters
        return ct
    }

    @inline(__always)
    static func isTokenByte(_ b: UInt8) -> Bool {
        // RFC 2045 token: printable ASCII except tspecials.
        guard b > 32 && b < 127 else { return false }
        switch b {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"), UInt8(ascii: "\""),
            UInt8(ascii: "/"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: "="):
            return false
        default:
            return true
        }
    }

    private struct RawParameter {
        var name: [UInt8]  // lowercased, without the RFC 2231 suffix
        var section: Int?  // `*N`
        var extended: Bool  // trailing `*`
        var value: [UInt8]
    }

    /// Parses the leading value (lowercased, comments removed) and the
    /// parameters (names lowercased, values decoded). Never fails.
    static func parseParameterized(_ raw: ArraySlice<UInt8>, defects: inout [MIMEDefect]) -> (String, [String: String])
    {
        var i = raw.startIndex
        let end = raw.endIndex
        // Leading value up to ';', comments dropped.
        var value: [UInt8] = []
        while i < end && raw[i] != UInt8(ascii: ";") {
            let b = raw[i]
            if b == UInt8(ascii: "(") {
                i = skipComment(raw, from: i)
                continue
            }
            if b == 34 {
                i += 1
                continue
            }  // stray quotes around the type
            if !HeaderText.isWSP(b) { value.append((b >= 65 && b <= 90) ? b | 0x20 : b) }
            i += 1
        }
        var params: [RawParameter] = []
        while i < end {
            // At a ';' (or junk): move past separators.
            while i < end && (raw[i] == UInt8(ascii: ";") || HeaderText.isWSP(raw[i])) { i += 1 }
            if i < end && raw[i] == UInt8(ascii: "(") {
                i = skipComment(raw, from: i)
                continue
            }
            guard i < end else { break }
            // Attribute name up to '='.
            let nameStart = i
            while i < end && raw[i] != UInt8(ascii: "=") && raw[i] != UInt8(ascii: ";") { i += 1 }
            guard i < end, raw[i] == UInt8(ascii: "=") else { continue }  // no '=': skip the piece
            var nameBytes = HeaderText.lowercased(raw[nameStart..<i].filter { !HeaderText.isWSP($0) })
            i += 1
            while i < end && HeaderText.isWSP(raw[i]) { i += 1 }
            var v: [UInt8] = []
            if i < end && raw[i] == 34 {
                i += 1
                while i < end && raw[i] != 34 {
                    if raw[i] == UInt8(ascii: "\\") && i + 1 < end { i += 1 }
                    v.append(raw[i])
                    i += 1
                }
                if i < end { i += 1 }
                while i < end && raw[i] != UInt8(ascii: ";") { i += 1 }  // junk after the quotes
            } else {
                let vStart = i
                while i < end && raw[i] != UInt8(ascii: ";") { i += 1 }
                var vEnd = i
                // A comment after an unquoted value: `charset=us-ascii (Plain text)`.
                var k = vStart
                while k < vEnd {
                    if raw[k] == UInt8(ascii: "(") && (k == vStart || HeaderText.isWSP(raw[k - 1])) {
                        vEnd = k
                        break
                    }
                    k += 1
                }
                while vEnd > vStart && HeaderText.isWSP(raw[vEnd - 1]) { vEnd -= 1 }
                v = Array(raw[vStart..<vEnd])
            }
            guard !nameBytes.isEmpty else { continue }
            // RFC 2231 suffixes: name*, name*N, name*N*.
            var section: Int? = nil
            var extended = false
            if nameBytes.last == UInt8(ascii: "*") {
                extended = true
                nameBytes.removeLast()
            }
            if let star = nameBytes.firstIndex(of: UInt8(ascii: "*")) {
                let digits = nameBytes[(star + 1)...]
                if !digits.isEmpty && digits.count <= 4 && digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                    section = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
                    nameBytes.removeSubrange(star...)
                }
            }
            params.append(RawParameter(name: nameBytes, section: section, extended: extended, value: v))
        }

        var result: [String: String] = [:]
        // RFC 2231 sections grouped by name in one pass (no rescans per name).
        var sectionsByName: [[UInt8]: [RawParameter]] = [:]
        var order: [[UInt8]] = []
        for p in params {
            if p.section == nil && !p.extended {
                let name = String(decoding: p.name, as: UTF8.self)
                if result[name] == nil { result[name] = plainValue(p.value, defects: &defects) }
            } else {
                if sectionsByName[p.name] == nil { order.append(p.name) }
                sectionsByName[p.name, default: []].append(p)
            }
        }
        // RFC 2231 values win over plain ones of the same name.
        for name in order {
            var sections = sectionsByName[name] ?? []
            sections.sort { ($0.section ?? 0) < ($1.section ?? 0) }
            var bytes: [UInt8] = []
            var charset: String? = nil
            var seen = Set<Int>()
            for (n, s) in sections.enumerated() {
                if !seen.insert(s.section ?? 0).inserted { continue }  // duplicate section
                if s.extended {
                    if n == 0 {
                        let (cs, decoded) = RFC2231.decodeInitial(s.value, defects: &defects)
                        charset = cs
                        bytes += decoded
                    } else {
                        bytes += RFC2231.percentDecode(s.value[...])
                    }
                } else {
                    bytes += s.value
                }
            }
            let text = bytes.withUnsafeBufferPointer { Charset.decode(buffer: $0, charset: charset, defects: &defects) }
            result[String(decoding: name, as: UTF8.self)] = text
        }
        return (String(decoding: value, as: UTF8.self), result)
    }

    /// A plain parameter value as text: 8-bit bytes as UTF-8 or Latin-1, and
    /// RFC 2047 words (used by some mailers for file names) decoded.
    static func plainValue(_ bytes: [UInt8], defects: inout [MIMEDefect]) -> String {
        let text = HeaderText.string(bytes, field: "parameter", defects: &defects)
        guard EncodedWords.mayContainEncodedWord(bytes) else { return text }
        return EncodedWords.decode(utf8: Array(text.utf8), defects: &defects)
    }

    /// Index after the comment opening at `start` (nested, with escapes).
    static func skipComment(_ raw: ArraySlice<UInt8>, from start: Int) -> Int {
        var depth = 0
        var i = start
        while i < raw.endIndex {
            let b = raw[i]
            if b == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if b == UInt8(ascii: "(") { depth += 1 }
            if b == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return raw.endIndex
    }
}

extension String {
    /// Trims spaces and tabs.
    func trimmingWSP() -> String {
        var s = Substring(self)
        while let f = s.utf8.first, f == 32 || f == 9 { s = s.dropFirst() }
        while let l = s.utf8.last, l == 32 || l == 9 { s = s.dropLast() }
        return String(s)
    }
}
