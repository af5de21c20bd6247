import Foundation
import Testing

@testable import MIME

@Suite("Transfer encodings")
struct EncodingTests {
    @Test("Base64 round-trips every length")
    func base64RoundTrip() {
        for n in 0..<200 {
            let data = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64.encode(data)
            #expect(Base64.decode(encoded) == data)
            // 76-character lines, CRLF between them, none after the last.
            let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.count <= 76 })
            #expect(!encoded.contains(10) || encoded.count > 76)
        }
        #expect(Base64.encode(Array("Man".utf8), lineLength: nil) == Array("TWFu".utf8))
        #expect(Base64.encode(Array("Ma".utf8)) == Array("TWE=".utf8))
    }

    @Test(
        "Base64 decoding tolerates junk, whitespace, bad padding and line lengths",
        arguments: [
            ("SGVs bG8s\r\nIHdv\tcmxk", "Hello, world"),
            ("SGVsbG8*sIHdv!cmxk", "Hello, world"),  // junk characters skipped
            ("SGVsbG8", "Hello"),  // missing padding
            ("SGVsbG8===", "Hello"),  // excess padding
            ("SGk=SGk=", "HiHi"),  // concatenated encodings
            ("S", ""),  // a lone sextet is dropped
            ("SGVsbG8sIHdvcmxkIQ==\n\n\n", "Hello, world!"),
            ("SGVsbG8sIHdvc\nmxkIQ", "Hello, world!"),  // odd line lengths
        ])
    func base64Lenient(input: String, expected: String) {
        #expect(Base64.decode(Array(input.utf8)) == Array(expected.utf8))
    }

    @Test("Bad base64 in a part is flagged but decoded")
    func base64Defect() {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nSGVs*bG8=\n"))
        #expect(m.root.decodedBody() == Array("Hello".utf8))
        #expect(m.defects.contains(.invalidBase64))
    }

    @Test(
        "Quoted-printable decoding",
        arguments: [
            ("caf=C3=A9", "café"),
            ("caf=c3=a9", "café"),  // lowercase hex
            ("soft=\r\nbreak", "softbreak"),
            ("soft=\nbreak", "softbreak"),
            ("soft=  \r\nbreak", "softbreak"),  // whitespace after the soft-break '='
            ("trailing   \r\nspace", "trailing\r\nspace"),  // transport padding removed
            ("a=ZZb", "a=ZZb"),  // bad escape kept literally
            ("a=\tb", "a=\tb"),
            ("end=", "end"),
            ("end=4", "end=4"),  // truncated escape kept
            ("x = y", "x = y"),
        ])
    func quotedPrintable(input: String, expected: String) {
        #expect(QuotedPrintable.decode(Array(input.utf8)) == Array(expected.utf8))
    }

    @Test("QP soft-break errors are flagged, text still decoded")
    func qpDefect() {
        let m = MIMEMessage(
            bytes: TestSupport.crlf(
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nBad =XY escape, caf=C3=A9=\n ok\n"
            ))
        #expect(m.root.text() == "Bad =XY escape, café ok\n")
        #expect(m.defects.contains(.invalidQuotedPrintable))
    }

    @Test("Quoted-printable encoding keeps lines short and round-trips")
    func qpEncode() {
        let text =
            "Grüße aus Köln! " + String(repeating: "lorem ipsum ", count: 20) + "end \nsecond line\twith tab \n=sign"
        let encoded = QuotedPrintable.encode(Array(text.utf8))
        let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(!encoded.contains { $0 >= 0x80 })
        let decoded = QuotedPrintable.decode(encoded)
        #expect(String(decoding: decoded, as: UTF8.self) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("Unknown transfer encodings are kept raw and flagged; odd spellings normalised")
    func unknownEncodings() {
        let m = MIMEMessage(bytes: TestSupport.crlf("Content-Transfer-Encoding: x-gzip64\n\nH4sI\n"))
        #expect(m.root.transferEncoding == "x-gzip64")
        #expect(m.root.decodedBody() == Array("H4sI\r\n".utf8))
        #expect(m.defects == [.unknownTransferEncoding("x-gzip64")])
        let odd = MIMEMessage(
            bytes: TestSupport.crlf("Content-Type: text/plain\nContent-Transfer-Encoding:  Base64 ; junk\n\naGk=\n"))
        #expect(odd.root.transferEncoding == "base64")
        #expect(odd.root.text() == "hi")
        #expect(MIMEMessage(bytes: []).root.transferEncoding == "7bit")
    }
}
