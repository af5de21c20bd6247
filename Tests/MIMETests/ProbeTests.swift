import Testing

@testable import MIME

/// The crafted probes of `shared/reference/mime.md` §5 (`shared/bench/probe`),
/// which every anchor parser fails somewhere. format=flowed and uuencode are
/// out of scope for now (docs/mime.md).
@Suite("Reference probes")
struct ProbeTests {
    static func msg(_ headers: String, _ body: String = "hello\n", crlf: Bool = true) -> [UInt8] {
        let text = headers + "\n\n" + body
        return crlf ? TestSupport.crlf(text) : TestSupport.lf(text)
    }

    static func texts(_ m: MIMEMessage) -> [String] {
        m.allParts.compactMap { $0.text() }
    }

    @Test("RFC 2047: iso-2022-jp B + koi8-r Q + iso-8859-7 B in one Subject")
    func mixedCharsets() {
        let m = MIMEMessage(
            bytes: ProbeTests.msg(
                "From: a@example.com\nSubject: =?iso-2022-jp?B?GyRCRnxLXDhsGyhCIA==?= =?koi8-r?Q?=F0=D2=C9=D7=C5=D4_?= =?iso-8859-7?B?2ezd4+E=?="
            ))
        #expect(m.subject == "日本語 Привет Ωμέγα")
    }

    @Test("RFC 2047: big5, euc-kr, shift_jis, gb2312, windows-1251 words")
    func cjk() {
        let m = MIMEMessage(
            bytes: ProbeTests.msg(
                "From: a@example.com\nSubject: =?big5?B?pKSk5Q==?= x =?euc-kr?B?x9Gxub7u?= x =?shift_jis?B?g2WDWINn?= x =?gb2312?B?vPLM5Q==?= x =?windows-1251?B?0uXx8g==?="
            ))
        #expect(m.subject == "中文 x 한국어 x テスト x 简体 x Тест")
    }

    @Test("RFC 2047: UTF-7 word; encoded display name")
    func utf7AndDisplayName() {
        #expect(
            MIMEMessage(bytes: ProbeTests.msg("From: a@example.com\nSubject: =?utf-7?Q?Hi_Mom_-+Jjo--!?=")).subject
                == "Hi Mom -☺-!")
        let m = MIMEMessage(
            bytes: ProbeTests.msg("From: =?utf-8?Q?Jos=C3=A9_Garc=C3=ADa?= <jose@example.com>\nSubject: x"))
        #expect(m.from.first?.displayName == "José García")
    }

    @Test("RFC 2231: filename continuations out of order")
    func rfc2231OutOfOrder() {
        let m = MIMEMessage(
            bytes: ProbeTests.msg(
                "From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename*1=\"tables.gif\";\n filename*0*=utf-8''%E2%98%95%20\nContent-Transfer-Encoding: base64",
                "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\n"))
        #expect(m.attachments.first?.filename == "☕ tables.gif")
        #expect(m.attachments.first?.decodedBody().count == 42)
    }

    @Test("RFC 6532 raw UTF-8 and legacy Latin-1 subjects")
    func rawSubjects() {
        let utf8 = MIMEMessage(bytes: ProbeTests.msg("From: \"Jörg Müller\" <joerg@example.com>\nSubject: Grüße 👋"))
        #expect(utf8.subject == "Grüße 👋")
        #expect(utf8.from.first?.displayName == "Jörg Müller")
        let latin1 = MIMEMessage(
            bytes: Array("From: a@example.com\r\nSubject: caf".utf8) + [0xE9] + Array("\r\n\r\nhello\r\n".utf8))
        #expect(latin1.subject == "café")
    }

    @Test("obs-date, comments in addresses, obs-route")
    func obsolete() {
        let d = MIMEMessage(bytes: ProbeTests.msg("From: a@example.com\nSubject: x\nDate: Fri, 21 Nov 97 09:55:06 GMT"))
        #expect(
            d.date == MIMEDateTime(year: 1997, month: 11, day: 21, hour: 9, minute: 55, second: 6, offsetMinutes: 0))
        let c = MIMEMessage(
            bytes: ProbeTests.msg("From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\nSubject: x"))
        #expect(c.from.first?.address == "pete@silly.test")
        let r = MIMEMessage(bytes: ProbeTests.msg("From: Joe <@relay.example:joe@example.com>\nSubject: x"))
        #expect(r.from.first?.address == "joe@example.com")
    }

    @Test("Broken MIME: no closing boundary, junk in base64, odd CTE, unknown charset")
    func brokenMIME() {
        let open = MIMEMessage(
            bytes: ProbeTests.msg(
                "From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"",
                "--b1\nContent-Type: text/plain\n\nfirst part\n--b1\nContent-Type: text/plain\n\nsecond part\n"))
        #expect(ProbeTests.texts(open).filter { $0.contains("first part") || $0.contains("second part") }.count == 2)
        let junk = MIMEMessage(
            bytes: ProbeTests.msg(
                "From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: base64",
                "SGVsbG8sIHdvcmxk ISBUaGlz*IGlzIGJhc2U2NC4K\n", crlf: false))
        #expect(junk.textBody()?.contains("Hello, world! This is base64") == true)
        let cte = MIMEMessage(
            bytes: ProbeTests.msg(
                "From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding:  Base64 ; junk",
                "SGVsbG8sIHdvcmxkISBUaGlzIGlzIGJhc2U2NC4K\n"))
        #expect(cte.textBody()?.contains("Hello, world! This is base64") == true)
        let unknown = MIMEMessage(
            bytes: Array(
                "From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf"
                    .utf8) + [0xE9] + Array(" au lait\r\n".utf8))
        #expect(unknown.textBody() == "café au lait\n")
    }

    @Test("Nested message/rfc822 with an encoded Subject; header-less input")
    func nestedAndHeaderless() {
        let m = MIMEMessage(
            bytes: ProbeTests.msg(
                "From: a@example.com\nSubject: outer\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"o\"",
                "--o\nContent-Type: text/plain\n\nsee attached\n--o\nContent-Type: message/rfc822\n\nFrom: b@example.com\nSubject: =?utf-8?B?w5xuw69jw7Zkw6k=?=\n\ninner body\n--o--\n"
            ))
        #expect(m.root.children[1].embeddedMessage?.subject == "Ünïcödé")
        let headerless = MIMEMessage(bytes: Array("This message has no header block at all.\r\nSecond line.\r\n".utf8))
        #expect(headerless.textBody() == "This message has no header block at all.\nSecond line.\n")
    }
}
