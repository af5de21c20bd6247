/// Content-Transfer-Encoding names and decoding.
enum TransferEncoding {
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

    /// Whether this parser decodes (or passes through) the encoding.
    static func isKnown(_ encoding: String) -> Bool {
        identity.contains(encoding) || encoding == "base64" || encoding == "quoted-printable"
    }

    /// Transfer-decodes `raw`; unknown encodings are returned as they are
    /// (with a defect).
    static func decode(_ raw: ArraySlice<UInt8>, encoding: String, defects: inout [MIMEDefect]) -> [UInt8] {
        switch encoding {
        case "base64":
            var bad = false
            let out = raw.withUnsafeBufferPointer { Base64.decode(buffer: $0, hadErrors: &bad) }
            if bad { defects.append(.invalidBase64) }
            return out
        case "quoted-printable":
            var bad = false
            let out = raw.withUnsafeBufferPointer { QuotedPrintable.decode(buffer: $0, hadErrors: &bad) }
            if bad { defects.append(.invalidQuotedPrintable) }
            return out
        case "7bit", "8bit", "binary":
            return Array(raw)
        default:
            defects.append(.unknownTransferEncoding(encoding))
            return Array(raw)
        }
    }
}
