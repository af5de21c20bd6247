/// Base64 (RFC 2045 §6.8) encoding and a lenient decoder.
///
/// The decoder never fails: real mail carries base64 with stray characters,
/// missing or misplaced padding and odd line lengths, and a reader should get
/// as many bytes back as can be recovered instead of losing the attachment.
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    // Decode table: 0-63 digit values, `skip` for line/transport whitespace,
    // `pad` for '=', `junk` for anything else.
    static let skip: UInt8 = 0x40
    static let pad: UInt8 = 0x41
    static let junk: UInt8 = 0xFF
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: junk, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        for ws in [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), 0x0B, 0x0C] {
            table[Int(ws)] = skip
        }
        table[Int(UInt8(ascii: "="))] = pad
        return table
    }()

    /// Encodes `bytes` as base64.
    ///
    /// - Parameters:
    ///   - bytes: the data to encode.
    ///   - lineLength: characters per line (rounded down to a multiple of 4);
    ///     lines are separated by CRLF and the output has no trailing line
    ///     break. `nil` (or a value below 4) gives a single line.
    public static func encode(_ bytes: some Collection<UInt8>, lineLength: Int? = 76) -> [UInt8] {
        if let result = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0, lineLength: lineLength) }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { encode(buffer: $0, lineLength: lineLength) }
    }

    static func encode(buffer input: UnsafeBufferPointer<UInt8>, lineLength: Int?) -> [UInt8] {
        let n = input.count
        let quads = (n + 2) / 3
        var perLine = Int.max
        if let lineLength, lineLength >= 4 { perLine = lineLength / 4 }
        let lines = perLine == Int.max ? 1 : max(1, (quads + perLine - 1) / perLine)
        var out = [UInt8]()
        out.reserveCapacity(quads * 4 + (lines - 1) * 2)
        alphabet.withUnsafeBufferPointer { a in
            var i = 0
            var onLine = 0
            while i + 3 <= n {
                if onLine == perLine {
                    out.append(13)
                    out.append(10)
                    onLine = 0
                }
                let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                out.append(a[Int(v >> 18 & 63)])
                out.append(a[Int(v >> 12 & 63)])
                out.append(a[Int(v >> 6 & 63)])
                out.append(a[Int(v & 63)])
                onLine += 1
                i += 3
            }
            let rest = n - i
            if rest > 0 {
                if onLine == perLine {
                    out.append(13)
                    out.append(10)
                }
                let b0 = UInt32(input[i])
                let b1 = rest == 2 ? UInt32(input[i + 1]) : 0
                let v = b0 << 16 | b1 << 8
                out.append(a[Int(v >> 18 & 63)])
                out.append(a[Int(v >> 12 & 63)])
                out.append(rest == 2 ? a[Int(v >> 6 & 63)] : UInt8(ascii: "="))
                out.append(UInt8(ascii: "="))
            }
        }
        return out
    }

    /// Decodes base64 leniently: whitespace and characters outside the
    /// alphabet are skipped, padding may be missing or appear mid-stream
    /// (concatenated encodings), and a trailing partial group yields the bytes
    /// it completes. Never fails.
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var issues = false
        if let result = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0, hadErrors: &issues) }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { decode(buffer: $0, hadErrors: &issues) }
    }

    /// Lenient decoder; `hadErrors` is set when junk characters, bad padding
    /// or a dangling sextet were met.
    static func decode(buffer input: UnsafeBufferPointer<UInt8>, hadErrors: inout Bool) -> [UInt8] {
        let n = input.count
        var out = [UInt8]()
        out.reserveCapacity(n / 4 * 3 + 3)
        decodeTable.withUnsafeBufferPointer { table in
            var i = 0
            var acc: UInt32 = 0
            var held = 0  // sextets in `acc`
            var sawPad = false
            while i < n {
                // Fast path: four clean digits at a group boundary.
                if held == 0 && i + 4 <= n {
                    let a = table[Int(input[i])]
                    let b = table[Int(input[i + 1])]
                    let c = table[Int(input[i + 2])]
                    let d = table[Int(input[i + 3])]
                    if (a | b | c | d) < 64 {
                        if sawPad {
                            hadErrors = true
                            sawPad = false
                        }
                        let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        out.append(UInt8(truncatingIfNeeded: v >> 16))
                        out.append(UInt8(truncatingIfNeeded: v >> 8))
                        out.append(UInt8(truncatingIfNeeded: v))
                        i += 4
                        continue
                    }
                }
                let t = table[Int(input[i])]
                i += 1
                if t < 64 {
                    if sawPad {
                        hadErrors = true
                        sawPad = false
                    }  // data after padding: a new encoding starts
                    acc = acc << 6 | UInt32(t)
                    held += 1
                    if held == 4 {
                        out.append(UInt8(truncatingIfNeeded: acc >> 16))
                        out.append(UInt8(truncatingIfNeeded: acc >> 8))
                        out.append(UInt8(truncatingIfNeeded: acc))
                        acc = 0
                        held = 0
                    }
                } else if t == skip {
                    continue
                } else if t == pad {
                    // Padding ends the current group: flush what it holds.
                    flush(&acc, &held, &out, &hadErrors)
                    sawPad = true
                } else {
                    hadErrors = true
                }
            }
            if held > 0 {
                // Missing padding at the end is common and harmless.
                flush(&acc, &held, &out, &hadErrors)
            }
        }
        return out
    }

    @inline(__always)
    private static func flush(_ acc: inout UInt32, _ held: inout Int, _ out: inout [UInt8], _ hadErrors: inout Bool) {
        switch held {
        case 2:
            out.append(UInt8(truncatingIfNeeded: acc >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: acc >> 10))
            out.append(UInt8(truncatingIfNeeded: acc >> 2))
        case 1:
            hadErrors = true  // six bits cannot make a byte
        default:
            break
        }
        acc = 0
        held = 0
    }
}
