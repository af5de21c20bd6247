#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Conversion of labelled text to Swift strings (UTF-8).
///
/// UTF-8, US-ASCII and ISO-8859-1 / windows-1252 are converted by hand (the
/// overwhelmingly common labels); every other label goes through the C
/// library's iconv. Conversion never fails: an unknown label, or bytes that
/// are not valid in the labelled charset, fall back to UTF-8 when the bytes
/// are valid UTF-8 and to ISO-8859-1 otherwise.
public enum Charset {
    enum Kind: Equatable {
        case utf8, ascii, latin1, utf7
        /// No charset information: guess (UTF-8 if valid, else Latin-1) without a defect.
        case unlabelled
        case iconv(String)
    }

    // Labels that need a different name for iconv, or a superset that real
    // senders mean (WHATWG Encoding Standard practice: gb2312 is GBK-encoded,
    // ks_c_5601 is windows-949, shift_jis is usually windows-31j).
    static let aliases: [String: Kind] = [
        "utf-8": .utf8, "utf8": .utf8, "unicode-1-1-utf-8": .utf8, "x-unicode20utf8": .utf8,
        "us-ascii": .ascii, "ascii": .ascii, "ansi_x3.4-1968": .ascii, "iso646-us": .ascii,
        "us": .ascii, "cp367": .ascii, "ibm367": .ascii, "iso-ir-6": .ascii,
        "iso-8859-1": .latin1, "iso8859-1": .latin1, "iso_8859-1": .latin1, "iso_8859-1:1987": .latin1,
        "latin1": .latin1, "latin-1": .latin1, "l1": .latin1, "cp819": .latin1, "ibm819": .latin1,
        "iso-ir-100": .latin1, "windows-1252": .latin1, "cp1252": .latin1, "x-cp1252": .latin1,
        "cp-1252": .latin1, "win-1252": .latin1,
        "utf-7": .utf7, "utf7": .utf7, "unicode-1-1-utf-7": .utf7, "x-utf-7": .utf7,
        "": .unlabelled, "unknown-8bit": .unlabelled, "x-unknown": .unlabelled, "unknown": .unlabelled,
        "default": .unlabelled, "x-user-defined": .unlabelled, "8bit": .unlabelled,
        "gb2312": .iconv("GB18030"), "gbk": .iconv("GB18030"), "x-gbk": .iconv("GB18030"),
        "euc-cn": .iconv("GB18030"), "cn-gb": .iconv("GB18030"), "csgb2312": .iconv("GB18030"),
        "cp936": .iconv("GB18030"), "gb_2312-80": .iconv("GB18030"),
        "ks_c_5601-1987": .iconv("CP949"), "ks_c_5601": .iconv("CP949"), "ks_c_5601-1989": .iconv("CP949"),
        "euc-kr": .iconv("CP949"), "x-windows-949": .iconv("CP949"), "korean": .iconv("CP949"),
        "shift_jis": .iconv("WINDOWS-31J"), "shift-jis": .iconv("WINDOWS-31J"), "sjis": .iconv("WINDOWS-31J"),
        "x-sjis": .iconv("WINDOWS-31J"), "ms_kanji": .iconv("WINDOWS-31J"), "csshiftjis": .iconv("WINDOWS-31J"),
        "big5": .iconv("BIG5-HKSCS"), "x-x-big5": .iconv("BIG5-HKSCS"), "cn-big5": .iconv("BIG5-HKSCS"),
        "iso-8859-8-i": .iconv("ISO-8859-8"), "iso-8859-6-i": .iconv("ISO-8859-6"),
        "windows-874": .iconv("CP874"), "x-mac-roman": .iconv("MACINTOSH"), "macintosh": .iconv("MACINTOSH"),
        "ucs-2": .iconv("UCS-2"), "unicode": .iconv("UTF-16"),
    ]

    /// Lowercases and trims a charset label, dropping quotes and an RFC 2231
    /// language suffix (`utf-8*en`).
    static func normalizedLabel(_ label: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(label.utf8.count)
        for b in label.utf8 {
            if b == UInt8(ascii: "*") { break }
            if b == 32 || b == 9 || b == 34 || b == 39 || b == 13 || b == 10 { continue }
            bytes.append(b >= 65 && b <= 90 ? b | 0x20 : b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func kind(of label: String?) -> Kind {
        guard let label else { return .unlabelled }
        if let kind = commonKind(label) { return kind }
        let name = normalizedLabel(label)
        if let kind = aliases[name] { return kind }
        return .iconv(name)
    }

    /// The kind of the most frequent labels, matched on the bytes without
    /// building a normalised copy (`nil`: take the general path).
    @inline(__always)
    static func commonKind(_ label: String) -> Kind? {
        var label = label
        return label.withUTF8 { b -> Kind? in
            @inline(__always) func equals(_ lower: StaticString) -> Bool {
                guard b.count == lower.utf8CodeUnitCount else { return false }
                let l = lower.utf8Start
                for i in 0..<b.count {
                    let c = b[i]
                    if ((c >= 65 && c <= 90) ? c | 0x20 : c) != l[i] { return false }
                }
                return true
            }
            switch b.count {
            case 5: return equals("utf-8") ? .utf8 : nil
            case 8: return equals("us-ascii") ? .ascii : nil
            case 10: return equals("iso-8859-1") ? .latin1 : nil
            case 12: return equals("windows-1252") ? .latin1 : nil
            default: return nil
            }
        }
    }

    /// Converts `bytes` labelled with `charset` to a string, never failing
    /// (see the type's overview for the fallback).
    public static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        var defects: [MIMEDefect] = []
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { decode(buffer: $0, charset: charset, defects: &defects) }
    }

    /// Whether `charset` can be converted (a known label, or one iconv accepts).
    public static func isSupported(_ charset: String) -> Bool {
        switch kind(of: charset) {
        case .utf8, .ascii, .latin1, .utf7, .unlabelled: return true
        case .iconv(let name): return iconvAvailable(name)
        }
    }

    static func decode(buffer input: UnsafeBufferPointer<UInt8>, charset: String?, defects: inout [MIMEDefect])
        -> String
    {
        if input.isEmpty { return "" }
        return decode(buffer: input, kind: kind(of: charset), charset: charset, defects: &defects)
    }

    /// As ``decode(buffer:charset:defects:)`` with the label already classified.
    static func decode(
        buffer input: UnsafeBufferPointer<UInt8>, kind: Kind, charset: String?, defects: inout [MIMEDefect]
    ) -> String {
        if input.isEmpty { return "" }
        switch kind {
        case .ascii:
            if isASCII(input) { return String(decoding: input, as: UTF8.self) }
            defects.append(.invalidCharsetData(charset ?? "us-ascii"))
            return utf8OrLatin1(input)
        case .utf8:
            if let s = String(validating: input, as: UTF8.self) { return s }
            defects.append(.invalidCharsetData(charset ?? "utf-8"))
            return latin1(input)
        case .latin1:
            return latin1(input)
        case .unlabelled:
            return utf8OrLatin1(input)
        case .utf7:
            switch iconvConvert(input, from: "UTF-7") {
            case .converted(let s): return s
            case .invalid:
                defects.append(.invalidCharsetData(charset ?? "utf-7"))
                return utf8OrLatin1(input)
            case .unsupported:
                if let s = UTF7.decode(input) { return s }
                defects.append(.invalidCharsetData(charset ?? "utf-7"))
                return utf8OrLatin1(input)
            }
        case .iconv(let name):
            switch iconvConvert(input, from: name) {
            case .converted(let s): return s
            case .invalid:
                defects.append(.invalidCharsetData(charset ?? name))
                return utf8OrLatin1(input)
            case .unsupported:
                defects.append(.unknownCharset(charset ?? name))
                return utf8OrLatin1(input)
            }
        }
    }

    @inline(__always)
    static func isASCII(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = input.count
        // Eight bytes at a time: any high bit set means non-ASCII.
        if let base = input.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
        }
        while i < n {
            if input[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// `input` as a String with CRLF turned into LF when it is all ASCII
    /// (then UTF-8, US-ASCII, Latin-1 and unlabelled text all read the same);
    /// `nil` otherwise. Runs between CRs are copied with memcpy straight
    /// into the String's storage.
    static func asciiWithLF(_ input: UnsafeBufferPointer<UInt8>) -> String? {
        guard isASCII(input), let src = input.baseAddress else { return input.isEmpty ? "" : nil }
        let n = input.count
        return String(unsafeUninitializedCapacity: n) { out in
            guard let dst = out.baseAddress else { return 0 }
            var r = 0
            var w = 0
            while r < n {
                let cr = ByteScan.find(13, in: input, from: r, to: n)
                if cr > r {
                    memcpy(dst + w, src + r, cr - r)  // w <= r < cr <= n: within both buffers
                    w += cr - r
                }
                if cr >= n { break }
                if cr + 1 < n && src[cr + 1] == 10 {
                    r = cr + 1  // drop the CR of a CRLF; the LF starts the next run
                } else {
                    dst[w] = 13
                    w += 1
                    r = cr + 1
                }
            }
            return w
        }
    }

    /// UTF-8 when valid, else ISO-8859-1 (with windows-1252 in 0x80-0x9F).
    static func utf8OrLatin1(_ input: UnsafeBufferPointer<UInt8>) -> String {
        if let s = String(validating: input, as: UTF8.self) { return s }
        return latin1(input)
    }

    // windows-1252 characters for 0x80-0x9F; the five unassigned positions
    // keep their C1 control code points.
    static let cp1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D,
        0x017E, 0x0178,
    ]

    /// ISO-8859-1 decoding, reading 0x80-0x9F as windows-1252 (C1 controls
    /// never occur in real text; windows-1252 mislabelled as Latin-1 does).
    static func latin1(_ input: UnsafeBufferPointer<UInt8>) -> String {
        // Sized exactly first (0x80-0x9F: up to 3 bytes, 0xA0-0xFF: 2), then
        // written straight into the String's storage.
        // ASCII is copied eight bytes at a time.
        let n = input.count
        guard let src = input.baseAddress else { return "" }
        let highs: UInt64 = 0x8080_8080_8080_8080
        var size = n
        var k = 0
        while k < n {
            if k + 8 <= n && UnsafeRawPointer(src + k).loadUnaligned(as: UInt64.self) & highs == 0 {
                k += 8
                continue
            }
            let b = src[k]
            if b >= 0x80 { size += b < 0xA0 ? 2 : 1 }
            k += 1
        }
        return cp1252High.withUnsafeBufferPointer { high in
            String(unsafeUninitializedCapacity: size) { out in
                guard let dst = out.baseAddress else { return 0 }
                var o = 0
                var i = 0
                while i < n {
                    if i + 8 <= n {
                        let w = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                        if w & highs == 0 {
                            UnsafeMutableRawPointer(dst + o).storeBytes(of: w, as: UInt64.self)  // o + 8 <= size: 8 ASCII bytes remain
                            o += 8
                            i += 8
                            continue
                        }
                    }
                    let b = src[i]
                    i += 1
                    if b < 0x80 {
                        out[o] = b
                        o += 1
                    } else if b < 0xA0 {
                        let scalar = UInt32(high[Int(b - 0x80)])
                        if scalar < 0x800 {
                            out[o] = UInt8(0xC0 | scalar >> 6)
                            out[o + 1] = UInt8(0x80 | scalar & 0x3F)
                            o += 2
                        } else {
                            out[o] = UInt8(0xE0 | scalar >> 12)
                            out[o + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                            out[o + 2] = UInt8(0x80 | scalar & 0x3F)
                            o += 3
                        }
                    } else {
                        out[o] = 0xC0 | b >> 6
                        out[o + 1] = 0x80 | b & 0x3F
                        o += 2
                    }
                }
                return o
            }
        }
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18 & 0x07))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    enum IconvResult {
        case converted(String)
        case invalid
        case unsupported
    }

    static func iconvAvailable(_ name: String) -> Bool {
        guard let cd = IconvCache.checkOut(name) else { return false }
        IconvCache.checkIn(name, cd)
        return true
    }

    /// Converts through iconv, with a descriptor borrowed from ``IconvCache``
    /// (opening one costs more than converting a typical header or body).
    static func iconvConvert(_ input: UnsafeBufferPointer<UInt8>, from name: String) -> IconvResult {
        // Charset labels are ASCII; anything else cannot name an iconv charset.
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return .unsupported }
        guard let cd = IconvCache.checkOut(name) else { return .unsupported }
        defer { IconvCache.checkIn(name, cd) }
        guard let base = input.baseAddress else { return .converted("") }
        var out = [UInt8]()
        out.reserveCapacity(input.count * 2)
        let chunkSize = 16 * 1024
        var failed = false
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { chunk in
            guard let chunkBase = chunk.baseAddress else {
                failed = true
                return
            }
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(
                to: CChar.self)
            var inLeft = input.count
            var flushing = false
            while true {
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(chunkBase).assumingMemoryBound(
                    to: CChar.self)
                var outLeft = chunkSize
                let r: Int
                if flushing {
                    r = iconv(cd, nil, nil, &outPtr, &outLeft)  // emit any shift-state reset
                } else {
                    r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                }
                let produced = chunkSize - outLeft
                if produced > 0 { out.append(contentsOf: UnsafeBufferPointer(start: chunkBase, count: produced)) }
                if r == -1 {
                    let err = errno
                    if err == E2BIG { continue }
                    failed = true  // EILSEQ (not this charset) or EINVAL (truncated sequence)
                    return
                }
                if flushing { return }
                if inLeft == 0 { flushing = true }
            }
        }
        if failed { return .invalid }
        return .converted(String(decoding: out, as: UTF8.self))
    }
}

/// iconv descriptors (to UTF-8) kept for reuse, and the names iconv does not
/// know. A descriptor is used by one thread at a time: it is taken out of the
/// cache for a conversion and put back (reset to its initial state) after.
/// Both tables are bounded, so hostile labels cannot grow them.
enum IconvCache {
    /// The cache's tables behind a pthread mutex. (Not `Synchronization.Mutex`:
    /// linking that module statically adds over a megabyte of code.)
    final class Locked: @unchecked Sendable {
        // Allocated, so that its address never changes (a stored property's may).
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        var idle: [String: [iconv_t]] = [:]
        var idleCount = 0
        var unknown: Set<String> = []

        init() {
            mutex.initialize(to: pthread_mutex_t())
            pthread_mutex_init(mutex, nil)
        }

        func withLock<R>(_ body: (Locked) -> R) -> R {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body(self)
        }
    }

    static let maxIdle = 32
    static let maxIdlePerName = 4
    static let maxUnknown = 256
    static let state = Locked()

    /// An open descriptor converting `name` to UTF-8, or nil when iconv does not know `name`.
    static func checkOut(_ name: String) -> iconv_t? {
        let cached: iconv_t?? = state.withLock { s -> iconv_t?? in
            if s.unknown.contains(name) { return .some(nil) }
            if var list = s.idle[name], let cd = list.popLast() {
                s.idle[name] = list.isEmpty ? nil : list
                s.idleCount -= 1
                return .some(cd)
            }
            return .none
        }
        if let cached { return cached }
        let cd = iconv_open("UTF-8", name)
        if cd == iconv_t(bitPattern: -1) {
            state.withLock { s in
                if s.unknown.count < maxUnknown { s.unknown.insert(name) }
            }
            return nil
        }
        return cd
    }

    /// Returns a descriptor taken with ``checkOut(_:)``.
    static func checkIn(_ name: String, _ cd: iconv_t) {
        // Back to the initial shift state, as after iconv_open.
        _ = iconv(cd, nil, nil, nil, nil)
        let kept = state.withLock { s -> Bool in
            guard s.idleCount < maxIdle, s.idle[name, default: []].count < maxIdlePerName else { return false }
            s.idle[name, default: []].append(cd)
            s.idleCount += 1
            return true
        }
        if !kept { iconv_close(cd) }
    }
}
