/// A file found uuencoded (`begin 644 name` … `end`, or the base64 variant
/// `begin-base64 644 name` … `====`) inside a text body, or in a part whose
/// Content-Transfer-Encoding is `x-uuencode` / `uuencode` / `x-uue`.
public struct UUEncodedFile: Sendable, Equatable {
    /// The file name written after the mode (trimmed; UTF-8, else ISO-8859-1).
    public var filename: String
    /// The Unix mode as written (`644`).
    public var mode: String
    /// The decoded bytes.
    public var data: [UInt8]
    /// Whether the block ended properly (`end` / `====`); when `false` the
    /// data runs to the end of the body or to the first line that is not
    /// uuencoded.
    public var isComplete: Bool

    /// The decoded size in bytes.
    public var size: Int { data.count }

    public init(filename: String, mode: String, data: [UInt8], isComplete: Bool = true) {
        self.filename = filename
        self.mode = mode
        self.data = data
        self.isComplete = isComplete
    }
}

/// uuencode and `begin-base64` block scanning and decoding.
public enum UUEncode {
    /// Every uuencoded block in `body`, in order. Lines may end in LF or
    /// CRLF. Linear in the input; never fails (broken lines end a block).
    public static func files(in body: some Collection<UInt8>) -> [UUEncodedFile] {
        let bytes = Array(body)
        var lines: [Range<Int>] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 10 {
            lines.append(start..<i)
            start = i + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }

        func trimmed(_ r: Range<Int>) -> ArraySlice<UInt8> {
            var s = bytes[r]
            while let last = s.last, last == 13 || last == 32 || last == 9 { s = s.dropLast() }
            return s
        }

        var result: [UUEncodedFile] = []
        var n = 0
        while n < lines.count {
            let line = trimmed(lines[n])
            n += 1
            guard let (base64, mode, name) = parseBegin(line) else { continue }
            var data: [UInt8] = []
            var complete = false
            if base64 {
                var encoded: [UInt8] = []
                while n < lines.count {
                    let l = trimmed(lines[n])
                    n += 1
                    if l.elementsEqual("====".utf8) {
                        complete = true
                        break
                    }
                    encoded += l
                }
                data = Base64.decode(encoded)
            } else {
                while n < lines.count {
                    let l = trimmed(lines[n])
                    if l.elementsEqual("end".utf8) {
                        n += 1
                        complete = true
                        break
                    }
                    guard decodeLine(l, into: &data) else { break }
                    n += 1
                }
            }
            // A "begin" line in prose, not followed by any encoded data.
            if !complete && data.isEmpty { continue }
            result.append(UUEncodedFile(filename: name, mode: mode, data: data, isComplete: complete))
        }
        return result
    }

    /// `begin[-base64] MODE NAME` → (base64, mode, name).
    static func parseBegin(_ line: ArraySlice<UInt8>) -> (Bool, String, String)? {
        var rest: ArraySlice<UInt8>
        let base64: Bool
        if line.starts(with: "begin-base64 ".utf8) {
            rest = line.dropFirst(13)
            base64 = true
        } else if line.starts(with: "begin ".utf8) {
            rest = line.dropFirst(6)
            base64 = false
        } else {
            return nil
        }
        let mode = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
        guard mode.count >= 3 && mode.count <= 4 else { return nil }
        rest = rest.dropFirst(mode.count)
        guard rest.first == 32 else { return nil }
        let name = rest.drop { $0 == 32 || $0 == 9 }
        guard !name.isEmpty else { return nil }
        let filename = String(validating: name, as: UTF8.self) ?? String(name.map { Character(Unicode.Scalar($0)) })
        return (base64, String(decoding: mode, as: UTF8.self), filename)
    }

    /// Decodes one uuencoded line into `out`; `false` when the line is not
    /// uuencoded (a character outside `` ` ``…`` ` `` or too short).
    /// A zero-length line (`` ` `` or a space) decodes to nothing.
    static func decodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) -> Bool {
        guard let first = line.first else { return true }  // an empty line (trailing spaces trimmed)
        guard first >= 32 && first <= 96 else { return false }
        let count = Int((first &- 32) & 63)
        if count == 0 { return true }
        let chars = line.dropFirst()
        // 4 characters per 3 bytes; some encoders drop trailing spaces (trimmed above), so pad.
        let needed = (count + 2) / 3 * 4
        guard chars.count + 4 >= needed, chars.allSatisfy({ $0 >= 32 && $0 <= 96 }) else { return false }
        var values = chars.prefix(needed).map { ($0 &- 32) & 63 }
        while values.count < needed { values.append(0) }
        var produced = 0
        var i = 0
        while produced < count && i + 4 <= values.count {
            let a = values[i], b = values[i + 1], c = values[i + 2], d = values[i + 3]
            let bytes = [a << 2 | b >> 4, (b & 15) << 4 | c >> 2, (c & 3) << 6 | d]
            for byte in bytes where produced < count {
                out.append(byte)
                produced += 1
            }
            i += 4
        }
        return true
    }
}
