#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bulk byte searches through the C library (`memchr`, `memmem`), which are
/// vectorised; the parser's line and boundary scans go through here.
enum ByteScan {
    /// Index of the first `byte` in `buf[from..<to]`, or `to` when absent.
    @inline(__always)
    static func find(_ byte: UInt8, in buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let base = buf.baseAddress else { return to }
        guard let p = memchr(base + from, Int32(byte), to - from) else { return to }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(p))
    }

    /// Index of the first line start in `buf[from..<to]` (`from` itself if
    /// `fromIsLineStart`, else just after an LF) where `pattern` begins, or nil.
    ///
    /// memchr looks for the pattern's first byte (for a delimiter, '-', which
    /// base64 never contains, so whole attachments are skipped in one call);
    /// a candidate counts when it starts a line and memcmp matches. Every
    /// byte is passed over once, so the time stays linear whatever the body holds.
    @inline(__always)
    static func findAtLineStart(
        _ pattern: UnsafeBufferPointer<UInt8>, in buf: UnsafeBufferPointer<UInt8>,
        from: Int, to: Int, fromIsLineStart: Bool
    ) -> Int? {
        guard let base = buf.baseAddress, let pbase = pattern.baseAddress, pattern.count > 0 else { return nil }
        let m = pattern.count
        let last = to - m  // the last position where the pattern fits
        var p = from
        while p <= last {
            let c = find(pbase[0], in: buf, from: p, to: last + 1)
            if c > last { return nil }
            let atLineStart = c == from ? fromIsLineStart : base[c - 1] == 10
            if atLineStart && memcmp(base + c, pbase, m) == 0 { return c }
            p = c + 1
        }
        return nil
    }

    /// Whether a line of `buf` (without its CRLF or LF) is longer than
    /// `limit` octets. One memchr per line; linear.
    static func hasLineLonger(than limit: Int, in buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard buf.count > limit else { return false }
        var pos = 0
        while pos < buf.count {
            let lf = find(10, in: buf, from: pos, to: buf.count)
            var length = lf - pos
            if lf < buf.count && length > 0 && buf[lf - 1] == 13 { length -= 1 }
            if length > limit { return true }
            pos = lf + 1
        }
        return false
    }

    /// Index of the first occurrence of `pattern` in `buf[from..<to]`, or nil.
    static func find(_ pattern: UnsafeBufferPointer<UInt8>, in buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
        -> Int?
    {
        guard let base = buf.baseAddress, let pbase = pattern.baseAddress, pattern.count > 0 else { return nil }
        let m = pattern.count
        var p = from
        while p + m <= to {
            let c = find(pbase[0], in: buf, from: p, to: to - m + 1)
            if c > to - m { return nil }
            if memcmp(base + c, pbase, m) == 0 { return c }
            p = c + 1
        }
        return nil
    }

    /// Whether `pattern` occurs anywhere in `haystack`.
    static func contains(_ pattern: [UInt8], in haystack: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { h in
            pattern.withUnsafeBufferPointer { p in find(p, in: h, from: 0, to: h.count) != nil }
        }
    }
}

/// Small index helpers over byte arrays.
enum ByteIndex {
    static func first(_ byte: UInt8, in s: [UInt8], from: Int) -> Int? {
        var i = from
        while i < s.count {
            if s[i] == byte { return i }
            i += 1
        }
        return nil
    }
}
