import Testing

@testable import MIME

@Suite("Multipart structure")
struct MultipartTests {
    static let simple = """
        From: a@example.com
        Subject: parts
        Content-Type: multipart/mixed; boundary="XyZ"

        This is the preamble.
        --XyZ
        Content-Type: text/plain; charset=utf-8

        Hello
        --XyZ
        Content-Type: application/octet-stream; name="data.bin"
        Content-Transfer-Encoding: base64

        AAECAw==
        --XyZ--
        This is the epilogue.
        """

    @Test("Parts, preamble and epilogue, CRLF and LF alike")
    func simpleMultipart() {
        for bytes in [TestSupport.crlf(MultipartTests.simple), TestSupport.lf(MultipartTests.simple)] {
            let m = MIMEMessage(bytes: bytes)
            let root = m.root
            #expect(root.isMultipart)
            #expect(root.children.count == 2)
            #expect(String(decoding: root.preamble, as: UTF8.self) == "This is the preamble.")
            #expect(String(decoding: root.epilogue, as: UTF8.self) == "This is the epilogue.")
            #expect(root.children[0].text() == "Hello")
            #expect(root.children[1].decodedBody() == [0, 1, 2, 3])
            #expect(root.children[1].filename == "data.bin")
            #expect(m.attachments.count == 1)
            #expect(m.textBody() == "Hello")
            #expect(m.defects.isEmpty)
        }
    }

    @Test("Missing closing boundary: the last part takes the rest")
    func missingClose() {
        let m = MIMEMessage(
            bytes: TestSupport.lf(
                """
                Content-Type: multipart/mixed; boundary=b

                --b

                one
                --b

                two
                and more
                """))
        #expect(m.root.children.map { $0.text() } == ["one", "two\nand more"])
        #expect(m.defects.contains(.missingClosingBoundary(boundary: "b")))
    }

    @Test("Boundary-like lines inside parts are text")
    func boundaryLikeLines() {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                """
                Content-Type: multipart/mixed; boundary="abc"

                --abc

                line one
                --abcdef is not the boundary
                --abc-- trailing text is not a delimiter either
                 --abc indented is not one
                text --abc in the middle
                --abc
                Content-Type: multipart/alternative; boundary="inner"

                --inner

                inner text mentioning
                --abc-not
                --inner--
                --abc--
                """))
        let parts = m.root.children
        #expect(parts.count == 2)
        #expect(
            parts[0].text()
                == "line one\n--abcdef is not the boundary\n--abc-- trailing text is not a delimiter either\n --abc indented is not one\ntext --abc in the middle"
        )
        #expect(parts[1].children.count == 1)
        #expect(parts[1].children[0].text() == "inner text mentioning\n--abc-not")
    }

    @Test("No delimiter at all and no boundary parameter are defects")
    func noBoundary() {
        let a = MIMEMessage(bytes: TestSupport.lf("Content-Type: multipart/mixed; boundary=zzz\n\nno parts here\n"))
        #expect(a.root.children.isEmpty)
        #expect(a.defects.contains(.boundaryNotFound(boundary: "zzz")))
        let b = MIMEMessage(bytes: TestSupport.lf("Content-Type: multipart/mixed\n\n--x\n\ntext\n"))
        #expect(b.root.children.isEmpty)
        #expect(b.defects.contains(.missingBoundaryParameter))
    }

    @Test("Empty parts, transport padding and a missing blank line in a part")
    func oddParts() {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                """
                Content-Type: multipart/mixed; boundary=q

                --q  \t
                --q
                Content-Type: text/plain
                body right after the header
                --q--  
                """))
        let parts = m.root.children
        #expect(parts.count == 2)
        #expect(parts[0].rawBytes.isEmpty)
        #expect(parts[1].text() == "body right after the header")
    }

    @Test("Nested message/rfc822 and message/global")
    func nestedMessages() throws {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                """
                Subject: outer
                Content-Type: multipart/mixed; boundary=outer

                --outer
                Content-Type: text/plain

                see attached
                --outer
                Content-Type: message/rfc822

                Subject: =?utf-8?q?inn=C3=A9r?=
                From: Inner <inner@example.com>
                Content-Type: multipart/alternative; boundary=alt

                --alt
                Content-Type: text/plain

                inner plain
                --alt
                Content-Type: text/html

                <p>inner html</p>
                --alt--
                --outer
                Content-Type: message/global

                Subject: global

                hi
                --outer--
                """))
        let parts = m.root.children
        let inner = try #require(parts[1].embeddedMessage)
        #expect(inner.subject == "innér")
        #expect(inner.from.first?.displayName == "Inner")
        #expect(inner.root.children.count == 2)
        #expect(inner.textBody() == "inner plain")
        #expect(String(decoding: inner.bytes, as: UTF8.self).hasPrefix("Subject: =?utf-8?q?inn=C3=A9r?="))
        #expect(parts[2].embeddedMessage?.subject == "global")
        // The outer text body does not come from the embedded message.
        #expect(m.textBody() == "see attached")
        #expect(m.attachments.map(\.contentType.mimeType) == ["message/rfc822", "message/global"])
        #expect(m.allParts.count == 8)
    }

    @Test("A base64-encoded message/rfc822 is decoded and parsed")
    func encodedEmbedded() throws {
        let inner = Base64.encode(Array("Subject: hidden\r\n\r\nsecret\r\n".utf8))
        let bytes = Array("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n".utf8) + inner
        let m = MIMEMessage(bytes: bytes)
        let embedded = try #require(m.root.embeddedMessage)
        #expect(embedded.subject == "hidden")
        #expect(embedded.root.text() == "secret\n")
        #expect(m.defects.contains(.encodedCompositePart("base64")))
    }

    @Test("multipart/digest parts default to message/rfc822")
    func digest() {
        let m = MIMEMessage(
            bytes: TestSupport.lf(
                """
                Content-Type: multipart/digest; boundary=d

                --d

                Subject: first

                one
                --d
                Content-Type: text/plain

                not a message
                --d--
                """))
        let parts = m.root.children
        #expect(parts[0].contentType.mimeType == "message/rfc822")
        #expect(parts[0].embeddedMessage?.subject == "first")
        #expect(parts[1].contentType.mimeType == "text/plain")
    }

    @Test("textBody prefers text/plain, else reduces HTML")
    func textBodySelection() {
        let alt = MIMEMessage(
            bytes: TestSupport.lf(
                """
                Content-Type: multipart/alternative; boundary=a

                --a
                Content-Type: text/html

                <b>bold</b>
                --a
                Content-Type: text/plain

                plain version
                --a--
                """))
        #expect(alt.textBody() == "plain version")
        let html = MIMEMessage(
            bytes: TestSupport.lf(
                """
                Content-Type: text/html; charset=utf-8

                <html><head><title>T</title><style>p {color: red}</style></head>
                <body><p>Caf&eacute; &amp; <b>bar</b>&nbsp;&#x263A;&#9731;</p><script>alert(1)</script>
                <div>second<br>third</div><!-- hidden --></body></html>
                """))
        #expect(html.textBody() == "Café & bar ☺☃\n\nsecond\nthird")
        let none = MIMEMessage(bytes: TestSupport.lf("Content-Type: image/png\n\nxx"))
        #expect(none.textBody() == nil)
        #expect(none.attachments.count == 1)
        let attachedText = MIMEMessage(
            bytes: TestSupport.lf(
                """
                Content-Type: multipart/mixed; boundary=a

                --a
                Content-Type: text/plain
                Content-Disposition: attachment; filename="notes.txt"

                attached notes
                --a--
                """))
        #expect(attachedText.textBody() == nil)
        #expect(attachedText.attachments.first?.filename == "notes.txt")
    }

    /// `depth` multiparts, each holding the next.
    static func deepMultipart(_ depth: Int) -> [UInt8] {
        var s = ""
        for i in 0..<depth { s += "Content-Type: multipart/mixed; boundary=b\(i)\n\n--b\(i)\n" }
        s += "Content-Type: text/plain\n\ndeepest\n"
        return Array(s.utf8)
    }

    @Test("10,000-deep multipart nesting stops at the depth limit")
    func deepNesting() {
        let m = MIMEMessage(bytes: MultipartTests.deepMultipart(10_000))
        let defects = m.defects
        #expect(defects.contains(.depthLimitReached))
        #expect(m.allParts.count == MIMELimits.default.maxDepth + 1)
        _ = m.textBody()
        _ = m.attachments
    }

    @Test("10,000-deep message/rfc822 nesting stops at the depth limit")
    func deepMessages() {
        let bytes =
            Array(String(repeating: "Content-Type: message/rfc822\n\n", count: 10_000).utf8)
            + Array("Subject: bottom\n\nx".utf8)
        let m = MIMEMessage(bytes: bytes)
        #expect(m.defects.contains(.depthLimitReached))
        var depth = 0
        var current: MIMEMessage? = m
        while let next = current?.root.embeddedMessage {
            depth += 1
            current = next
        }
        #expect(depth == MIMELimits.default.maxDepth)
    }

    @Test("A custom depth limit")
    func customDepth() {
        let m = MIMEMessage(bytes: MultipartTests.deepMultipart(10), limits: MIMELimits(maxDepth: 3))
        #expect(m.allParts.count == 4)
        #expect(m.defects.contains(.depthLimitReached))
        let deepEnough = MIMEMessage(bytes: MultipartTests.deepMultipart(10), limits: MIMELimits(maxDepth: 20))
        #expect(deepEnough.textBody() == "deepest\n")
        #expect(!deepEnough.defects.contains(.depthLimitReached))
    }

    @Test("The part limit stops splitting")
    func partLimit() {
        var s = "Content-Type: multipart/mixed; boundary=p\n\n"
        for i in 0..<50 { s += "--p\n\npart \(i)\n" }
        s += "--p--\n"
        let limited = MIMEMessage(bytes: Array(s.utf8), limits: MIMELimits(maxParts: 10))
        #expect(limited.root.children.count == 10)
        #expect(limited.defects.contains(.partLimitReached))
        let full = MIMEMessage(bytes: Array(s.utf8))
        #expect(full.root.children.count == 50)
        var many = "Content-Type: multipart/mixed; boundary=p\n\n"
        for _ in 0..<20_000 { many += "--p\n\n" }
        let capped = MIMEMessage(bytes: Array(many.utf8))
        #expect(capped.root.children.count == MIMELimits.default.maxParts)
        #expect(capped.defects.contains(.partLimitReached))
    }

    @Test("Garbage input never crashes", arguments: 0..<40)
    func fuzz(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        let pieces = [
            "Content-Type: multipart/mixed; boundary=a\r\n", "--a\r\n", "--a--\n", "\r\n", "\n",
            "Content-Type: message/rfc822\n",
            "Content-Transfer-Encoding: base64\n", "=?utf-8?q?x?=", "Subject: ", " folded\n", "\u{0}", "\r", "=", "--",
            "From: <@a:b@c>, \"q\\\" (c(d)e) x@y;\n", "Date: 99 Feb 31 25:61\n", "name*0*=utf-8''%E2;", "\u{FF}\u{FE}",
        ]
        var bytes: [UInt8] = []
        for _ in 0..<200 {
            if rng.next() % 5 == 0 {
                bytes.append(UInt8(truncatingIfNeeded: rng.next()))
            } else {
                bytes += Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8)
            }
        }
        let m = MIMEMessage(bytes: bytes)
        for part in m.allParts {
            _ = part.decodedBody()
            _ = part.text()
            _ = part.filename
            _ = part.header.fields.map(\.decodedValue)
        }
        _ = m.defects
        _ = (m.subject, m.from, m.to, m.date, m.references, m.textBody(), m.attachments.count)
    }
}

/// A tiny deterministic generator for the fuzz cases.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
