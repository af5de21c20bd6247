/// Content-Transfer-Encoding names and decoding.
enum TransferEncoding {
    /// The encodings the parser tells apart, found once while indexing.
    enum Kind: UInt8, Sendable {
        case sevenBit, eightBit, binary, base64, quotedPrintable
        /// `x-uuencode`, `x-uue` or `uuencode` (the body is one uuencoded file).
        case uuencode
        /// Anything else (see ``MIMEPart/transferEncoding`` for its name).
        case other

        /// The normalised name of a known kind.
        var name: String {
            switch self {
            case .sevenBit: return "7bit"
            case .eightBit: return "8bit"
            case .binary: return "binary"
            case .base64: return "base64"
            case .quotedPrintable: return "quoted-printable"
            case .uuencode: return "x-uuencode"
            case .other: return ""
            }
        }

        var isIdentity: Bool { self == .sevenBit || self == .eightBit || self == .binary }
    }

    /// The kind of a raw header value, without building a String for the
    /// known names (same normalisation as ``normalize(_:)``).
    static func kind(_ raw: ArraySlice<UInt8>) -> Kind {
        // The first token: skip leading whitespace and quotes, stop at
        // whitespace, quote, ';' or '(' after it.
        var i = raw.startIndex
        let end = raw.endIndex
        while i < end {
            let b = raw[i]
            if b == 32 || b == 9 || b == 13 || b == 10 || b == 34 {
                i += 1
                continue
            }
            break
        }
        let start = i
        while i < end {
            let b = raw[i]
            if b == 32 || b == 9 || b == 13 || b == 10 || b == 34 || b == UInt8(ascii: ";") || b == UInt8(ascii: "(") {
                break
            }
            i += 1
        }
        let token = raw[start..<i]
        switch token.count {
        case 0: return .sevenBit  // normalize gives "7bit" for an empty token
        case 4:
            if HeaderText.equalsIgnoringCase(token, "7bit") { return .sevenBit }
            if HeaderText.equalsIgnoringCase(token, "8bit") { return .eightBit }
        case 6:
            if HeaderText.equalsIgnoringCase(token, "base64") { return .base64 }
            if HeaderText.equalsIgnoringCase(token, "binary") { return .binary }
        case 16:
            if HeaderText.equalsIgnoringCase(token, "quoted-printable") { return .quotedPrintable }
        case 5:
            if HeaderText.equalsIgnoringCase(token, "x-uue") { return .uuencode }
        case 8:
            if HeaderText.equalsIgnoringCase(token, "uuencode") { return .uuencode }
        case 10:
            if HeaderText.equalsIgnoringCase(token, "x-uuencode") { return .uuencode }
        default:
            break
        }
        return .other
    }

    /// Normalises a raw header value: first token, lowercased, without
    /// quotes, comments or trailing parameters (`"Base64 ; junk"` → `base64`).
    static func normalize(_ raw: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var started = false
        for b in raw {
            if b == 32 || b == 9 || b == 13 || b == 10 || b == 34 {
                if started { break } else { continue }
            }
            if b == UInt8(ascii: ";") || b == UInt8(ascii: "(") { break }
            started = true
            out.append((b >= 65 && b <= 90) ? b | 0x20 : b)
        }
        return out.isEmpty ? "7bit" : String(decoding: out, as: UTF8.self)
    }

    static let identity: Set<String> = ["7bit", "8bit", "binary"]
    /// The spellings of uuencoding as a transfer encoding (none is registered;
    /// all three occur in the wild).
    static let uuencodeNames: Set<String> = ["x-uuencode", "x-uue", "uuencode"]

    /// Whether this parser decodes (or passes through) the encoding.
    static func isKnown(_ encoding: String) -> Bool {
        identity.contains(encoding) || encoding == "base64" || encoding == "quoted-printable"
            || uuencodeNames.contains(encoding)
    }

    /// Transfer-decodes `raw`; unknown encodings are returned as they are
    /// (with a defect).
    static func decode(_ raw: ArraySlice<UInt8>, encoding: String, defects: inout [MIMEDefect]) -> [UInt8] {
        switch encoding {
        case "base64": return decode(raw, kind: .base64, name: encoding, defects: &defects)
        case "quoted-printable": return decode(raw, kind: .quotedPrintable, name: encoding, defects: &defects)
        case "7bit", "8bit", "binary": return Array(raw)
        case "x-uuencode", "x-uue", "uuencode": return decode(raw, kind: .uuencode, name: encoding, defects: &defects)
        default: return decode(raw, kind: .other, name: encoding, defects: &defects)
        }
    }

    /// Transfer-decodes `raw` by kind; `name` is only used for the defect of
    /// an unknown encoding.
    static func decode(
        _ raw: ArraySlice<UInt8>, kind: Kind, name: @autoclosure () -> String, defects: inout [MIMEDefect]
    ) -> [UInt8] {
        switch kind {
        case .base64:
            var bad = false
            let out = raw.withUnsafeBufferPointer { Base64.decode(buffer: $0, hadErrors: &bad) }
            if bad { defects.append(.invalidBase64) }
            return out
        case .quotedPrintable:
            var bad = false
            let out = raw.withUnsafeBufferPointer { QuotedPrintable.decode(buffer: $0, hadErrors: &bad) }
            if bad { defects.append(.invalidQuotedPrintable) }
            return out
        case .sevenBit, .eightBit, .binary:
            return Array(raw)
        case .uuencode:
            // The body is one `begin MODE NAME` … `end` block; its data is the
            // decoded body. Without a block the body is kept raw.
            guard let file = UUEncode.files(in: raw).first else {
                defects.append(.invalidUUEncode)
                return Array(raw)
            }
            if !file.isComplete { defects.append(.invalidUUEncode) }
            return file.data
        case .other:
            defects.append(.unknownTransferEncoding(name()))
            return Array(raw)
        }
    }
}
