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

    /// Decode tables in the Chromium style: the value of a digit already
    /// shifted into its place of the 24-bit group, so four lookups OR-ed give
    /// the three bytes; anything that is not a digit sets bit 24 or higher, so
    /// one comparison tells whether the four characters were clean.
    static let groupTables: [UInt32] = {
        var t = [UInt32](repeating: 0x0100_0000, count: 4 * 256)
        for (value, char) in alphabet.enumerated() {
            let v = UInt32(value)
            t[0 * 256 + Int(char)] = v << 18
            t[1 * 256 + Int(char)] = v << 12
            t[2 * 256 + Int(char)] = v << 6
            t[3 * 256 + Int(char)] = v
        }
        return t
    }()

    /// Lenient decoder; `hadErrors` is set when junk characters, bad padding
    /// or a dangling sextet were met.
    ///
    /// Fast path: runs of clean 4-character groups (the body of every line of
    /// well-formed base64) decode with four table lookups per group straight
    /// into the output storage; line breaks, padding and junk go through the
    /// per-character path, which keeps the lenient semantics.
    static func decode(buffer input: UnsafeBufferPointer<UInt8>, hadErrors: inout Bool) -> [UInt8] {
        let n = input.count
        guard n > 0, let inBase = input.baseAddress else { return [] }
        let capacity = n / 4 * 3 + 3
        var errors = false
        let result = groupTables.withUnsafeBufferPointer { tables -> [UInt8] in
            decodeTable.withUnsafeBufferPointer { table -> [UInt8] in
                // `tables` has 1024 entries and every index below is a byte plus a multiple of 256.
                guard let tb = tables.baseAddress else { return [] }
                return [UInt8](unsafeUninitializedCapacity: capacity) { outBuf, count in
                    guard let out = outBuf.baseAddress else {
                        count = 0
                        return
                    }
                    var o = 0  // bytes written; never exceeds 3 per 4 input characters (+2 at the end)
                    var i = 0
                    var acc: UInt32 = 0
                    var held = 0  // sextets in `acc`
                    var sawPad = false
                    while i < n {
                        if held == 0 {
                            // Clean groups, four characters at a time.
                            while i + 4 <= n {
                                let v =
                                    tb[Int(inBase[i])] | tb[256 + Int(inBase[i + 1])]
                                    | tb[512 + Int(inBase[i + 2])] | tb[768 + Int(inBase[i + 3])]
                                if v >= 0x0100_0000 { break }
                                if sawPad {
                                    errors = true  // data after padding: a new encoding starts
                                    sawPad = false
                                }
                                out[o] = UInt8(truncatingIfNeeded: v >> 16)
                                out[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                                out[o + 2] = UInt8(truncatingIfNeeded: v)
                                o += 3
                                i += 4
                            }
                            if i >= n { break }
                        }
                        let t = table[Int(inBase[i])]
                        i += 1
                        if t < 64 {
                            if sawPad {
                                errors = true
                                sawPad = false
                            }  // data after padding: a new encoding starts
                            acc = acc << 6 | UInt32(t)
                            held += 1
                            if held == 4 {
                                out[o] = UInt8(truncatingIfNeeded: acc >> 16)
                                out[o + 1] = UInt8(truncatingIfNeeded: acc >> 8)
                                out[o + 2] = UInt8(truncatingIfNeeded: acc)
                                o += 3
                                acc = 0
                                held = 0
                            }
                        } else if t == skip {
                            continue
                        } else if t == pad {
                            // Padding ends the current group: flush what it holds.
                            o += flush(&acc, &held, out + o, &errors)
                            sawPad = true
                        } else {
                            errors = true
                        }
                    }
                    if held > 0 {
                        // Missing padding at the end is common and harmless.
                        o += flush(&acc, &held, out + o, &errors)
                    }
                    count = o
                }
            }
        }
        if errors { hadErrors = true }
        return result
    }

    /// Writes the bytes a partial group completes; returns how many.
    @inline(__always)
    private static func flush(
        _ acc: inout UInt32, _ held: inout Int, _ out: UnsafeMutablePointer<UInt8>, _ hadErrors: inout Bool
    ) -> Int {
        var written = 0
        switch held {
        case 2:
            out[0] = UInt8(truncatingIfNeeded: acc >> 4)
            written = 1
        case 3:
            out[0] = UInt8(truncatingIfNeeded: acc >> 10)
            out[1] = UInt8(truncatingIfNeeded: acc >> 2)
            written = 2
        case 1:
            hadErrors = true  // six bits cannot make a byte
        default:
            break
        }
        acc = 0
        held = 0
        return written
    }
}
