import Foundation
import Testing

@testable import MIME

@Suite("Line length limits")
struct LineLengthTests {
    static func message(headerLine: Int, bodyLine: Int) -> [UInt8] {
        let long = "Subject: " + String(repeating: "s", count: max(0, headerLine - 9))
        return TestSupport.crlf(
            "From: a@example.org\n\(long)\nTo: b@example.org\n\nshort\n" + String(repeating: "b", count: bodyLine)
                + "\nend\n")
    }

    @Test("Lines of exactly 998 octets are not flagged")
    func atTheLimit() {
        let m = MIMEMessage(bytes: Self.message(headerLine: 998, bodyLine: 998))
        #expect(m.defects.isEmpty)
        #expect(m.to.map(\.address) == ["b@example.org"])
    }

    @Test("A header line over 998 octets is flagged once and still read")
    func longHeaderLine() {
        var bytes = Self.message(headerLine: 999, bodyLine: 10)
        // A second long line in the same block adds no second defect.
        bytes.insert(contentsOf: Array(("X-Long: " + String(repeating: "x", count: 2_000) + "\r\n").utf8), at: 0)
        let m = MIMEMessage(bytes: bytes)
        #expect(m.defects == [.longHeaderLine])
        #expect(m.subject?.utf8.count == 990)
        #expect(m.to.map(\.address) == ["b@example.org"])
        #expect(m.root.text() == "short\nbbbbbbbbbb\nend\n")
    }

    @Test("A body line over 998 octets is flagged once per part and kept")
    func longBodyLine() {
        let m = MIMEMessage(bytes: Self.message(headerLine: 20, bodyLine: 5_000))
        #expect(m.defects == [.longBodyLine])
        #expect(m.root.text()?.utf8.count == 6 + 5_001 + 4)
        // Bare LF line ends count the same; a line ending at the end of input too.
        let lf = MIMEMessage(bytes: TestSupport.lf("Subject: x\n\n" + String(repeating: "b", count: 999)))
        #expect(lf.defects == [.longBodyLine])
        let crlfAtLimit = MIMEMessage(bytes: TestSupport.crlf("Subject: x\n\n" + String(repeating: "b", count: 998) + "\n"))
        #expect(crlfAtLimit.defects.isEmpty)
    }

    @Test("Each leaf part is checked against the limit")
    func multipartBodies() {
        let text = """
            Content-Type: multipart/mixed; boundary=b

            --b

            \(String(repeating: "1", count: 1_200))
            --b

            short
            --b--

            """
        let m = MIMEMessage(bytes: TestSupport.crlf(text))
        #expect(m.root.children.count == 2)
        #expect(m.defects == [.longBodyLine])
    }

    @Test("A header line over the hard limit ends the header block")
    func hardLimit() {
        let limits = MIMELimits(maxLineLength: 998, maxHeaderLineLength: 4_096)
        let m = MIMEMessage(bytes: Self.message(headerLine: 5_000, bodyLine: 10), limits: limits)
        #expect(m.defects.contains(.headerLineTooLong))
        #expect(m.from.map(\.address) == ["a@example.org"])
        #expect(m.subject == nil)
        #expect(m.to.isEmpty)
        // The long line and what follows are the body.
        #expect(m.root.text()?.hasPrefix("Subject: sss") == true)
        #expect(m.root.text()?.hasSuffix("bbbbbbbbbb\nend\n") == true)
        // Below the hard limit the same line is only flagged.
        let relaxed = MIMEMessage(bytes: Self.message(headerLine: 4_000, bodyLine: 10), limits: limits)
        #expect(relaxed.defects == [.longHeaderLine])
        #expect(relaxed.subject?.utf8.count == 3_991)
    }

    @Test("The limits are configurable; defaults are 998 and 64 KiB")
    func configurable() {
        #expect(MIMELimits.default.maxLineLength == 998)
        #expect(MIMELimits.default.maxHeaderLineLength == 65_536)
        let strict = MIMELimits(maxLineLength: 78)
        let m = MIMEMessage(bytes: Self.message(headerLine: 100, bodyLine: 100), limits: strict)
        #expect(m.defects == [.longHeaderLine, .longBodyLine])
        let defaultHard = MIMEMessage(bytes: Self.message(headerLine: 70_000, bodyLine: 10))
        #expect(defaultHard.defects.contains(.headerLineTooLong))
        #expect(defaultHard.subject == nil)
    }

    @Test("Huge single lines stay linear and never trap")
    func hugeLines() {
        // 4 MB without a line break in the header, then in the body.
        let header = Array(repeating: UInt8(ascii: "a"), count: 4_000_000)
        let h = MIMEMessage(bytes: Array("X: ".utf8) + header)
        #expect(h.defects.contains(.headerLineTooLong))
        #expect(h.header.fields.isEmpty)
        let body = TestSupport.crlf("Subject: x\n\n") + Array(repeating: UInt8(ascii: "b"), count: 4_000_000)
        let b = MIMEMessage(bytes: body)
        #expect(b.defects == [.longBodyLine])
        #expect(b.root.decodedBody().count == 4_000_000)
        // Many lines just over the limit: one defect per header block.
        var many: [UInt8] = []
        for i in 0..<900 { many += Array("X-\(i): \(String(repeating: "z", count: 1_000))\r\n".utf8) }
        let m = MIMEMessage(bytes: many + TestSupport.crlf("\nbody\n"))
        #expect(m.defects == [.longHeaderLine])
        #expect(m.header.fields.count == 900)
    }
}

@Suite("uuencode as a transfer encoding")
struct UUEncodeTransferTests {
    static let encoded = "begin 644 hello.txt\n72&5L;&\\L('5U96YC;V1E9\"!W;W)L9\"$`\n`\nend\n"

    @Test("x-uuencode, x-uue and uuencode bodies are decoded without a defect")
    func spellings() {
        for name in ["x-uuencode", "X-UUE", "uuencode", " \"x-uuencode\" ; junk"] {
            let m = MIMEMessage(
                bytes: TestSupport.crlf(
                    "Content-Type: application/octet-stream\nContent-Transfer-Encoding: \(name)\n\n\(Self.encoded)"))
            #expect(m.defects.isEmpty, "\(name)")
            #expect(m.root.decodedBody() == Array("Hello, uuencoded world!".utf8), "\(name)")
            #expect(TransferEncoding.isKnown(m.root.transferEncoding), "\(name)")
            // The file stays available with its name.
            #expect(m.root.uuencodedFiles.map(\.filename) == ["hello.txt"], "\(name)")
        }
        let m = MIMEMessage(bytes: TestSupport.crlf("Content-Transfer-Encoding: X-UUE\n\n\(Self.encoded)"))
        #expect(m.root.transferEncoding == "x-uue")
    }

    @Test("A uuencoded text part gives its decoded text")
    func textPart() {
        let m = MIMEMessage(
            bytes: TestSupport.lf("Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\n\(Self.encoded)"))
        #expect(m.root.text() == "Hello, uuencoded world!")
        #expect(m.defects.isEmpty)
    }

    @Test("A uuencoded body without a begin line is kept raw and flagged; a cut one is decoded so far")
    func broken() {
        let raw = MIMEMessage(bytes: TestSupport.crlf("Content-Transfer-Encoding: x-uuencode\n\nbegin 644 f\n"))
        #expect(raw.root.decodedBody() == Array("begin 644 f\r\n".utf8))
        #expect(raw.defects == [.invalidUUEncode])
        let cut = MIMEMessage(
            bytes: TestSupport.crlf("Content-Transfer-Encoding: x-uuencode\n\nbegin 644 f\n#0V%T\n!!!junk\n"))
        #expect(cut.root.decodedBody() == Array("Cat".utf8))
        #expect(cut.defects == [.invalidUUEncode])
    }
}
