import Testing

@testable import MIME

/// Known messages with expected values computed by Python's `email` package
/// (see Fixtures/README.md), not by this parser.
@Suite("Fixtures")
struct FixtureTests {
    @Test("SHA-256 helper matches a known digest")
    func sha256Helper() {
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("koi8-r encoded word in an unquoted name parameter")
    func russian() {
        let m = MIMEMessage(bytes: TestSupport.fixture("russian.msg"))
        #expect(m.subject == "Greetings")
        #expect(m.root.contentType.mimeType == "text/plain")
        #expect(m.root.disposition == "attachment")
        // Python: email.header.decode_header → b'\xf3\xd0\xc9\xd3\xcf\xcb.doc' in koi8-r.
        #expect(m.root.filename == "Список.doc")
        let body = m.root.decodedBody()
        #expect(body.count == 17)
        #expect(SHA256.hex(of: body) == "5a5072f062fec6b77ac93a19f9298b842df5dca182204c4f9e38dfab23f63060")
        #expect(m.attachments.count == 1)
    }

    @Test("Nested message/rfc822 is parsed")
    func nestedMessage() throws {
        let m = MIMEMessage(bytes: TestSupport.fixture("mp-msg-rfc822.msg"))
        #expect(m.subject == "[Fwd: Re: 34Mbit/s Netz]")
        #expect(m.from == [MailAddress(address: "specht@kulturbox.de", displayName: "Juergen Specht")])
        #expect(m.to.map(\.address) == ["andreas.koenig@mind.de", "kun@pop.combox.de", "101762.2307@compuserve.com"])
        #expect(m.root.contentType.mimeType == "multipart/mixed")
        let children = m.root.children
        #expect(children.map(\.contentType.mimeType) == ["text/plain", "message/rfc822"])
        #expect(
            SHA256.hex(of: children[0].decodedBody()) == "594bef4d43275965fba1ef734ab80e4ace2f1c86ab96cf521a6673502b9299b2")
        #expect(children[1].disposition == "inline")
        let inner = try #require(children[1].embeddedMessage)
        #expect(inner.subject == "Re: 34Mbit/s Netz")
        #expect(inner.from.first?.address == "deuschle@mnh.telekom.de")
        let innerBody = inner.root.decodedBody()
        #expect(innerBody.count == 2209)
        #expect(SHA256.hex(of: innerBody) == "991ed9aa4229d8fc3d6c2a056823d06fd96ace20f82e67f8923451a16cd1d350")
        // The embedded message is one attachment; its own parts are not listed.
        #expect(m.attachments.map(\.contentType.mimeType) == ["message/rfc822"])
        #expect(m.textBody()?.count == 31)
    }

    @Test("mbox From_ line, CTE with trailing space, base64 JPEG")
    func twopart() throws {
        let m = MIMEMessage(bytes: TestSupport.fixture("twopart.msg"))
        #expect(m.header.fields.first?.name == "Return-Path")
        #expect(m.from.first?.address == "0647842285@uk.wowlg.com")
        #expect(m.messageID == "102.10200000000105")
        #expect(m.date?.secondsSince1970 == 1_105_513_692)  // Python: 2005-01-12 08:08:12 +0100
        let attachments = m.attachments
        #expect(attachments.count == 1)
        let jpeg = try #require(attachments.first)
        #expect(jpeg.contentType.mimeType == "image/jpeg")
        #expect(jpeg.filename == "/home1/eucyon/data/img_event/postcard/uk7200_110_6.jpg")
        #expect(jpeg.transferEncoding == "base64")
        // Python's email leaves this body undecoded ("base64 " with a space);
        // binascii.a2b_base64 of the payload gives this.
        let decoded = jpeg.decodedBody()
        #expect(decoded.count == 30631)
        #expect(SHA256.hex(of: decoded) == "ac1043f13033493cef42eae9f806e1726b2f689b068b16b334c34fea56e7d878")
        let text = try #require(m.textBody())
        #expect(text.hasPrefix("JOY LEE;Batiment Le Rabelais 22 Ave. des Nations ZI PARIS NORD II; VILLEPINTE 93"))
    }

    @Test("Header-less message is all body")
    func headerless() {
        let bytes = TestSupport.fixture("malformedHeader-noheader.msg")
        let m = MIMEMessage(bytes: bytes)
        #expect(m.header.isEmpty)
        #expect(m.root.contentType.mimeType == "text/plain")
        #expect(SHA256.hex(of: m.root.decodedBody()) == "823e7dfc212abca9dbfab40eb2e632815cd80565c26b8a46cf07dc00fb304830")
        #expect(m.textBody()?.hasPrefix("This is a simple message not having headers.") == true)
        #expect(m.defects.contains(.missingHeaderBlock))
    }

    @Test("RFC 2231 continued UTF-8 file name")
    func rfc2231LongName() throws {
        let m = MIMEMessage(bytes: TestSupport.fixture("japanese_attachment_long_name.eml"))
        #expect(m.subject == "まみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめも")
        let attachment = try #require(m.attachments.first)
        #expect(attachment.filename == "かきくけこかきくけこかきくけこかきくけこかきくけこ.txt")
        #expect(attachment.disposition == "attachment")
        #expect(
            SHA256.hex(of: attachment.decodedBody()) == "ce6a091472e812cedb6cbb9a95b003fc110e5b349f6b39a9aee3cab92b379888")
    }

    @Test("Multipart without its closing boundary")
    func missingClosingBoundary() {
        let m = MIMEMessage(bytes: TestSupport.fixture("multipart-no-end-boundary.msg"))
        #expect(m.subject == "Multipart message without closing boundary")
        #expect(m.root.children.map(\.contentType.mimeType) == ["text/plain", "text/html"])
        #expect(
            SHA256.hex(of: m.root.children[0].decodedBody())
                == "a165f6146ebfbe3b4d0060df3ee53ff55dd5ed1128e7faed5a605fe4eba4a8fc")
        // The last part runs to the end of the input.
        #expect(
            m.root.children[1].text()?.hasPrefix(
                "<div dir=\"ltr\">Multipart message without closing boundary<br></div>") == true)
        #expect(m.defects.contains { if case .missingClosingBoundary = $0 { return true } else { return false } })
    }

    @Test("ISO-2022-JP encoded words, split across two words")
    func japanese() {
        let m = MIMEMessage(bytes: TestSupport.fixture("japanese.txt"))
        #expect(m.subject == "日本語メールテスト (testing Japanese emails)")
        #expect(m.from == [MailAddress(address: "x@x.com", displayName: "Atsushi Eno")])
        #expect(m.messageID == "55AE6D15.4010805@veritas-vos-liberabit.com")
        #expect(
            m.date == MIMEDateTime(year: 2015, month: 7, day: 22, hour: 1, minute: 2, second: 29, offsetMinutes: 540))
        let body = m.root.decodedBody()
        #expect(body.count == 111)
        #expect(SHA256.hex(of: body) == "83596c5f4a3b9104b4e2639cd103571f219911a29ff1a0b2860d5564b461873c")
    }
}
