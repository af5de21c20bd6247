/// Byte-level helpers for header values: unfolding, 8-bit text, name matching.
enum HeaderText {
    @inline(__always)
    static func isWSP(_ b: UInt8) -> Bool { b == 32 || b == 9 }

    /// Removes folding line breaks (CR and LF bytes) and trims surrounding
    /// whitespace. RFC 5322 unfolding keeps the whitespace that follows a
    /// break, so `a\r\n b` becomes `a b`.
    static func unfold(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var start = raw.startIndex
        var end = raw.endIndex
        while start < end && (isWSP(raw[start]) || raw[start] == 13 || raw[start] == 10) { start += 1 }
        while end > start && (isWSP(raw[end - 1]) || raw[end - 1] == 13 || raw[end - 1] == 10) { end -= 1 }
        var out = [UInt8]()
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            let b = raw[i]
            if b != 13 && b != 10 { out.append(b) }
            i += 1
        }
        return out
    }

    /// Header bytes as text: UTF-8 (RFC 6532) when valid, else ISO-8859-1
    /// (a defect naming `field`); 7-bit text with escape sequences is tried
    /// as ISO-2022-JP.
    static func string(_ bytes: [UInt8], field: String, defects: inout [MIMEDefect]) -> String {
        bytes.withUnsafeBufferPointer { buf in
            if Charset.isASCII(buf) {
                // Old Japanese mail writes raw ISO-2022-JP (7-bit escape sequences) in headers.
                if buf.contains(0x1B), case .converted(let s) = Charset.iconvConvert(buf, from: "ISO-2022-JP") {
                    return s
                }
                return String(decoding: buf, as: UTF8.self)
            }
            if let s = String(validating: buf, as: UTF8.self) { return s }
            defects.append(.nonUTF8Header(field: field))
            return Charset.latin1(buf)
        }
    }

    /// Unfolded, 8-bit-decoded and RFC 2047-decoded text of a raw value.
    static func decoded(_ raw: ArraySlice<UInt8>, field: String, defects: inout [MIMEDefect]) -> String {
        let unfolded = unfold(raw)
        let text = string(unfolded, field: field, defects: &defects)
        guard EncodedWords.mayContainEncodedWord(unfolded) else { return text }
        return EncodedWords.decode(utf8: Array(text.utf8), defects: &defects)
    }

    /// ASCII case-insensitive comparison of header-name bytes with `name`.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ name: String) -> Bool {
        var utf8 = name.utf8.makeIterator()
        var i = bytes.startIndex
        var count = 0
        while let c = utf8.next() {
            guard i < bytes.endIndex else { return false }
            let a = bytes[i]
            if a != c {
                let la = (a >= 65 && a <= 90) ? a | 0x20 : a
                let lc = (c >= 65 && c <= 90) ? c | 0x20 : c
                if la != lc { return false }
            }
            i += 1
            count += 1
        }
        return i == bytes.endIndex
    }

    /// Lowercased ASCII copy.
    static func lowercased(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        bytes.map { ($0 >= 65 && $0 <= 90) ? $0 | 0x20 : $0 }
    }

    /// CRLF → LF (lone CR and LF kept), for decoded text.
    static func crlfToLF(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(13) else { return bytes }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b == 13 && i + 1 < n && bytes[i + 1] == 10 {
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        return out
    }
}
