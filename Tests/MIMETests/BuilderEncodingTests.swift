import Testing

@testable import MIME

/// multipart/alternative and the choice of transfer encodings in the builder.
@Suite("Builder: alternatives and encodings")
struct BuilderEncodingTests {
    @Test("Text + HTML become multipart/alternative, inside mixed with attachments")
    func alternative() throws {
        var b = BuilderTests.base()
        b.htmlBody = "<p>Dear colleagues,</p>\n<p>please find our <b>reply</b> attached.</p>\n"
        b.boundary = "top-boundary"
        var bytes = try b.build()
        var m = MIMEMessage(bytes: bytes)
        #expect(m.root.contentType.mimeType == "multipart/alternative")
        #expect(m.root.contentType[parameter: "boundary"] == "top-boundary")
        #expect(m.root.children.map(\.contentType.mimeType) == ["text/plain", "text/html"])
        #expect(m.textBody() == "Dear colleagues,\n\nplease find our reply attached.\n")
        #expect(m.root.children[1].text() == b.htmlBody)

        b.attach(data: [0, 1, 2, 255], filename: "x.bin", contentType: "application/octet-stream")
        bytes = try b.build()
        #expect(BuilderTests.hasOnlyCRLF(bytes))
        m = MIMEMessage(bytes: bytes)
        #expect(m.root.contentType.mimeType == "multipart/mixed")
        #expect(m.root.contentType[parameter: "boundary"] == "top-boundary")
        let alternative = m.root.children[0]
        #expect(alternative.contentType.mimeType == "multipart/alternative")
        let inner = try #require(alternative.contentType[parameter: "boundary"])
        #expect(!inner.contains("top-boundary") && !"top-boundary".contains(inner))
        #expect(alternative.children.map(\.contentType.mimeType) == ["text/plain", "text/html"])
        #expect(m.attachments.map(\.filename) == ["x.bin"])
        #expect(m.textBody() == "Dear colleagues,\n\nplease find our reply attached.\n")
        #expect(m.defects.isEmpty)
    }

    @Test(
        "Attachment encodings are chosen by content",
        arguments: [
            (Array("a,b\r\n1,2\r\n".utf8), "7bit"),
            ([], "7bit"),
            (Array("a,b\n1,2\n".utf8), "base64"),  // bare LF: only base64 keeps the bytes exactly
            (Array("caf\u{E9} au lait and other drinks of the morning\r\n".utf8), "quoted-printable"),
            (Array(repeating: 0x41, count: 1200), "quoted-printable"),  // a line over 998 octets
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "base64"),
            (Array("Привет, мир! Это текст.\r\n".utf8), "base64"),
        ] as [([UInt8], String)])
    func attachmentEncoding(data: [UInt8], expected: String) throws {
        var b = BuilderTests.base()
        b.attach(data: data, filename: "f", contentType: "application/octet-stream")
        let m = MIMEMessage(bytes: try b.build())
        let part = try #require(m.attachments.first)
        #expect(part.transferEncoding == expected)
        #expect(part.decodedBody() == data)
    }

    @Test(
        "Text body encodings are chosen by content",
        arguments: [
            ("Plain ASCII.\n", "7bit"),
            ("Grüße aus Genf, wir schicken Ihnen die Antwort.\n", "quoted-printable"),
            (String(repeating: "x", count: 100), "quoted-printable"),
            ("Привет, мир! Это длинный текст на русском языке.\n", "base64"),
            ("日本語のテキストです。\n", "base64"),
        ])
    func textEncoding(text: String, expected: String) {
        var b = BuilderTests.base()
        b.textBody = text
        let bytes = (try? b.build()) ?? []
        let m = MIMEMessage(bytes: bytes)
        #expect(m.root.transferEncoding == expected)
        #expect(m.textBody() == text)
    }

    @Test("An embedded message with a line over 998 octets is sent base64 and still parsed")
    func longLineMessage() throws {
        let raw = Array(("Subject: wide\r\n\r\n" + String(repeating: "w", count: 2000) + "\r\n").utf8)
        var b = BuilderTests.base()
        b.attachMessage(raw)
        let bytes = try b.build()
        let longest = bytes.split(separator: 10).map(\.count).max() ?? 0
        #expect(longest <= 999)  // 998 + CR
        let m = MIMEMessage(bytes: bytes)
        let part = try #require(m.attachments.first)
        #expect(part.transferEncoding == "base64")
        #expect(part.embeddedMessage?.subject == "wide")
        #expect(part.embeddedMessage?.bytes == raw)
    }

    @Test("Generated Message-ID and Date when not given")
    func generatedIDAndDate() throws {
        var b = BuilderTests.base()
        b.messageID = nil
        b.date = nil
        let m = MIMEMessage(bytes: try b.build())
        let id = try #require(m.messageID)
        #expect(id.hasSuffix("@example.org"))
        #expect(id.count > 20)
        #expect(m.date != nil)
        var b2 = BuilderTests.base()
        b2.messageID = nil
        #expect(MIMEMessage(bytes: try b2.build()).messageID != id)
    }

    @Test("CR, LF and NUL are refused in every caller-supplied header input")
    func injection() {
        for bad in ["a\rb", "a\nb", "a\u{0}b", "x\r\nBcc: victim@example.com"] {
            var cases: [MessageBuilder] = []
            var b = BuilderTests.base()
            b.subject = bad
            cases.append(b)
            b = BuilderTests.base()
            b.from = MailAddress(address: "a@example.org", displayName: bad)
            cases.append(b)
            b = BuilderTests.base()
            b.to = [MailAddress(address: "x" + bad + "@example.org")]
            cases.append(b)
            b = BuilderTests.base()
            b.replyTo = [MailAddress(address: "r@example.org", displayName: bad)]
            cases.append(b)
            b = BuilderTests.base()
            b.addHeader("X-Test", bad)
            cases.append(b)
            b = BuilderTests.base()
            b.addHeader("X-" + bad, "v")
            cases.append(b)
            b = BuilderTests.base()
            b.attach(data: [1], filename: bad, contentType: "application/pdf")
            cases.append(b)
            b = BuilderTests.base()
            b.attach(data: [1], filename: "f", contentType: "application/pdf; x=" + bad)
            cases.append(b)
            b = BuilderTests.base()
            b.messageID = bad + "@example.org"
            cases.append(b)
            b = BuilderTests.base()
            b.references = [bad + "@example.org"]
            cases.append(b)
            b = BuilderTests.base()
            b.date = "Mon, 1 Jan 2024 00:00:00 +0000" + bad
            cases.append(b)
            for (n, c) in cases.enumerated() {
                #expect(throws: MIMEError.self, "case \(n) with \(bad.debugDescription)") { try c.build() }
            }
        }
    }
}
