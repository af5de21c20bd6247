import Testing

@testable import MIME

@Suite("Header parsing")
struct HeaderParsingTests {
    @Test("Folded fields are unfolded; CRLF, LF and mixed line ends")
    func folding() {
        for ending in ["\r\n", "\n"] {
            let text =
                "Subject: a long\(ending) subject\(ending)\tcontinued\(ending)X-Empty:\(ending)To: a@b.c\(ending)\(ending)body"
            let m = MIMEMessage(bytes: Array(text.utf8))
            #expect(m.subject == "a long subject\tcontinued")
            #expect(m.header["x-empty"] == "")
            #expect(m.header["TO"] == "a@b.c")
            #expect(m.root.decodedBody() == Array("body".utf8))
        }
        let mixed = MIMEMessage(bytes: Array("Subject: one\r\n two\nFrom: x@y.z\r\n\nbody\r\n".utf8))
        #expect(mixed.subject == "one two")
        #expect(mixed.from.first?.address == "x@y.z")
        #expect(mixed.root.rawBody == Array("body\r\n".utf8)[...])
    }

    @Test("Field order, repeated fields and raw values are kept")
    func fieldsInOrder() {
        let m = MIMEMessage(bytes: TestSupport.crlf("Received: one\nreceived: two\n  folded\nSubject: s\n\n"))
        #expect(m.header.fields.map(\.name) == ["Received", "received", "Subject"])
        #expect(m.header.values("RECEIVED") == ["one", "two  folded"])
        #expect(m.header.fields[1].rawValue == Array(" two\r\n  folded".utf8)[...])
        #expect(m.header.contains("subject"))
        #expect(!m.header.contains("cc"))
        #expect(m.header["cc"] == nil)
    }

    @Test("mbox From_ line at the top is skipped")
    func mboxFromLine() {
        let m = MIMEMessage(
            bytes: TestSupport.lf("From someone@example.com Mon Jan  1 00:00:00 2024\nSubject: hi\n\nbody\n"))
        #expect(m.header.fields.map(\.name) == ["Subject"])
        #expect(m.subject == "hi")
        #expect(m.bytes.count == 68)
    }

    @Test("A UTF-8 byte order mark before the header is skipped")
    func byteOrderMark() {
        let m = MIMEMessage(bytes: [0xEF, 0xBB, 0xBF] + TestSupport.lf("From: <a@example.com>\nSubject: bom\n\nbody"))
        #expect(m.from.first?.address == "a@example.com")
        #expect(m.header.fields.first?.name == "From")
        #expect(m.bytes.count == 43)  // the input, BOM included
    }

    @Test("Headers without a body")
    func headersOnly() {
        let m = MIMEMessage(bytes: TestSupport.crlf("Subject: only headers\nFrom: a@b.c"))
        #expect(m.subject == "only headers")
        #expect(m.root.rawBody.isEmpty)
        #expect(m.textBody() == "")
    }

    @Test("A body without headers")
    func headerless() {
        let m = MIMEMessage(bytes: TestSupport.lf("Just text, no header.\nSecond line: with a colon\n"))
        #expect(m.header.isEmpty)
        #expect(m.textBody() == "Just text, no header.\nSecond line: with a colon\n")
        #expect(m.defects.contains(.missingHeaderBlock))
    }

    @Test("Leading whitespace before any field is tolerated")
    func leadingContinuation() {
        let a = MIMEMessage(bytes: TestSupport.lf(" Subject: indented\nFrom: a@b.c\n\nbody"))
        #expect(a.subject == "indented")
        #expect(a.from.first?.address == "a@b.c")
        #expect(a.defects.contains(.continuationWithoutField))
        let b = MIMEMessage(bytes: TestSupport.lf("   \nSubject: after blank-ish\n\nbody"))
        #expect(b.subject == "after blank-ish")
    }

    @Test("A non-field line ends the header block")
    func missingSeparator() {
        let m = MIMEMessage(bytes: TestSupport.lf("Subject: s\nthis is body\nmore\n"))
        #expect(m.subject == "s")
        #expect(m.root.rawBody == Array("this is body\nmore\n".utf8)[...])
        #expect(m.defects.contains(.missingHeaderBodySeparator))
    }

    @Test("Obsolete whitespace before the colon")
    func obsoleteColon() {
        let m = MIMEMessage(bytes: TestSupport.crlf("Subject   : spaced\nFrom\t: a@b.c\n\n"))
        #expect(m.subject == "spaced")
        #expect(m.header.fields.map(\.name) == ["Subject", "From"])
    }

    @Test("Raw 8-bit header values: UTF-8, else ISO-8859-1")
    func eightBitHeaders() {
        var bytes =
            Array("Subject: caf".utf8) + [0xC3, 0xA9] + Array("\r\nX-Latin: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8)
        var m = MIMEMessage(bytes: bytes)
        #expect(m.subject == "café")
        #expect(m.header["x-latin"] == "café")
        #expect(m.defects.contains(.nonUTF8Header(field: "X-Latin")))
        bytes = Array("From: J".utf8) + [0xF6] + Array("rg <j@x.de>\n\n".utf8)
        m = MIMEMessage(bytes: bytes)
        #expect(m.from == [MailAddress(address: "j@x.de", displayName: "Jörg")])
    }

    @Test("Raw ISO-2022-JP in a header is decoded")
    func rawISO2022JP() {
        let bytes =
            Array("Subject: ".utf8) + [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42]
            + Array(" test\r\n\r\n".utf8)
        #expect(MIMEMessage(bytes: bytes).subject == "日本 test")
        // An escape that is not ISO-2022-JP stays as it is.
        let other = Array("Subject: a".utf8) + [0x1B] + Array("b\r\n\r\n".utf8)
        #expect(MIMEMessage(bytes: other).subject == "a\u{1B}b")
    }

    @Test("Long lines are accepted")
    func longLines() {
        let long = String(repeating: "x", count: 5000)
        let m = MIMEMessage(bytes: Array("Subject: \(long)\n\n\(long)\n".utf8))
        #expect(m.subject?.count == 5000)
        #expect(m.root.rawBody.count == 5001)
    }

    @Test("Header block size limit drops later fields but finds the body")
    func headerLimit() {
        var text = "Subject: first\n"
        for i in 0..<100 { text += "X-Filler-\(i): " + String(repeating: "y", count: 50) + "\n" }
        text += "\nthe body"
        let m = MIMEMessage(bytes: Array(text.utf8), limits: MIMELimits(maxHeaderBytes: 1000))
        #expect(m.subject == "first")
        #expect(m.header.count < 20)
        #expect(m.root.rawBody == Array("the body".utf8)[...])
        #expect(m.defects.contains(.headerBlockTooLarge))
    }

    @Test("Message-ID, In-Reply-To and References lists")
    func messageIDs() {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                """
                Message-ID: <abc@example.com>
                In-Reply-To: <one@x> (message from Someone)
                References: <one@x>
                 <two@y>  <three@z>
                Content-ID: <part1@host>

                """))
        #expect(m.messageID == "abc@example.com")
        #expect(m.inReplyTo == ["one@x"])
        #expect(m.references == ["one@x", "two@y", "three@z"])
        #expect(m.root.contentID == "part1@host")
        let bare = MIMEMessage(bytes: TestSupport.lf("Message-ID: no-brackets@host\n\n"))
        #expect(bare.messageID == "no-brackets@host")
    }

    @Test("Empty input")
    func emptyInput() {
        let m = MIMEMessage(bytes: [])
        #expect(m.header.isEmpty)
        #expect(m.root.children.isEmpty)
        #expect(m.subject == nil)
        #expect(m.textBody() == "")
    }
}
