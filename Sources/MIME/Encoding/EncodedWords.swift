/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header text.
public enum EncodedWords {
    /// Decodes every encoded word in `text`, in any charset ``Charset``
    /// supports. Whitespace between two adjacent encoded words is dropped;
    /// adjacent words in the same charset are joined before conversion, so a
    /// character split across two words survives. Malformed words are kept
    /// as written.
    public static func decode(_ text: String) -> String {
        var defects: [MIMEDefect] = []
        return decode(utf8: Array(text.utf8), defects: &defects)
    }

    /// Whether `bytes` contain the `=?` that opens an encoded word.
    @inline(__always)
    static func mayContainEncodedWord(_ bytes: some Collection<UInt8>) -> Bool {
        var previousWasEquals = false
        for b in bytes {
            if previousWasEquals && b == UInt8(ascii: "?") { return true }
            previousWasEquals = b == UInt8(ascii: "=")
        }
        return false
    }

    private enum Word {
        case decoded(charset: String, bytes: [UInt8], end: Int)
        case malformed(end: Int)
        case notAWord
    }

    /// Longest encoded text accepted (RFC 2047 allows 75 octets for the whole
    /// word; real mail is sloppier). Bounds the terminator search.
    static let maxEncodedText = 4096

    static func decode(utf8 input: [UInt8], defects: inout [MIMEDefect]) -> String {
        guard mayContainEncodedWord(input) else { return String(decoding: input, as: UTF8.self) }
        let n = input.count
        var out = [UInt8]()
        out.reserveCapacity(n)
        var pendingCharset = ""
        var pending = [UInt8]()
        var held: Range<Int>? = nil  // whitespace after an encoded word, dropped if another follows
        var lastEncoded = false
        var terminator = -1  // see parseWord

        func flush() {
            guard !pending.isEmpty else { return }
            let text = pending.withUnsafeBufferPointer {
                Charset.decode(buffer: $0, charset: pendingCharset, defects: &defects)
            }
            out.append(contentsOf: text.utf8)
            pending.removeAll(keepingCapacity: true)
        }

        var i = 0
        while i < n {
            let c = input[i]
            if c == UInt8(ascii: "="), i + 1 < n, input[i + 1] == UInt8(ascii: "?") {
                switch parseWord(input, at: i, terminator: &terminator) {
                case .decoded(let charset, let bytes, let end):
                    // Equal labels (the usual case) need no normalised copies.
                    let sameCharset =
                        lastEncoded
                        && (charset == pendingCharset
                            || Charset.normalizedLabel(charset) == Charset.normalizedLabel(pendingCharset))
                    if !sameCharset {
                        flush()
                        pendingCharset = charset
                    }
                    pending.append(contentsOf: bytes)
                    held = nil
                    lastEncoded = true
                    i = end
                    continue
                case .malformed(let end):
                    defects.append(.malformedEncodedWord(String(decoding: input[i..<end], as: UTF8.self)))
                    flush()
                    if let h = held {
                        out.append(contentsOf: input[h])
                        held = nil
                    }
                    out.append(contentsOf: input[i..<end])
                    lastEncoded = false
                    i = end
                    continue
                case .notAWord:
                    break
                }
            }
            if lastEncoded && (c == 32 || c == 9) {
                var j = i
                while j < n && (input[j] == 32 || input[j] == 9) { j += 1 }
                held = i..<j
                i = j
                continue
            }
            if !pending.isEmpty { flush() }  // (a call per plain character otherwise)
            if let h = held {
                out.append(contentsOf: input[h])
                held = nil
            }
            out.append(c)
            lastEncoded = false
            i += 1
        }
        flush()
        if let h = held { out.append(contentsOf: input[h]) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func parseWord(_ input: [UInt8], at start: Int, terminator: inout Int) -> Word {
        let n = input.count
        var i = start + 2
        let charsetStart = i
        while i < n && input[i] != UInt8(ascii: "?") {
            let b = input[i]
            if b <= 32 || b == UInt8(ascii: "=") || i - charsetStart > 64 { return .notAWord }
            i += 1
        }
        guard i < n, i > charsetStart else { return .notAWord }
        let charset = String(decoding: input[charsetStart..<i], as: UTF8.self)
        i += 1
        guard i + 1 < n, input[i + 1] == UInt8(ascii: "?") else { return .notAWord }
        let encoding = input[i] | 0x20
        i += 2
        let textStart = i
        // The terminating "?=": `terminator` caches the first one at or after
        // an earlier start, so a header full of unterminated words is still
        // scanned once, not once per "=?".
        if terminator < textStart {
            terminator = n
            var k = textStart
            while k + 1 < n {
                if input[k] == UInt8(ascii: "?") && input[k + 1] == UInt8(ascii: "=") {
                    terminator = k
                    break
                }
                k += 1
            }
        }
        let end = (terminator < n && terminator - textStart <= maxEncodedText) ? terminator : -1
        guard end >= 0 else {
            // "=?cs?x?" without a terminator: malformed up to the next whitespace.
            var j = textStart
            while j < n && input[j] != 32 && input[j] != 9 { j += 1 }
            return .malformed(end: j)
        }
        let text = input[textStart..<end]
        switch encoding {
        case UInt8(ascii: "b"):
            var bad = false
            let bytes = text.withUnsafeBufferPointer { Base64.decode(buffer: $0, hadErrors: &bad) }
            return .decoded(charset: charset, bytes: bytes, end: end + 2)
        case UInt8(ascii: "q"):
            return .decoded(charset: charset, bytes: decodeQ(text), end: end + 2)
        default:
            return .malformed(end: end + 2)
        }
    }

    static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count)
        var i = text.startIndex
        let end = text.endIndex
        while i < end {
            let c = text[i]
            if c == UInt8(ascii: "_") {
                out.append(32)
            } else if c == UInt8(ascii: "="), i + 2 < end,
                QuotedPrintable.hexValue[Int(text[i + 1])] != 0xFF,
                QuotedPrintable.hexValue[Int(text[i + 2])] != 0xFF
            {
                out.append(QuotedPrintable.hexValue[Int(text[i + 1])] << 4 | QuotedPrintable.hexValue[Int(text[i + 2])])
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    // MARK: Encoding (used by the builder)

    /// Characters a Q-encoded word may carry literally anywhere it may appear
    /// (RFC 2047 §5 rule 3, the strictest: phrases in address headers).
    static func isQLiteral(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "*"),
            UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// Length of `bytes` in Q encoding (space as `_`).
    static func qLength(_ bytes: some Sequence<UInt8>) -> Int {
        var n = 0
        for b in bytes { n += (isQLiteral(b) || b == 32) ? 1 : 3 }
        return n
    }

    static func bLength(_ byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// One encoded word for `bytes` (UTF-8), B or Q.
    static func encodeWord(_ bytes: [UInt8], useB: Bool) -> String {
        var out: [UInt8] = Array((useB ? "=?utf-8?b?" : "=?utf-8?q?").utf8)
        if useB {
            out.append(contentsOf: Base64.encode(bytes, lineLength: nil))
        } else {
            for b in bytes {
                if isQLiteral(b) {
                    out.append(b)
                } else if b == 32 {
                    out.append(UInt8(ascii: "_"))
                } else {
                    out.append(UInt8(ascii: "="))
                    out.append(QuotedPrintable.hexDigits[Int(b >> 4)])
                    out.append(QuotedPrintable.hexDigits[Int(b & 15)])
                }
            }
        }
        out.append(contentsOf: "?=".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
