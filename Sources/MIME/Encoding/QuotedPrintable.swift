/// Quoted-printable (RFC 2045 §6.7) encoding and a lenient decoder.
public enum QuotedPrintable {
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    // 0-15 for hex digits (either case), 0xFF otherwise.
    static let hexValue: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "0123456789".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        for (i, c) in "ABCDEF".utf8.enumerated() { t[Int(c)] = UInt8(10 + i) }
        for (i, c) in "abcdef".utf8.enumerated() { t[Int(c)] = UInt8(10 + i) }
        return t
    }()

    /// Decodes quoted-printable leniently. `=XX` escapes (either case) become
    /// bytes, `=` before a line end is a soft break, trailing whitespace on a
    /// line is dropped (RFC 2045 rule 3); a malformed `=` sequence is kept
    /// literally. Line ends are kept as they appear. Never fails.
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var issues = false
        if let result = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0, hadErrors: &issues) }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { decode(buffer: $0, hadErrors: &issues) }
    }

    static func decode(buffer input: UnsafeBufferPointer<UInt8>, hadErrors: inout Bool) -> [UInt8] {
        let n = input.count
        var out = [UInt8]()
        out.reserveCapacity(n)
        hexValue.withUnsafeBufferPointer { hex in
            var i = 0
            while i < n {
                let c = input[i]
                if c == UInt8(ascii: "=") {
                    if i + 2 < n {
                        let h = hex[Int(input[i + 1])]
                        let l = hex[Int(input[i + 2])]
                        if h != 0xFF && l != 0xFF {
                            out.append(h << 4 | l)
                            i += 3
                            continue
                        }
                    }
                    // Soft line break, possibly with (illegal) whitespace before the line end.
                    var j = i + 1
                    while j < n && (input[j] == 32 || input[j] == 9) { j += 1 }
                    if j == n {
                        i = n
                        continue
                    }
                    if input[j] == 10 {
                        i = j + 1
                        continue
                    }
                    if input[j] == 13 {
                        i = (j + 1 < n && input[j + 1] == 10) ? j + 2 : j + 1
                        continue
                    }
                    hadErrors = true  // bad escape: keep it as written
                    out.append(c)
                    i += 1
                } else if c == 32 || c == 9 {
                    // Whitespace at the end of a line is transport padding.
                    var j = i + 1
                    while j < n && (input[j] == 32 || input[j] == 9) { j += 1 }
                    if j == n || input[j] == 10 || input[j] == 13 {
                        i = j
                    } else {
                        while i < j {
                            out.append(input[i])
                            i += 1
                        }
                    }
                } else {
                    out.append(c)
                    i += 1
                }
            }
        }
        return out
    }

    /// Encodes `bytes` as quoted-printable with lines of at most 76
    /// characters.
    ///
    /// - Parameter text: when `true` (the default) the input is treated as
    ///   text: CRLF, LF and lone CR become CRLF hard line breaks. When
    ///   `false`, CR and LF are encoded as `=0D`/`=0A` (binary data).
    public static func encode(_ bytes: some Collection<UInt8>, text: Bool = true) -> [UInt8] {
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity(input.count + input.count / 8 + 8)
        var column = 0
        let n = input.count
        var i = 0

        func emitEscaped(_ b: UInt8) {
            if column + 3 > 75 {
                out.append(contentsOf: [61, 13, 10])
                column = 0
            }
            out.append(61)
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 15)])
            column += 3
        }
        func emitLiteral(_ b: UInt8) {
            if column + 1 > 75 {
                out.append(contentsOf: [61, 13, 10])
                column = 0
            }
            out.append(b)
            column += 1
        }

        while i < n {
            let b = input[i]
            if text && (b == 13 || b == 10) {
                i += (b == 13 && i + 1 < n && input[i + 1] == 10) ? 2 : 1
                out.append(13)
                out.append(10)
                column = 0
                continue
            }
            let atLineEnd = i + 1 == n || (text && (input[i + 1] == 13 || input[i + 1] == 10))
            switch b {
            case 32, 9:
                if atLineEnd { emitEscaped(b) } else { emitLiteral(b) }
            case 33...60, 62...126:
                // A "." opening a line is left alone: dot-stuffing is SMTP's job.
                emitLiteral(b)
            default:
                emitEscaped(b)
            }
            i += 1
        }
        return out
    }
}
