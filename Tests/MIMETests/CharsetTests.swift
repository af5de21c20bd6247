import Testing

@testable import MIME

@Suite("Charsets")
struct CharsetTests {
    @Test("Hand-written fast paths")
    func fastPaths() {
        #expect(Charset.decode(Array("plain".utf8), charset: "US-ASCII") == "plain")
        #expect(Charset.decode([0x63, 0x61, 0x66, 0xC3, 0xA9], charset: "utf-8") == "café")
        #expect(Charset.decode([0x63, 0x61, 0x66, 0xE9], charset: "ISO-8859-1") == "café")
        #expect(Charset.decode([0x80, 0x93, 0x94], charset: "windows-1252") == "€“”")
        #expect(Charset.decode([0x63, 0xE9], charset: "\"latin1\"") == "cé")
    }

    @Test(
        "Charsets through iconv",
        arguments: [
            ([0xEF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2] as [UInt8], "windows-1251", "привет"),
            ([0xD0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], "KOI8-R", "привет"),
            ([0xE1, 0xE5, 0xE9, 0xE1], "iso-8859-7", "αει\u{3B1}"),
            ([0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42], "ISO-2022-JP", "日本"),
            ([0x93, 0xFA, 0x96, 0x7B], "Shift_JIS", "日本"),
            ([0xC4, 0xE3, 0xBA, 0xC3], "GB2312", "你好"),
            ([0xC4, 0xE3, 0xBA, 0xC3], "gbk", "你好"),
            ([0xA7, 0x41, 0xA6, 0x6E], "Big5", "你好"),
            ([0xC7, 0xD1, 0xB1, 0xDB], "euc-kr", "한글"),
            ([0xC7, 0xD1, 0xB1, 0xDB], "ks_c_5601-1987", "한글"),
            ([0xFF, 0xFE, 0x68, 0x00, 0x69, 0x00], "UTF-16", "hi"),
            ([0x00, 0x68, 0x00, 0x69], "UTF-16BE", "hi"),
            (Array("Hi Mom -+Jjo--!".utf8), "UTF-7", "Hi Mom -☺-!"),
            (Array("+ZeVnLIqe-".utf8), "utf-7", "日本語"),
        ])
    func iconvCharsets(bytes: [UInt8], charset: String, expected: String) {
        var defects: [MIMEDefect] = []
        let text = bytes.withUnsafeBufferPointer { Charset.decode(buffer: $0, charset: charset, defects: &defects) }
        #expect(text == expected)
        #expect(defects.isEmpty)
    }

    @Test("The built-in UTF-7 decoder")
    func utf7Fallback() {
        let bytes = Array("Hi Mom -+Jjo--! A+ImIDkQ. +-".utf8)
        #expect(bytes.withUnsafeBufferPointer { UTF7.decode($0) } == "Hi Mom -☺-! A≢Α. +")
    }

    @Test("Unknown and lying charsets fall back and are flagged")
    func fallback() {
        var defects: [MIMEDefect] = []
        let utf8 = [0x63, 0x61, 0x66, 0xC3, 0xA9] as [UInt8]
        var text = utf8.withUnsafeBufferPointer {
            Charset.decode(buffer: $0, charset: "x-no-such-charset", defects: &defects)
        }
        #expect(text == "café")
        #expect(defects == [.unknownCharset("x-no-such-charset")])

        defects = []
        let latin = [0x63, 0x61, 0x66, 0xE9] as [UInt8]
        text = latin.withUnsafeBufferPointer { Charset.decode(buffer: $0, charset: "utf-8", defects: &defects) }
        #expect(text == "café")
        #expect(defects == [.invalidCharsetData("utf-8")])

        defects = []
        text = utf8.withUnsafeBufferPointer { Charset.decode(buffer: $0, charset: "us-ascii", defects: &defects) }
        #expect(text == "café")
        #expect(defects == [.invalidCharsetData("us-ascii")])

        defects = []
        text = latin.withUnsafeBufferPointer { Charset.decode(buffer: $0, charset: "Shift_JIS", defects: &defects) }
        #expect(text.hasPrefix("caf"))

        // A charset label that is not even ASCII.
        defects = []
        text = utf8.withUnsafeBufferPointer { Charset.decode(buffer: $0, charset: "ü\u{0}", defects: &defects) }
        #expect(text == "café")
        #expect(!defects.isEmpty)
    }

    @Test("A text part's charset is converted; CRLF becomes LF")
    func partText() {
        let bytes =
            Array("Content-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8)
            + [0xD0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4, 13, 10]
        let m = MIMEMessage(bytes: bytes)
        #expect(m.textBody() == "привет\n")
        let unknown = MIMEMessage(bytes: Array("Content-Type: text/plain; charset=bogus-42\n\nhello".utf8))
        #expect(unknown.textBody() == "hello")
        #expect(unknown.defects.contains(.unknownCharset("bogus-42")))
    }

    @Test("UTF-16 text: line ends normalised after conversion")
    func utf16Text() {
        // "\u{0D0A}" (bytes 0D 0A in UTF-16BE) must survive; the real CRLF becomes LF.
        let body: [UInt8] = [0x0D, 0x0A, 0x00, 0x0D, 0x00, 0x0A, 0x00, 0x41]
        let bytes =
            Array("Content-Type: text/plain; charset=utf-16be\r\nContent-Transfer-Encoding: base64\r\n\r\n".utf8)
            + Base64.encode(body)
        #expect(MIMEMessage(bytes: bytes).textBody() == "\u{0D0A}\nA")
    }
}
