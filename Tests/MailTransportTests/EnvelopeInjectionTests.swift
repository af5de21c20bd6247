import Testing

@testable import MailTransport

/// Envelope injection: every payload that could add an SMTP command or end a path early, at
/// every place in an address, is refused before libcurl sees it; so is every message with a bare
/// CR, bare LF or NUL anywhere (libcurl would not dot-stuff after them: SMTP smuggling).
struct EnvelopeInjectionTests {
    static let payloads = [
        "\r\n", "\n", "\r", "\u{0}", " ", "\t", "<", ">", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}", "\u{200B}",
        "\u{A0}", "\r\nRCPT TO:<x@evil.test>", "\r\n.\r\n", "> SIZE=1\r\nRCPT TO:<x@evil.test",
    ]

    /// Each payload at the start, in the local part, before and after the `@` and at the end.
    static var addresses: [String] {
        var list: [String] = []
        for p in payloads {
            let places: [(String, String)] = [("", "a@b.test"), ("a", "b@c.test"), ("a", "@b.test"), ("a@", "b.test"), ("a@b.test", "")]
            for (before, after) in places { list.append(before + p + after) }
        }
        return list
    }

    @Test func everyInjectedAddressIsRefused() {
        #expect(Self.addresses.count == 85)
        for address in Self.addresses {
            #expect(throws: TransportError.invalidAddress(address), "\(address.debugDescription)") {
                try EnvelopeAddress.validate(address, allowEmpty: false)
            }
            #expect(throws: TransportError.invalidAddress(address)) { try EnvelopeAddress.validate(address, allowEmpty: true) }
        }
    }

    /// The smuggling line ends, anywhere in a message.
    @Test(arguments: ["\n.\n", "\r.\n", "\n.\r\n", "\r\n.\r", "\r\n.\n", "\r.\r", "\n..\n", "a\nb", "a\rb", "a\u{0}b"])
    func everyNonCanonicalMessageIsRefused(pattern: String) {
        for message in ["Subject: x\r\n\r\n" + pattern + "\r\n", pattern, "Subject: x\r\n\r\nbody" + pattern] {
            #expect(throws: TransportError.self) { try MessageValidation.requireCanonicalLineEndings(Array(message.utf8)) }
        }
    }
}
