import Foundation
import Testing

@testable import MIME

@Suite("Message builder")
struct BuilderTests {
    static func base() -> MessageBuilder {
        var b = MessageBuilder()
        b.from = MailAddress(address: "liaison@example.org", displayName: "Liaison Manager")
        b.to = [
            MailAddress(address: "chair@example.net", displayName: "WG Chair"),
            MailAddress(address: "secretary@example.net"),
        ]
        b.cc = [MailAddress(address: "cc@example.com")]
        b.replyTo = [MailAddress(address: "reply@example.org")]
        b.subject = "Liaison statement: reply to LS-42"
        b.date = MIMEDate.format(secondsSince1970: 1_700_000_000, offsetMinutes: 60)
        b.messageID = "ls-42.reply@example.org"
        b.inReplyTo = ["ls-42@example.net"]
        b.references = ["ls-40@example.net", "ls-42@example.net"]
        b.textBody = "Dear colleagues,\n\nplease find our reply attached.\n"
        return b
    }

    /// Every line break is CRLF: no CR without LF and no LF without CR.
    static func hasOnlyCRLF(_ bytes: [UInt8]) -> Bool {
        for (i, b) in bytes.enumerated() {
            if b == 13 && (i + 1 >= bytes.count || bytes[i + 1] != 10) { return false }
            if b == 10 && (i == 0 || bytes[i - 1] != 13) { return false }
        }
        return true
    }

    /// The header block's lines (up to the first empty line).
    static func headerLines(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let header = text.components(separatedBy: "\r\n\r\n").first ?? ""
        return header.components(separatedBy: "\r\n")
    }

    /// Every `=?…?=` encoded word in the header block.
    static func encodedWords(_ bytes: [UInt8]) -> [String] {
        let header = headerLines(bytes).joined(separator: "\n")
        var words: [String] = []
        var rest = Substring(header)
        while let start = rest.range(of: "=?") {
            let after = rest[start.upperBound...]
            // charset ? encoding ? text ?=
            guard let q1 = after.firstIndex(of: "?"),
                let q2 = after[after.index(after: q1)...].firstIndex(of: "?"),
                let end = after[after.index(after: q2)...].range(of: "?=")
            else { break }
            words.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return words
    }

    @Test("Random Unicode subjects and names round-trip", arguments: 0..<60)
    func randomRoundTrip(seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed) &* 7919)
        let pool: [String] = [
            "a", "Z", "0", " ", " ", "\t", ".", ",", ";", ":", "\"", "\\", "(", ")", "<", ">", "@", "=", "?", "_",
            "=?", "?=", "é", "ß", "Ω", "ж", "日", "本", "語", "한", "👍", "👩‍👩‍👧", "e\u{301}", "\u{200B}", "\u{1}", "\u{7F}",
            "\u{85}", "\u{2028}", "~", "%", "'",
        ]
        var text = ""
        let length = Int(rng.next() % 120)
        for _ in 0..<length { text += pool[Int(rng.next() % UInt64(pool.count))] }
        var b = BuilderTests.base()
        b.subject = text
        b.to = [MailAddress(address: "x@example.com", displayName: text)]
        b.addHeader("X-Liaison-Reference", text)
        let bytes = try b.build()
        #expect(BuilderTests.hasOnlyCRLF(bytes))
        #expect(!bytes.contains { $0 >= 0x80 })
        #expect(BuilderTests.headerLines(bytes).allSatisfy { $0.utf8.count <= 78 })
        #expect(BuilderTests.encodedWords(bytes).allSatisfy { $0.utf8.count <= 75 })
        let m = MIMEMessage(bytes: bytes)
        let trimmed = String(
            text.unicodeScalars.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
                .map(Character.init))
        #expect(m.subject == trimmed)
        #expect(m.header.decoded("x-liaison-reference") == trimmed)
        #expect(m.to.first?.address == "x@example.com")
        func collapsed(_ s: String) -> String {
            s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
        let name = collapsed(text)
        #expect(m.to.first?.displayName.map(collapsed) == (name.isEmpty ? nil : name))
        #expect(m.defects.isEmpty)
    }

    @Test("A plain message round-trips")
    func roundTrip() throws {
        let bytes = try BuilderTests.base().build()
        #expect(BuilderTests.hasOnlyCRLF(bytes))
        let m = MIMEMessage(bytes: bytes)
        #expect(m.from == [MailAddress(address: "liaison@example.org", displayName: "Liaison Manager")])
        #expect(
            m.to == [
                MailAddress(address: "chair@example.net", displayName: "WG Chair"),
                MailAddress(address: "secretary@example.net"),
            ])
        #expect(m.cc.map(\.address) == ["cc@example.com"])
        #expect(m.replyTo.map(\.address) == ["reply@example.org"])
        #expect(m.subject == "Liaison statement: reply to LS-42")
        #expect(m.messageID == "ls-42.reply@example.org")
        #expect(m.inReplyTo == ["ls-42@example.net"])
        #expect(m.references == ["ls-40@example.net", "ls-42@example.net"])
        #expect(m.date?.secondsSince1970 == 1_700_000_000)
        #expect(m.date?.offsetMinutes == 60)
        #expect(m.header["MIME-Version"] == "1.0")
        #expect(m.root.contentType.mimeType == "text/plain")
        #expect(m.root.contentType.charset == "utf-8")
        #expect(m.root.transferEncoding == "7bit")
        #expect(m.textBody() == "Dear colleagues,\n\nplease find our reply attached.\n")
        #expect(m.defects.isEmpty)
    }

    @Test("Extra headers keep their order; non-ASCII is encoded")
    func extraHeaders() throws {
        var b = BuilderTests.base()
        b.addHeader("Auto-Submitted", "auto-generated")
        b.addHeader("X-Liaison-Reference", "LS-2024-001 — Genève")
        b.addHeader("X-Liaison-Reference", "second")
        let bytes = try b.build()
        let m = MIMEMessage(bytes: bytes)
        #expect(m.header["auto-submitted"] == "auto-generated")
        #expect(m.header.values("x-liaison-reference").count == 2)
        #expect(m.header.decoded("X-Liaison-Reference") == "LS-2024-001 — Genève")
        let names = m.header.fields.map(\.name)
        #expect(names.firstIndex(of: "Auto-Submitted")! < names.firstIndex(of: "X-Liaison-Reference")!)
        #expect(!bytes.contains { $0 >= 0x80 })
    }

    @Test(
        "Non-ASCII subject and display names are encoded and decode back",
        arguments: [
            "Réunion du groupe de travail",
            "日本語のリエゾン文書についてのお知らせ、長い件名のテストです。もう少し長くします。",
            "Mixed ascii and ünïcödé words with some more ascii afterwards to force folding of the line",
            "emoji 👩‍👩‍👧‍👦 family and 🇨🇭 flag",
            "  leading and trailing spaces  ",
            "tabs\tand  double  spaces",
            "=?utf-8?q?looks_encoded?=",
            "a =?iso-8859-1?b?Zm9v?= b",
            "?= =? odd",
            "",
            String(repeating: "x", count: 1200),
            String(repeating: "é", count: 300),
        ])
    func encodedHeaders(subject: String) throws {
        var b = BuilderTests.base()
        b.subject = subject
        b.from = MailAddress(address: "author@example.org", displayName: subject.isEmpty ? nil : subject)
        let bytes = try b.build()
        #expect(!bytes.contains { $0 >= 0x80 })
        #expect(BuilderTests.hasOnlyCRLF(bytes))
        #expect(BuilderTests.encodedWords(bytes).allSatisfy { $0.utf8.count <= 75 })
        for line in BuilderTests.headerLines(bytes) {
            // Folding keeps lines within 78 columns and never splits an encoded word.
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
        let m = MIMEMessage(bytes: bytes)
        let trimmed = subject.trimmingCharacters(in: .whitespaces)
        #expect(m.subject == trimmed)
        if !subject.isEmpty {
            let collapsed = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            #expect(
                m.from.first?.displayName.map {
                    $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                } == collapsed)
            #expect(m.from.first?.address == "author@example.org")
        }
        #expect(m.defects.isEmpty)
    }

    @Test("Display names are quoted when they need it")
    func quotedNames() throws {
        var b = BuilderTests.base()
        b.to = [
            MailAddress(address: "a@example.com", displayName: "Doe, John (WG \"2\")"),
            MailAddress(address: "b@example.com", displayName: "J. R. \\ Backslash"),
        ]
        let bytes = try b.build()
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"Doe, John (WG \\\"2\\\")\" <a@example.com>"))
        let m = MIMEMessage(bytes: bytes)
        #expect(m.to.map(\.displayName) == ["Doe, John (WG \"2\")", "J. R. \\ Backslash"])
    }

    @Test("Long address lists and references fold at 78 columns")
    func folding() throws {
        var b = BuilderTests.base()
        b.to = (0..<40).map {
            MailAddress(address: "member\($0)@working-group.example.org", displayName: "Member Number \($0)")
        }
        b.references = (0..<30).map { "reference-\($0).1234567890@liaisons.example.net" }
        let bytes = try b.build()
        let lines = BuilderTests.headerLines(bytes)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.count > 40)
        let m = MIMEMessage(bytes: bytes)
        #expect(m.to.count == 40)
        #expect(m.to[39] == MailAddress(address: "member39@working-group.example.org", displayName: "Member Number 39"))
        #expect(m.references.count == 30)
    }

    @Test("Attachments round-trip byte for byte")
    func attachments() throws {
        var b = BuilderTests.base()
        let binary = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        b.attach(data: binary, filename: "statement.pdf", contentType: "application/pdf")
        b.attach(
            data: Array("a,b\n1,2\n".utf8),
            filename: "Übersicht für das Gremium – sehr langer Dateiname mit Umlauten äöü.csv",
            contentType: "text/csv; charset=utf-8")
        b.attach(data: [], filename: "=?utf-8?q?not-encoded?=.txt", contentType: "text/plain")
        b.textBody = "Grüße,\nsiehe Anhang.\n" + String(repeating: "long line ", count: 20)
        let bytes = try b.build()
        #expect(BuilderTests.hasOnlyCRLF(bytes))
        #expect(!bytes.contains { $0 >= 0x80 })
        #expect(BuilderTests.headerLines(bytes).allSatisfy { $0.utf8.count <= 78 })
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })

        let m = MIMEMessage(bytes: bytes)
        #expect(m.root.contentType.mimeType == "multipart/mixed")
        #expect(m.textBody() == "Grüße,\nsiehe Anhang.\n" + String(repeating: "long line ", count: 20))
        #expect(m.root.children[0].transferEncoding == "quoted-printable")
        let files = m.attachments
        #expect(files.count == 3)
        #expect(files[0].filename == "statement.pdf")
        #expect(files[0].contentType.mimeType == "application/pdf")
        #expect(files[0].decodedBody() == binary)
        #expect(files[1].filename == "Übersicht für das Gremium – sehr langer Dateiname mit Umlauten äöü.csv")
        #expect(files[1].contentType.charset == "utf-8")
        #expect(files[1].decodedBody() == Array("a,b\n1,2\n".utf8))
        #expect(files[2].filename == "=?utf-8?q?not-encoded?=.txt")
        #expect(files[2].decodedBody().isEmpty)
        // base64 lines are 76 characters.
        #expect(files[0].rawBody.split(separator: 10).dropLast().allSatisfy { $0.count == 77 })
        #expect(m.defects.isEmpty)
    }

    @Test("An embedded message is CRLF-normalised and its attachment decodes identically")
    func embeddedMessage() throws {
        let payload = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let encoded = String(decoding: Base64.encode(payload), as: UTF8.self).replacingOccurrences(
            of: "\r\n", with: "\n")
        let inner = """
            From: Original Sender <orig@example.net>
            Subject: =?utf-8?q?Original_statement_=E2=80=94_LS-42?=
            Content-Type: multipart/mixed; boundary="inner-b"

            --inner-b
            Content-Type: text/plain

            The original text.\r
            With a CRLF line and a lone CR\rhere.
            --inner-b
            Content-Type: application/octet-stream; name="orig.bin"
            Content-Transfer-Encoding: base64

            \(encoded)
            --inner-b--

            """
        var b = BuilderTests.base()
        b.attachMessage(Array(inner.utf8))
        let bytes = try b.build()
        #expect(BuilderTests.hasOnlyCRLF(bytes))
        let m = MIMEMessage(bytes: bytes)
        let part = try #require(m.attachments.first)
        #expect(part.contentType.mimeType == "message/rfc822")
        #expect(part.transferEncoding == "7bit")
        let embedded = try #require(part.embeddedMessage)
        #expect(embedded.bytes == MessageBuilder.normalizeLineEnds(Array(inner.utf8)))
        #expect(embedded.subject == "Original statement — LS-42")
        #expect(embedded.from.first?.address == "orig@example.net")
        #expect(embedded.textBody() == "The original text.\nWith a CRLF line and a lone CR\nhere.")
        #expect(embedded.attachments.first?.decodedBody() == payload)
        #expect(m.textBody() == "Dear colleagues,\n\nplease find our reply attached.\n")
    }

    @Test("The boundary never occurs in the content")
    func boundaryCollision() throws {
        var b = BuilderTests.base()
        b.boundary = "fixed-boundary"
        b.textBody = "This text mentions --fixed-boundary on purpose.\n--fixed-boundary\n"
        b.attach(data: [1, 2, 3], filename: "x.bin", contentType: "application/octet-stream")
        let bytes = try b.build()
        let m = MIMEMessage(bytes: bytes)
        let boundary = try #require(m.root.contentType[parameter: "boundary"])
        #expect(boundary != "fixed-boundary")
        #expect(m.root.children.count == 2)
        #expect(m.textBody() == b.textBody)
        var ok = BuilderTests.base()
        ok.boundary = "fixed-boundary"
        ok.attach(data: [1], filename: "y.bin", contentType: "application/octet-stream")
        #expect(MIMEMessage(bytes: try ok.build()).root.contentType[parameter: "boundary"] == "fixed-boundary")
    }

    @Test("Defaults: generated Message-ID and current Date")
    func defaults() throws {
        var b = MessageBuilder()
        b.from = MailAddress(address: "a@example.org")
        b.textBody = "x"
        let m = MIMEMessage(bytes: try b.build())
        #expect(m.messageID?.hasSuffix("@example.org") == true)
        #expect((m.date?.secondsSince1970 ?? 0) > 1_700_000_000)
        #expect(m.to.isEmpty)
    }

    static let injections = ["\r\n", "\n", "\r", "\u{0}", "a\r\nBcc: evil@example.com", "x\ny", "tail\r"]

    @Test("CR, LF or NUL in the subject throws", arguments: injections)
    func subjectInjection(vector: String) {
        var b = BuilderTests.base()
        b.subject = "Hello" + vector + "world"
        #expect(throws: MIMEError.forbiddenCharacter(header: "Subject")) { try b.build() }
    }

    @Test("CR, LF or NUL in a display name throws", arguments: injections)
    func displayNameInjection(vector: String) {
        var b = BuilderTests.base()
        b.to = [MailAddress(address: "x@example.com", displayName: "Name" + vector)]
        #expect(throws: MIMEError.forbiddenCharacter(header: "To")) { try b.build() }
    }

    @Test("CR, LF or NUL in an address throws", arguments: injections)
    func addressInjection(vector: String) {
        var b = BuilderTests.base()
        b.cc = [MailAddress(address: "x@example.com" + vector)]
        #expect(throws: MIMEError.forbiddenCharacter(header: "Cc")) { try b.build() }
        var f = BuilderTests.base()
        f.from = MailAddress(address: "x" + vector + "@example.com")
        #expect(throws: MIMEError.forbiddenCharacter(header: "From")) { try f.build() }
    }

    @Test("CR, LF or NUL in an extra header throws", arguments: injections)
    func extraHeaderInjection(vector: String) {
        var b = BuilderTests.base()
        b.addHeader("X-Liaison-Reference", "LS" + vector + "1")
        #expect(throws: MIMEError.forbiddenCharacter(header: "X-Liaison-Reference")) { try b.build() }
        var n = BuilderTests.base()
        n.addHeader("X-Bad" + vector, "v")
        #expect(throws: MIMEError.self) { try n.build() }
    }

    @Test("CR, LF or NUL in ids, date and file names throws", arguments: injections)
    func otherInjections(vector: String) {
        var a = BuilderTests.base()
        a.messageID = "id" + vector + "@x"
        #expect(throws: MIMEError.forbiddenCharacter(header: "Message-ID")) { try a.build() }
        var r = BuilderTests.base()
        r.references = ["ok@x", "bad" + vector + "@x"]
        #expect(throws: MIMEError.forbiddenCharacter(header: "References")) { try r.build() }
        var d = BuilderTests.base()
        d.date = "Tue, 1 Jul 2003 10:52:37 +0200" + vector
        #expect(throws: MIMEError.forbiddenCharacter(header: "Date")) { try d.build() }
        var f = BuilderTests.base()
        f.attach(data: [1], filename: "a" + vector + ".pdf", contentType: "application/pdf")
        #expect(throws: MIMEError.forbiddenCharacter(header: "Content-Disposition")) { try f.build() }
        var t = BuilderTests.base()
        t.attach(data: [1], filename: "a.pdf", contentType: "application/pdf" + vector)
        #expect(throws: MIMEError.forbiddenCharacter(header: "Content-Type")) { try t.build() }
    }

    @Test(
        "Encoded-word-looking and tricky values stay literal text",
        arguments: [
            "=?utf-8?b?QmNjOiBldmlsQGV4YW1wbGUuY29t?=",  // "Bcc: evil@example.com" if decoded
            "=?utf-8?q?=0D=0ABcc:_evil@example.com?=",
            "Subject: nested",
            "a\u{2028}b\u{85}c",  // Unicode line separators are not CR/LF
        ])
    func literalValues(value: String) throws {
        var b = BuilderTests.base()
        b.subject = value
        b.addHeader("X-Liaison-Reference", value)
        b.to = [MailAddress(address: "x@example.com", displayName: value)]
        let bytes = try b.build()
        #expect(BuilderTests.hasOnlyCRLF(bytes))
        let m = MIMEMessage(bytes: bytes)
        #expect(m.subject == value)
        #expect(m.header.decoded("x-liaison-reference") == value)
        #expect(m.to == [MailAddress(address: "x@example.com", displayName: value)])
        #expect(!m.header.contains("bcc"))
    }

    @Test(
        "Invalid addresses, names, ids and types are refused",
        arguments: [
            MailAddress(address: "no-at-sign"), MailAddress(address: "two words@example.com"),
            MailAddress(address: "a@b@c"),
            MailAddress(address: "<a@b.c>"), MailAddress(address: "@example.com"), MailAddress(address: "a@"),
            MailAddress(address: "a,b@example.com"), MailAddress(address: "tab\there@example.com"),
            MailAddress(address: "ünï@example.com"),
        ])
    func invalidAddresses(address: MailAddress) {
        var b = BuilderTests.base()
        b.to = [address]
        #expect(throws: MIMEError.invalidAddress(address.address)) { try b.build() }
    }

    @Test("Other builder errors")
    func otherErrors() {
        var noFrom = BuilderTests.base()
        noFrom.from = nil
        #expect(throws: MIMEError.missingField("From")) { try noFrom.build() }
        var reserved = BuilderTests.base()
        reserved.addHeader("Content-Type", "text/html")
        #expect(throws: MIMEError.reservedHeader("Content-Type")) { try reserved.build() }
        var badName = BuilderTests.base()
        badName.addHeader("X Bad", "v")
        #expect(throws: MIMEError.invalidHeaderName("X Bad")) { try badName.build() }
        var badID = BuilderTests.base()
        badID.messageID = "has space@x"
        #expect(throws: MIMEError.invalidMessageID("has space@x")) { try badID.build() }
        var badType = BuilderTests.base()
        badType.attach(data: [], filename: "f", contentType: "pdf")
        #expect(throws: MIMEError.invalidContentType("pdf")) { try badType.build() }
        #expect(MIMEError.forbiddenCharacter(header: "Subject").description.contains("Subject"))
        // Values that cannot be folded under 998 octets are refused, naming the field.
        let huge = String(repeating: "a", count: 1200)
        var longAddress = BuilderTests.base()
        longAddress.to = [MailAddress(address: huge + "@example.com")]
        #expect(throws: MIMEError.lineTooLong(header: "To")) { try longAddress.build() }
        var longID = BuilderTests.base()
        longID.references = [huge + "@x"]
        #expect(throws: MIMEError.lineTooLong(header: "References")) { try longID.build() }
        var longDate = BuilderTests.base()
        longDate.date = huge
        #expect(throws: MIMEError.lineTooLong(header: "Date")) { try longDate.build() }
        var longType = BuilderTests.base()
        longType.attach(data: [1], filename: "f.bin", contentType: "application/" + huge)
        #expect(throws: MIMEError.lineTooLong(header: "Content-Type")) { try longType.build() }
    }

    @Test("Message-ID generation uses the caller's randomness")
    func messageIDGeneration() {
        var r1 = SplitMix(seed: 7)
        var r2 = SplitMix(seed: 7)
        let a = MessageID.generate(domain: "example.org", random: &r1)
        let b = MessageID.generate(domain: "example.org", random: &r2)
        #expect(a == b)
        #expect(a.hasSuffix("@example.org"))
        #expect(a.utf8.count > 20)
        #expect(MessageID.generate(domain: "h", randomBytes: [0, 0, 0, 0, 0]) == "aaaaaaaa@h")
        var r3 = SplitMix(seed: 8)
        #expect(MessageID.generate(domain: "example.org", random: &r3) != a)
    }
}

extension BuilderTests {
    @Test("Sample output, for eyeballing (printed)")
    func sample() throws {
        var b = BuilderTests.base()
        b.subject = "Réponse à la déclaration de liaison LS-42 — 日本語のテスト and a fairly long tail"
        b.to = [
            MailAddress(address: "chair@example.net", displayName: "Jürgen Müller"),
            MailAddress(address: "x@example.com", displayName: "Doe, John"),
        ]
        b.addHeader("Auto-Submitted", "auto-generated")
        b.attach(
            data: Array("%PDF-1.4".utf8),
            filename: "Übersicht – sehr langer Dateiname mit Umlauten und noch mehr Text äöü.pdf",
            contentType: "application/pdf")
        b.boundary = "BOUNDARY"
        let bytes = try b.build()
        if ProcessInfo.processInfo.environment["MIME_PRINT_SAMPLE"] != nil {
            print(String(decoding: bytes, as: UTF8.self))
        }
        #expect(BuilderTests.hasOnlyCRLF(bytes))
    }
}
