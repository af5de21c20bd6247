import Testing

@testable import MailTransport

/// Byte-level checks made before anything reaches libcurl.
struct ValidationTests {
    @Test func canonicalMessagesPass() throws {
        try MessageValidation.requireCanonicalLineEndings(Array("A: b\r\n\r\nbody\r\n.\r\n".utf8))
        try MessageValidation.requireCanonicalLineEndings(Array("no final newline".utf8))
        try MessageValidation.requireCanonicalLineEndings([])
        try MessageValidation.requireCanonicalLineEndings(Array("8bit é\r\n".utf8))
    }

    @Test(arguments: [
        ("a\nb", 1, "bare LF (lines must end with CRLF)"), ("ab\r", 2, "bare CR"), ("a\rb\r\n", 1, "bare CR"),
        ("a\r\n\n", 3, "bare LF (lines must end with CRLF)"), ("a\u{0}b", 1, "NUL byte"),
        ("\n.\n", 0, "bare LF (lines must end with CRLF)"),
    ])
    func nonCanonicalBytesAreRefusedWithTheirOffset(text: String, offset: Int, reason: String) {
        #expect(throws: TransportError.invalidMessage(offset: offset, reason: reason)) {
            try MessageValidation.requireCanonicalLineEndings(Array(text.utf8))
        }
    }

    @Test(arguments: ["a@example.test", "first.last+tag@sub.example.test", "jörg@bücher.example", "x@[127.0.0.1]"])
    func goodAddressesPass(address: String) throws {
        try EnvelopeAddress.validate(address, allowEmpty: false)
    }

    @Test func theNullSenderIsOnlyAllowedWhereAsked() throws {
        try EnvelopeAddress.validate("", allowEmpty: true)
        #expect(throws: TransportError.invalidAddress("")) { try EnvelopeAddress.validate("", allowEmpty: false) }
    }

    @Test(arguments: [
        "a@b\r\nRCPT TO:<c@d>", "a@b\n", "a@b\r", "a b@c", "a@b\t", "<a@b>", "a@b>", "a\u{0}@b", "a\u{7F}@b",
        "a\u{85}@b", "a\u{2028}@b", "a\u{200B}@b", "a\u{A0}@b", "ab", "@b", "a@",
        String(repeating: "a", count: 250) + "@b.cd",
    ])
    func unsafeAddressesAreRefused(address: String) {
        #expect(throws: TransportError.invalidAddress(address)) {
            try EnvelopeAddress.validate(address, allowEmpty: false)
        }
    }
}
