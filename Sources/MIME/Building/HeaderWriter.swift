/// Writes header fields with folding: lines are broken before whitespace so
/// they stay within 78 columns where possible (76 on lines carrying encoded
/// words, per RFC 2047), never inside a word, quoted string or encoded word.
struct HeaderWriter {
    var out: [UInt8] = []
    private var column = 0
    private var piecesOnLine = 0

    static let lineLimit = 78
    static let encodedLineLimit = 76
    /// Longest atomic piece accepted (keeps every line under 998 octets).
    static let maxPiece = 900

    mutating func begin(_ name: String) {
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ":"))
        column = name.utf8.count + 1
        piecesOnLine = 0
    }

    mutating func end() {
        out.append(13)
        out.append(10)
        column = 0
        piecesOnLine = 0
    }

    private mutating func fold() {
        out.append(13)
        out.append(10)
        column = 0
        piecesOnLine = 0
    }

    /// Appends an unbreakable piece after `separator` (non-empty whitespace),
    /// folding before it when it would pass the line limit.
    mutating func piece(_ text: some Collection<UInt8>, separator: [UInt8] = [32]) {
        let sep = separator.isEmpty ? [32] : separator
        if piecesOnLine > 0 && column + sep.count + text.count > HeaderWriter.lineLimit { fold() }
        out.append(contentsOf: sep)
        out.append(contentsOf: text)
        column += sep.count + text.count
        piecesOnLine += 1
    }

    /// Appends `text` as one or more RFC 2047 encoded words (UTF-8, B or Q
    /// whichever is shorter), each at most 75 characters, split only between
    /// Unicode scalars and folded as needed.
    mutating func encoded(_ text: String, separator: [UInt8] = [32]) {
        let utf8 = Array(text.utf8)
        let useB = EncodedWords.bLength(utf8.count) < EncodedWords.qLength(utf8)
        let overhead = 12  // "=?utf-8?q?" + "?="
        var sep = separator.isEmpty ? [32] : separator
        let scalars = Array(text.unicodeScalars)
        var idx = 0
        while idx < scalars.count {
            var avail = HeaderWriter.encodedLineLimit - column - sep.count
            if avail < overhead + 16 && piecesOnLine > 0 {
                fold()
                avail = HeaderWriter.encodedLineLimit - sep.count
            }
            let maxWord = max(min(75, avail), overhead + 12)
            var bytes: [UInt8] = []
            var qLen = 0
            var j = idx
            while j < scalars.count {
                let sb = Array(String(Character(scalars[j])).utf8)
                let len =
                    overhead + (useB ? EncodedWords.bLength(bytes.count + sb.count) : qLen + EncodedWords.qLength(sb))
                if len > maxWord && j > idx { break }
                bytes += sb
                qLen += EncodedWords.qLength(sb)
                j += 1
            }
            let word = EncodedWords.encodeWord(bytes, useB: useB)
            out.append(contentsOf: sep)
            out.append(contentsOf: word.utf8)
            column += sep.count + word.utf8.count
            piecesOnLine += 1
            sep = [32]
            idx = j
        }
    }

    // MARK: Value kinds

    /// Whether a word of unstructured text must be encoded: non-ASCII,
    /// control characters, something a decoder would take for an encoded
    /// word, or too long to stay under the line limit.
    static func needsEncoding(_ word: Substring) -> Bool {
        if word.utf8.count > maxPiece { return true }
        var previous: UInt8 = 0
        for b in word.utf8 {
            if b >= 127 || b < 32 { return true }
            if (previous == UInt8(ascii: "=") && b == UInt8(ascii: "?"))
                || (previous == UInt8(ascii: "?") && b == UInt8(ascii: "="))
            {
                return true
            }
            previous = b
        }
        return false
    }

    /// Writes unstructured text (Subject, extra headers): plain words as
    /// they are, runs of words that need it as encoded words. Whitespace
    /// between words is kept exactly.
    mutating func unstructured(_ value: String) {
        // Split into (whitespace, word) pairs; leading and trailing whitespace dropped.
        var pieces: [(ws: Substring, word: Substring)] = []
        var i = value.startIndex
        while i < value.endIndex {
            let wsStart = i
            while i < value.endIndex, value[i] == " " || value[i] == "\t" { i = value.index(after: i) }
            let wordStart = i
            while i < value.endIndex, value[i] != " " && value[i] != "\t" { i = value.index(after: i) }
            if wordStart < i { pieces.append((value[wsStart..<wordStart], value[wordStart..<i])) }
        }
        var k = 0
        while k < pieces.count {
            let sep = k == 0 ? [UInt8(32)] : Array(pieces[k].ws.utf8)
            if HeaderWriter.needsEncoding(pieces[k].word) {
                // The run of words needing encoding, with the whitespace between them, is one chunk.
                var chunk = String(pieces[k].word)
                var m = k + 1
                while m < pieces.count && HeaderWriter.needsEncoding(pieces[m].word) {
                    chunk += pieces[m].ws
                    chunk += pieces[m].word
                    m += 1
                }
                encoded(chunk, separator: sep)
                k = m
            } else {
                piece(pieces[k].word.utf8, separator: sep)
                k += 1
            }
        }
    }

    static func isAtext(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
        }
    }

    /// Writes a display name: atoms as they are, other ASCII as a quoted
    /// string, anything else as encoded words.
    mutating func displayName(_ name: String) {
        let words = name.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty else { return }
        let ascii = name.utf8.allSatisfy { $0 >= 32 && $0 < 127 || $0 == 9 }
        let looksEncoded = words.contains { HeaderWriter.needsEncoding($0) }
        if ascii && !looksEncoded {
            if words.allSatisfy({ $0.utf8.allSatisfy(HeaderWriter.isAtext) && $0.utf8.count <= 76 }) {
                for w in words { piece(w.utf8) }
                return
            }
            if name.utf8.count <= 70 {
                var quoted: [UInt8] = [34]
                for b in name.utf8 {
                    if b == 34 || b == 92 { quoted.append(92) }
                    quoted.append(b)
                }
                quoted.append(34)
                piece(quoted)
                return
            }
        }
        encoded(name)
    }

    /// Writes an address list `Name <a@b>, c@d`.
    mutating func addressList(_ addresses: [MailAddress]) {
        for (n, a) in addresses.enumerated() {
            let last = n == addresses.count - 1
            let comma: [UInt8] = last ? [] : [UInt8(ascii: ",")]
            if let name = a.displayName, !name.utf8.allSatisfy({ $0 == 32 || $0 == 9 }) {
                displayName(name)
                piece(Array("<\(a.address)>".utf8) + comma)
            } else {
                piece(Array(a.address.utf8) + comma)
            }
        }
    }
}
