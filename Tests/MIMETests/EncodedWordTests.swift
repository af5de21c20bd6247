import Testing

@testable import MIME

@Suite("RFC 2047 and RFC 2231")
struct EncodedWordTests {
    @Test(
        "Encoded words decode",
        arguments: [
            ("=?utf-8?q?caf=C3=A9?=", "café"),
            ("=?UTF-8?Q?hello_world?=", "hello world"),  // Q underscore is a space
            ("=?iso-8859-1?q?caf=E9?= au lait", "café au lait"),
            ("=?utf-8?b?Y2Fmw6k=?=", "café"),
            ("=?utf-8?B?Y2Fmw6k?=", "café"),  // missing padding
            ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),  // adjacent words joined
            ("=?utf-8?q?a?=\t  =?utf-8?q?b?=", "ab"),
            ("=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c"),  // text between is kept
            ("x =?utf-8?q?a?=  y", "x a  y"),
            ("=?utf-8*en?q?lang?=", "lang"),  // RFC 2231 language suffix
            ("=?utf-8?b?5pel?= =?utf-8?b?5pys?=", "日本"),
            ("=?utf-8?b?5pc=?= =?utf-8?b?pQ==?=", "日"),  // a character split across two words
            ("=?koi8-r?q?=F0=D2=C9=D7=C5=D4?= =?iso-8859-7?b?4eXp?=", "Приветαει"),  // whitespace between words goes, whatever the charsets
            ("=?windows-1251?b?7/Do4uXy?=", "привет"),
            ("=?utf-7?q?+ZeVnLIqe-?=", "日本語"),
            ("=?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=", "日本"),
            ("plain text", "plain text"),
            ("", ""),
        ])
    func decode(input: String, expected: String) {
        #expect(EncodedWords.decode(input) == expected)
    }

    @Test(
        "Malformed encoded words are kept as written",
        arguments: [
            "=?utf-8?x?abc?=",  // unknown encoding
            "=?utf-8?q?unterminated",
            "=??q?empty-charset?=",
            "=?utf-8?",
            "a =? b ?= c",
        ])
    func malformed(input: String) {
        #expect(EncodedWords.decode(input) == input)
    }

    @Test("Malformed words are reported as defects")
    func malformedDefect() {
        let m = MIMEMessage(bytes: TestSupport.crlf("Subject: =?utf-8?x?abc?= ok\n\n"))
        #expect(m.subject == "=?utf-8?x?abc?= ok")
        #expect(m.defects.contains(.malformedEncodedWord("=?utf-8?x?abc?=")))
    }

    @Test("Encoded words in folded subjects and display names")
    func inHeaders() {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                """
                Subject: =?utf-8?q?first_part?=
                 =?utf-8?q?_second?=
                From: =?iso-8859-1?q?Andr=E9?= Pirard <pirard@example.be>
                To: "=?utf-8?b?5pel5pys?=" <jp@example.jp>, =?utf-8?q?K=C3=B6ln?= <k@example.de>

                """))
        #expect(m.subject == "first part second")
        #expect(m.from == [MailAddress(address: "pirard@example.be", displayName: "André Pirard")])
        #expect(m.to.map(\.displayName) == ["日本", "Köln"])
        #expect(m.header.decoded("from") == "André Pirard <pirard@example.be>")
    }

    @Test("RFC 2231 parameters: continuations, out of order, charset")
    func rfc2231() {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                """
                Content-Type: application/x-stuff;
                 title*1*=%2A%2A%2Afun%2A%2A%2A%20;
                 title*0*=us-ascii'en'This%20is%20even%20more%20;
                 title*2="isn't it!"
                Content-Disposition: attachment;
                 filename*0*=utf-8''%E2%98%95%20;
                 filename*1=tables.gif

                x
                """))
        #expect(m.root.contentType[parameter: "title"] == "This is even more ***fun*** isn't it!")
        #expect(m.root.filename == "☕ tables.gif")
        let single = ContentType(parsing: "text/plain; name*=iso-8859-1'de'Gr%FC%DFe.txt; charset=\"utf-8\"")
        #expect(single?.parameters["name"] == "Grüße.txt")
        #expect(single?.charset == "utf-8")
    }

    @Test("Content-Type parameters: quoted, unquoted, comments, case")
    func contentTypeParameters() throws {
        let ct = try #require(
            ContentType(
                parsing:
                    "Text/PLAIN; Charset=\"ISO-8859-1\" ; format=flowed (comment); name=\"a \\\"quoted\\\" name.txt\""))
        #expect(ct.mimeType == "text/plain")
        #expect(ct.type == "text" && ct.subtype == "plain")
        #expect(ct[parameter: "CHARSET"] == "ISO-8859-1")
        #expect(ct.parameters["format"] == "flowed")
        #expect(ct.parameters["name"] == "a \"quoted\" name.txt")
        #expect(ContentType(parsing: "text") == nil)
        #expect(
            ContentType(parsing: "multipart/mixed; boundary=----=_NextPart_000")?.parameters["boundary"]
                == "----=_NextPart_000")
        // RFC 2047 inside a quoted parameter (common, non-standard).
        #expect(
            ContentType(parsing: "application/pdf; name=\"=?utf-8?q?R=C3=A9sum=C3=A9.pdf?=\"")?.parameters["name"]
                == "Résumé.pdf")
    }

    @Test("Invalid Content-Type falls back to text/plain, keeping parameters")
    func invalidContentType() {
        let m = MIMEMessage(bytes: TestSupport.crlf("Content-Type: application-x-gzip; name=\"doc.gz\"\n\nxx"))
        #expect(m.root.contentType.mimeType == "text/plain")
        #expect(m.root.filename == "doc.gz")
        #expect(m.defects.contains(.invalidContentType("application-x-gzip; name=\"doc.gz\"")))
    }

    @Test("Hostile header values stay linear")
    func hostileValues() {
        // Thousands of unterminated encoded words separated by spaces.
        let words = String(repeating: "=?utf-8?q?abc ", count: 20_000)
        #expect(EncodedWords.decode(words) == words)
        // Thousands of RFC 2231 parameters, sections and plain ones.
        var ct = "application/octet-stream"
        for i in 0..<5_000 { ct += "; p\(i)*=utf-8''%41; q*\(i)=b; r\(i)=c" }
        let parsed = ContentType(parsing: ct)
        #expect(parsed?.parameters.count == 10_001)
        #expect(parsed?.parameters["q"]?.count == 5_000)
        #expect(parsed?.parameters["p4999"] == "A")
    }
}
