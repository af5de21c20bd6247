import Testing

@testable import MIME

/// The fast paths added for speed must give exactly what the general code
/// gives: each is checked against the general path (or a straightforward
/// reference) on crafted and seeded random inputs.
@Suite("Fast paths agree with the general code")
struct PerformanceFastPathTests {
    /// SplitMix64: deterministic inputs.
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
    }

    /// Random strings built from pieces that exercise the edges of each fast path.
    static func randomInputs(_ pieces: [String], count: Int, seed: UInt64, maxPieces: Int = 8) -> [[UInt8]] {
        var rng = RNG(state: seed)
        var out: [[UInt8]] = []
        for _ in 0..<count {
            var s = ""
            for _ in 0..<(1 + rng.below(maxPieces)) { s += rng.pick(pieces) }
            out.append(Array(s.utf8))
        }
        return out
    }

    static let addressPieces = [
        "a@b.c", "john.doe@example.org", "John", " ", "  ", "\t", ",", ", ", "<", ">", "\"", "\"Doe, John\"",
        "\"J\\\"D\"", "Q.", "=?utf-8?q?J=C3=A9r=C3=B4me?=", "=?x", "(comment)", ":", ";", "@", "[1.2.3.4]", "\r\n ",
        "\r\n", "\n\t", "\r", "é", "x@y", "<x@y>", " <x@y> ", "a@b@c", "@a", "a@", "undisclosed-recipients:;",
        "Name <n@x>", "\"\" <e@x>", "\"  \" <s@x>", "\"a=?b\" <q@x>", "o'brien@x.ie", "<@relay:u@x>", "  \"N\"  ",
        "\u{1B}", "a+tag@x", "\"tab\there\" <t@x>",
    ]

    @Test("Address lists: the no-tokeniser path matches parseList")
    func addressLists() {
        var checked = 0
        var crafted: [[UInt8]] = [
            "a@b.c", "John Smith <js@x.org>", "\"Smith, John\" <js@x.org>, b@c", "Q. Public <q@x>",
            "John  \r\n Smith <js@x>", "<only@x>", " , a@b , ", "a@b,,c@d", "John<j@x>", "\"J \" <j@x>",
            "\"\" <j@x>", "a@b (Name)", "Group: a@b, c@d;", "a@b@c", "Name a@b", "=?utf-8?q?x?= <a@b>",
            "\"=?utf-8?q?x?=\" <a@b>", "foo", "< a@b >", "<a@b> junk", "a@b\rc",
        ].map { Array($0.utf8) }
        crafted += Self.randomInputs(Self.addressPieces, count: 20_000, seed: 1)
        for input in crafted {
            var defects: [MIMEDefect] = []
            let general = AddressParser.parseList(HeaderText.unfold(input[...]), defects: &defects)
            guard let fast = input.withUnsafeBufferPointer({ AddressParser.simpleList($0) }) else { continue }
            checked += 1
            #expect(fast == general, "\(String(decoding: input, as: UTF8.self))")
        }
        #expect(checked > 1000)
    }

    @Test("Fast paths stay linear on long runs of the bytes they look at")
    func linearOnHostileRuns() {
        let n = 200_000
        let runs: [[UInt8]] = [
            [UInt8](repeating: 13, count: n), [UInt8](repeating: 10, count: n), [UInt8](repeating: 45, count: n),
            [UInt8](repeating: 61, count: n), [UInt8](repeating: 34, count: n), [UInt8](repeating: 9, count: n),
        ]
        for run in runs {
            let input = Array("a@b ".utf8) + run + Array(" x".utf8)
            _ = input.withUnsafeBufferPointer { AddressParser.simpleList($0) }
            _ = HeaderText.plainASCII(input[...], encodedWords: true)
            _ = input.withUnsafeBufferPointer { ContentTypeParser.simpleContentType($0) }
            var defects: [MIMEDefect] = []
            _ = ContentTypeParser.leadingValue(raw: input[...], defects: &defects)
            let message = MIMEMessage(
                bytes: Array("Content-Type: multipart/mixed; boundary=b\r\n\r\n".utf8) + run + Array("\r\n--b--\r\n".utf8))
            #expect(message.allParts.count >= 1)
        }
    }

    static let headerPieces = [
        "plain", " ", "\t", "\r\n ", "\r\n\t", "\r", "\n", "=", "?", "=?", "=?utf-8?q?caf=C3=A9?=", "=?utf-8?b?w6k=?=",
        "é", "\u{1B}$B", "abcdefgh", "0123456789", ";", "=\r\n ?",
    ]

    @Test("Header values: the plain ASCII path matches unfold + decode")
    func plainHeaderValues() {
        var checked = 0
        for input in Self.randomInputs(Self.headerPieces, count: 20_000, seed: 2, maxPieces: 12) {
            var defects: [MIMEDefect] = []
            let unfolded = HeaderText.unfold(input[...])
            let text = HeaderText.string(unfolded, field: "x", defects: &defects)
            let decoded =
                EncodedWords.mayContainEncodedWord(unfolded)
                ? EncodedWords.decode(utf8: Array(text.utf8), defects: &defects) : text
            if let fast = HeaderText.plainASCII(input[...], encodedWords: true) {
                checked += 1
                #expect(fast == decoded, "\(input)")
            }
            if let fast = HeaderText.plainASCII(input[...], encodedWords: false) {
                #expect(fast == text, "\(input)")
            }
            // The public entry point goes through the fast path when it can.
            var d2: [MIMEDefect] = []
            #expect(HeaderText.decoded(input[...], field: "x", defects: &d2) == decoded)
        }
        #expect(checked > 1000)
    }

    static let contentTypePieces = [
        "text/plain", "multipart/mixed", "TEXT/HTML", "; ", ";", " ", "\r\n\t", "charset=utf-8", "charset=\"UTF-8\"",
        "boundary=\"----=_Part_1\"", "boundary=abc", "name=\"a b.pdf\"", "name*=utf-8''%C3%A9", "name*0=a", "name*1=b",
        "(comment)", "format=flowed", "x=\"a\\\"b\"", "x=\"=?utf-8?q?a?=\"", "x = y", "=", "\"", "/", "é", "charset=",
        "attachment", "inline", "filename=report.pdf", "FileName=\"R.PDF\"",
    ]

    @Test("Content-Type and Content-Disposition: the simple path matches the general parser")
    func parameterized() {
        var checkedTypes = 0
        var checkedDispositions = 0
        for input in Self.randomInputs(Self.contentTypePieces, count: 20_000, seed: 3) {
            var defects: [MIMEDefect] = []
            let unfolded = HeaderText.unfold(input[...])
            let general = ContentTypeParser.parseContentType(unfolded[...], defects: &defects)
            if let fast = input.withUnsafeBufferPointer({ ContentTypeParser.simpleContentType($0) }) {
                checkedTypes += 1
                #expect(fast == general, "\(String(decoding: input, as: UTF8.self))")
            }
            let (value, parameters) = ContentTypeParser.parseParameterized(unfolded[...], defects: &defects)
            #expect(ContentTypeParser.leadingValue(raw: input[...], defects: &defects) == value)
            if let fast = input.withUnsafeBufferPointer({ ContentTypeParser.simpleParameterized($0, slash: false) }) {
                checkedDispositions += 1
                #expect(fast.0 == value && fast.2 == parameters, "\(String(decoding: input, as: UTF8.self))")
            }
        }
        #expect(checkedTypes > 200)
        #expect(checkedDispositions > 500)
    }

    /// The lenient decoder as it was before the table-driven fast path: one
    /// character at a time.
    static func referenceBase64(_ input: [UInt8]) -> (bytes: [UInt8], errors: Bool) {
        var out: [UInt8] = []
        var errors = false
        var acc: UInt32 = 0
        var held = 0
        var sawPad = false
        func flush() {
            switch held {
            case 2: out.append(UInt8(truncatingIfNeeded: acc >> 4))
            case 3:
                out.append(UInt8(truncatingIfNeeded: acc >> 10))
                out.append(UInt8(truncatingIfNeeded: acc >> 2))
            case 1: errors = true
            default: break
            }
            acc = 0
            held = 0
        }
        for c in input {
            let t = Base64.decodeTable[Int(c)]
            if t < 64 {
                if sawPad {
                    errors = true
                    sawPad = false
                }
                acc = acc << 6 | UInt32(t)
                held += 1
                if held == 4 {
                    out.append(UInt8(truncatingIfNeeded: acc >> 16))
                    out.append(UInt8(truncatingIfNeeded: acc >> 8))
                    out.append(UInt8(truncatingIfNeeded: acc))
                    acc = 0
                    held = 0
                }
            } else if t == Base64.skip {
                continue
            } else if t == Base64.pad {
                flush()
                sawPad = true
            } else {
                errors = true
            }
        }
        if held > 0 { flush() }
        return (out, errors)
    }

    @Test("Base64: the group fast path matches a character-at-a-time decoder")
    func base64() {
        var rng = RNG(state: 4)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let odd: [UInt8] = Array("= \r\n\t*-_.é".utf8)
        for round in 0..<5_000 {
            var input: [UInt8] = []
            let length = rng.below(round < 100 ? 8 : 300)
            for _ in 0..<length {
                input.append(rng.below(10) == 0 ? rng.pick(odd) : rng.pick(alphabet))
            }
            var errors = false
            let fast = input.withUnsafeBufferPointer { Base64.decode(buffer: $0, hadErrors: &errors) }
            let reference = Self.referenceBase64(input)
            #expect(fast == reference.bytes && errors == reference.errors, "\(String(decoding: input, as: UTF8.self))")
        }
        // Well-formed 76-character lines, CRLF and LF.
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let encoded = Base64.encode(data)
        #expect(Base64.decode(encoded) == data)
        #expect(Base64.decode(encoded.filter { $0 != 13 }) == data)
    }

    /// The quoted-printable decoder as it was before it wrote into the
    /// result's storage directly.
    static func referenceQP(_ input: [UInt8]) -> (bytes: [UInt8], errors: Bool) {
        let n = input.count
        var out: [UInt8] = []
        var errors = false
        var i = 0
        let hex = QuotedPrintable.hexValue
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
                errors = true
                out.append(c)
                i += 1
            } else if c == 32 || c == 9 {
                var j = i + 1
                while j < n && (input[j] == 32 || input[j] == 9) { j += 1 }
                if j == n || input[j] == 10 || input[j] == 13 {
                    i = j
                } else {
                    out.append(contentsOf: input[i..<j])
                    i = j
                }
            } else {
                out.append(c)
                i += 1
            }
        }
        return (out, errors)
    }

    @Test("Quoted-printable: the direct-write decoder matches the reference")
    func quotedPrintable() {
        var rng = RNG(state: 6)
        let pieces: [[UInt8]] = [
            Array("=3D".utf8), Array("=3d".utf8), Array("=\r\n".utf8), Array("=\n".utf8), Array("= \r\n".utf8),
            Array("=".utf8), Array("=4".utf8), Array("=ZZ".utf8), Array(" ".utf8), Array("\t".utf8),
            Array("  \r\n".utf8), Array("text".utf8), Array("\r\n".utf8), Array("\n".utf8), [0xC3, 0xA9], Array("=C3=A9".utf8),
        ]
        for _ in 0..<5_000 {
            var input: [UInt8] = []
            for _ in 0..<rng.below(24) { input += rng.pick(pieces) }
            var errors = false
            let fast = input.withUnsafeBufferPointer { QuotedPrintable.decode(buffer: $0, hadErrors: &errors) }
            let reference = Self.referenceQP(input)
            #expect(fast == reference.bytes && errors == reference.errors, "\(input)")
        }
    }

    @Test("Text: CRLF to LF in place and the ASCII copy match the plain conversion")
    func lineEnds() {
        var rng = RNG(state: 5)
        let pieces: [[UInt8]] = [[13, 10], [13], [10], [13, 13, 10], Array("abc".utf8), Array("line of text".utf8), [0xC3, 0xA9]]
        for _ in 0..<5_000 {
            var input: [UInt8] = []
            for _ in 0..<rng.below(20) { input += rng.pick(pieces) }
            let expected = HeaderText.crlfToLF(input)
            var inPlace = input
            HeaderText.crlfToLFInPlace(&inPlace)
            #expect(inPlace == expected)
            let ascii = input.withUnsafeBufferPointer { Charset.asciiWithLF($0) }
            if input.allSatisfy({ $0 < 0x80 }) {
                #expect(ascii == String(decoding: expected, as: UTF8.self))
            } else {
                #expect(ascii == nil)
            }
        }
    }

    @Test("Latin-1 with the eight-byte ASCII copy matches a byte-at-a-time conversion")
    func latin1() {
        var rng = RNG(state: 7)
        for _ in 0..<3_000 {
            var input: [UInt8] = []
            for _ in 0..<rng.below(64) {
                input.append(rng.below(4) == 0 ? UInt8(0x80 + rng.below(0x80)) : UInt8(32 + rng.below(95)))
            }
            var expected: [UInt8] = []
            for b in input {
                if b < 0x80 {
                    expected.append(b)
                } else if b < 0xA0 {
                    Charset.appendUTF8(UInt32(Charset.cp1252High[Int(b - 0x80)]), to: &expected)
                } else {
                    Charset.appendUTF8(UInt32(b), to: &expected)
                }
            }
            let fast = input.withUnsafeBufferPointer { Charset.latin1($0) }
            #expect(Array(fast.utf8) == expected)
        }
    }

    @Test("Transfer encodings are classified like their normalised names")
    func transferKinds() {
        let values = [
            "base64", " Base64 ; junk", "\"BASE64\"", "quoted-printable", "Quoted-Printable (x)", "7bit", "8BIT",
            "binary", "", " ", ";", "(c)", "x-uuencode", "X-UUE", "uuencode", "x-uu", "7-bit", "base64x", "\r\n base64",
        ]
        for v in values {
            let raw = Array(v.utf8)[...]
            let name = TransferEncoding.normalize(raw)
            let kind = TransferEncoding.kind(raw)
            if kind == .other {
                #expect(!TransferEncoding.isKnown(name), "\(v)")
            } else if kind == .uuencode {
                #expect(TransferEncoding.uuencodeNames.contains(name), "\(v)")
            } else {
                #expect(kind.name == name, "\(v)")
            }
        }
    }

    @Test("Cached iconv descriptors give the same text from many threads")
    func iconvCache() async {
        // "Привет" in KOI8-R and "日本" in Shift_JIS.
        let koi8: [UInt8] = [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]
        let sjis: [UInt8] = [0x93, 0xFA, 0x96, 0x7B]
        await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let a = Charset.decode(koi8, charset: "koi8-r")
                    let b = Charset.decode(sjis, charset: "shift_jis")
                    let c = Charset.decode([0x41], charset: "x-no-such-charset-\(i % 3)")
                    return a == "Привет" && b == "日本" && c == "A"
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
