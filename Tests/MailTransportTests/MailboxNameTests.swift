import Testing

@testable import MailTransport

/// Mailbox names: modified UTF-7, quoting for commands, percent-encoding for libcurl URLs.
struct MailboxNameTests {
    @Test(arguments: [
        ("INBOX", "INBOX"), ("Ärger", "&AMQ-rger"), ("a&b", "a&-b"), ("日本語", "&ZeVnLIqe-"),
        ("Processed/2026 Ärger", "Processed/2026 &AMQ-rger"), ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("😀", "&2D3eAA-"),
    ])
    func modifiedUTF7RoundTrips(name: String, encoded: String) {
        #expect(ModifiedUTF7.encode(name) == encoded)
        #expect(ModifiedUTF7.decode(encoded) == name)
    }

    @Test func invalidModifiedUTF7IsRejected() {
        #expect(ModifiedUTF7.decode("&AMQ") == nil)
        #expect(ModifiedUTF7.decode("&A*Q-") == nil)
        #expect(ModifiedUTF7.decode("caf\u{E9}") == nil)
    }

    @Test func namesAreQuotedAndPercentEncoded() throws {
        let name = try IMAPMailboxName(#"a "b"\c;d/e%f.g"#)
        #expect(name.quoted == #""a \"b\"\\c;d/e%f.g""#)
        #expect(name.urlPath == "a%20%22b%22%5Cc%3Bd%2Fe%25f%2Eg")
        #expect(try IMAPMailboxName("INBOX").urlPath == "INBOX")
        #expect(IMAPMailboxName.inbox.isInbox)
    }

    @Test(arguments: ["", "a\r\nb", "a\nb", "a\u{0}b", "a\u{85}b", "a\u{2028}b", "tab\there"])
    func controlCharactersAreRejected(name: String) {
        #expect(throws: TransportError.invalidMailboxName(name)) { try IMAPMailboxName(name) }
    }
}
