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

/// HTML reduced to text: scripts and styles dropped, block ends as line breaks, table cells as
/// tabs, the common character references decoded.
enum HTMLText {
    static func reduce(_ html: String) -> String {
        var text = html.replacing(/(?is)<(script|style|head)\b.*?<\/\1\s*>/, with: "")
        text = text.replacing(/(?is)<!--.*?-->/, with: "")
        text = text.replacing(/(?i)<br\s*\/?>/, with: "\n")
        text = text.replacing(/(?i)<\/(p|div|tr|li|h[1-6]|table|blockquote|pre)\s*>/, with: "\n")
        text = text.replacing(/(?i)<\/t[dh]\s*>/, with: "\t")
        text = text.replacing(/<[^>]*>/, with: "")
        text = text.replacing(/&#(\d{1,7});/) { match in
            Int(match.output.1).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? ""
        }
        text = text.replacing(/&#[xX]([0-9a-fA-F]{1,6});/) { match in
            Int(match.output.1, radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? ""
        }
        for (entity, value) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            text = text.replacing(entity, with: value)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                .replacing(/\s*\t\s*/, with: "\t").trimmingPrefix(/\s+/)
        }
        var result: [Substring] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(Substring(line)) }
        return result.joined(separator: "\n").trimmingPrefix(/\s+/).description
    }
}
