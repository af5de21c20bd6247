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

    /// The unfolded, trimmed value as a String when it is plain ASCII
    /// without escape sequences (and, if `encodedWords` is set, without a
    /// `=?` that could open an encoded word): the common case, built in one
    /// pass straight into the String's storage. `nil`: take the general path.
    @inline(__always)
    static func plainASCII(_ raw: ArraySlice<UInt8>, encodedWords: Bool) -> String? {
        raw.withUnsafeBufferPointer { buf -> String? in
            guard let base = buf.baseAddress else { return "" }
            var s = 0
            var e = buf.count
            while s < e && (isWSP(base[s]) || base[s] == 13 || base[s] == 10) { s += 1 }
            while e > s && (isWSP(base[e - 1]) || base[e - 1] == 13 || base[e - 1] == 10) { e -= 1 }
            var breaks = 0
            var previousWasEquals = false  // across removed line breaks, as after unfolding
            var i = s
            while i < e {
                // Eight bytes at a time: a word without 8-bit bytes, controls
                // (CR, LF, ESC, tab) or '=' needs no look at its bytes.
                if i + 8 <= e && !previousWasEquals {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let ones: UInt64 = 0x0101_0101_0101_0101
                    let highs: UInt64 = 0x8080_8080_8080_8080
                    let controls = (w &- 0x20 &* ones) & ~w & highs
                    let x = w ^ (0x3D &* ones)
                    let equals = (x &- ones) & ~x & highs
                    let flagged = (w & highs) | controls | equals
                    if flagged == 0 {
                        i += 8
                        continue
                    }
                    // The lowest flagged byte is exact (false positives only
                    // occur above a true one): skip the clean bytes before it.
                    i += flagged.trailingZeroBitCount >> 3
                }
                let b = base[i]
                i += 1
                if b >= 0x80 || b == 0x1B { return nil }
                if b == 13 || b == 10 {
                    breaks += 1
                    continue
                }
                if encodedWords && previousWasEquals && b == UInt8(ascii: "?") { return nil }
                previousWasEquals = b == UInt8(ascii: "=")
            }
            if breaks == 0 { return String(decoding: UnsafeBufferPointer(start: base + s, count: e - s), as: UTF8.self) }
            return String(unsafeUninitializedCapacity: e - s - breaks) { out in
                var w = 0
                for k in s..<e where base[k] != 13 && base[k] != 10 {
                    out[w] = base[k]
                    w += 1
                }
                return w
            }
        }
    }

    /// Unfolded, 8-bit-decoded and RFC 2047-decoded text of a raw value.
    static func decoded(_ raw: ArraySlice<UInt8>, field: String, defects: inout [MIMEDefect]) -> String {
        if let plain = plainASCII(raw, encodedWords: true) { return plain }
        let unfolded = unfold(raw)
        let text = string(unfolded, field: field, defects: &defects)
        guard EncodedWords.mayContainEncodedWord(unfolded) else { return text }
        return EncodedWords.decode(utf8: Array(text.utf8), defects: &defects)
    }

    /// ASCII case-insensitive comparison of header-name bytes with `name`.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ name: String) -> Bool {
        let utf8 = name.utf8
        guard bytes.count == utf8.count else { return false }
        if let equal = utf8.withContiguousStorageIfAvailable({ n in
            bytes.withUnsafeBufferPointer { b in equalsIgnoringCase(b, n) }
        }) {
            return equal
        }
        var i = bytes.startIndex
        for c in utf8 {
            if !sameIgnoringCase(bytes[i], c) { return false }
            i += 1
        }
        return true
    }

    /// Same length assumed.
    @inline(__always)
    static func equalsIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<a.count where !sameIgnoringCase(a[i], b[i]) { return false }
        return true
    }

    @inline(__always)
    static func sameIgnoringCase(_ a: UInt8, _ c: UInt8) -> Bool {
        if a == c { return true }
        let la = (a >= 65 && a <= 90) ? a | 0x20 : a
        let lc = (c >= 65 && c <= 90) ? c | 0x20 : c
        return la == lc
    }

    /// Lowercased ASCII copy.
    static func lowercased(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        bytes.map { ($0 >= 65 && $0 <= 90) ? $0 | 0x20 : $0 }
    }

    /// CRLF → LF (lone CR and LF kept) in place; memchr finds the CRs.
    static func crlfToLFInPlace(_ bytes: inout [UInt8]) {
        let n = bytes.count
        let newCount = bytes.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            let ro = UnsafeBufferPointer(buf)
            var r = ByteScan.find(13, in: ro, from: 0, to: n)
            if r >= n { return n }
            var w = r
            while r < n {
                // buf[r] is a CR.
                if r + 1 < n && base[r + 1] == 10 {
                    r += 1  // drop the CR; the LF is copied with the next run
                } else {
                    base[w] = 13
                    w += 1
                    r += 1
                }
                let next = ByteScan.find(13, in: ro, from: r, to: n)
                let run = next - r
                if run > 0 {
                    UnsafeMutableRawPointer(base + w).copyMemory(from: base + r, byteCount: run)  // memmove: w <= r
                    w += run
                }
                r = next
            }
            return w
        }
        if newCount < n { bytes.removeLast(n - newCount) }
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
