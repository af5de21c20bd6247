/// RFC 2231 extended parameter values (`name*=charset'lang'%XX…`).
enum RFC2231 {
    /// Decodes an extended initial value `charset'language'percent-encoded`.
    /// Without the two quotes the value is percent-decoded as UTF-8/Latin-1.
    static func decodeInitial(_ raw: [UInt8], defects: inout [MIMEDefect]) -> (charset: String?, bytes: [UInt8]) {
        if let q1 = raw.firstIndex(of: UInt8(ascii: "'")),
            let q2 = raw[(q1 + 1)...].firstIndex(of: UInt8(ascii: "'"))
        {
            let charset = String(decoding: raw[..<q1], as: UTF8.self)
            return (charset.isEmpty ? nil : charset, percentDecode(raw[(q2 + 1)...]))
        }
        return (nil, percentDecode(raw[...]))
    }

    /// `%XX` to bytes; a `%` not followed by two hex digits stays literal.
    static func percentDecode(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let c = raw[i]
            if c == UInt8(ascii: "%"), i + 2 < raw.endIndex,
                QuotedPrintable.hexValue[Int(raw[i + 1])] != 0xFF, QuotedPrintable.hexValue[Int(raw[i + 2])] != 0xFF
            {
                out.append(QuotedPrintable.hexValue[Int(raw[i + 1])] << 4 | QuotedPrintable.hexValue[Int(raw[i + 2])])
                i += 3
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// attribute-char of RFC 2231: token characters other than `*`, `'`, `%`.
    static func isAttributeChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Percent-encodes `value` (UTF-8) for an extended parameter, split into
    /// sections of at most `sectionLength` characters that never cut an
    /// escape. The first section carries the `utf-8''` prefix.
    static func encodeSections(_ value: String, sectionLength: Int = 60) -> [String] {
        var sections: [String] = []
        var current: [UInt8] = Array("utf-8''".utf8)
        for b in value.utf8 {
            let piece: [UInt8]
            if isAttributeChar(b) {
                piece = [b]
            } else {
                piece = [
                    UInt8(ascii: "%"), QuotedPrintable.hexDigits[Int(b >> 4)], QuotedPrintable.hexDigits[Int(b & 15)],
                ]
            }
            if current.count + piece.count > sectionLength && !current.isEmpty && current != Array("utf-8''".utf8) {
                sections.append(String(decoding: current, as: UTF8.self))
                current = []
            }
            current.append(contentsOf: piece)
        }
        sections.append(String(decoding: current, as: UTF8.self))
        return sections
    }
}
