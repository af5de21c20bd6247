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
        guard n > 0, let src = input.baseAddress else { return [] }
        var errors = false
        // Written straight into the result's storage: the output is never
        // longer than the input (every rule below emits at most what it consumes).
        let result = hexValue.withUnsafeBufferPointer { hex in
            [UInt8](unsafeUninitializedCapacity: n) { outBuf, count in
                guard let out = outBuf.baseAddress else {
                    count = 0
                    return
                }
                var o = 0
                var i = 0
                while i < n {
                    let c = src[i]
                    if c != UInt8(ascii: "=") && c != 32 && c != 9 {
                        out[o] = c
                        o += 1
                        i += 1
                        continue
                    }
                    if c == UInt8(ascii: "=") {
                        if i + 2 < n {
                            let h = hex[Int(src[i + 1])]
                            let l = hex[Int(src[i + 2])]
                            if h != 0xFF && l != 0xFF {
                                out[o] = h << 4 | l
                                o += 1
                                i += 3
                                continue
                            }
                        }
                        // Soft line break, possibly with (illegal) whitespace before the line end.
                        var j = i + 1
                        while j < n && (src[j] == 32 || src[j] == 9) { j += 1 }
                        if j == n {
                            i = n
                            continue
                        }
                        if src[j] == 10 {
                            i = j + 1
                            continue
                        }
                        if src[j] == 13 {
                            i = (j + 1 < n && src[j + 1] == 10) ? j + 2 : j + 1
                            continue
                        }
                        errors = true  // bad escape: keep it as written
                        out[o] = c
                        o += 1
                        i += 1
                    } else {
                        // Whitespace at the end of a line is transport padding.
                        var j = i + 1
                        while j < n && (src[j] == 32 || src[j] == 9) { j += 1 }
                        if j == n || src[j] == 10 || src[j] == 13 {
                            i = j
                        } else {
                            while i < j {
                                out[o] = src[i]
                                o += 1
                                i += 1
                            }
                        }
                    }
                }
                count = o
            }
        }
        if errors { hadErrors = true }
        return result
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
