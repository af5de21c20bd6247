import Testing

@testable import MailTransport

/// Configuration checks and the redaction of passwords.
struct ConfigurationTests {
    let secret = "s3cr3t-Pa55"

    func imap(_ url: String, tls: TLSMode, mailbox: String = "INBOX") -> IMAPConfiguration {
        IMAPConfiguration(url: url, mailbox: mailbox, username: "u", password: secret, tls: tls)
    }

    @Test func serverAddressesAreParsed() throws {
        let v4 = try ServerAddress(parsing: "IMAPS://mail.example.test:1993", schemes: ["imaps": 993], field: "url")
        #expect(v4.description == "imaps://mail.example.test:1993")
        let v6 = try ServerAddress(parsing: "imap://[::1]", schemes: ["imap": 143], field: "url")
        #expect(v6.description == "imap://[::1]:143")
        #expect(v6.isLoopback)
        let path = try ServerAddress(parsing: "smtp://127.0.0.2:25/helo.example", schemes: ["smtp": 25], field: "url")
        #expect(path.path == "helo.example")
        #expect(path.isLoopback)
        #expect(try !ServerAddress(parsing: "smtp://127.example", schemes: ["smtp": 25], field: "url").isLoopback)
    }

    @Test(arguments: [
        "http://h", "imap://", "imap://h:0", "imap://h:70000", "imap://h?x", "imap://h#f", "imap://user:pw@h",
        "imap://h h", "h:143",
    ])
    func badURLsAreRefused(url: String) {
        #expect(throws: TransportError.self) { try ServerAddress(parsing: url, schemes: ["imap": 143], field: "url") }
    }

    @Test func credentialsInAURLAreNotEchoed() {
        do {
            _ = try ServerAddress(parsing: "imap://user:\(secret)@h", schemes: ["imap": 143], field: "imap url")
            Issue.record("accepted credentials in the URL")
        } catch {
            #expect(!"\(error)".contains(secret))
        }
    }

    @Test func imapTLSModeMustMatchTheScheme() throws {
        _ = try imap("imaps://h", tls: .implicit).validated()
        _ = try imap("imap://h", tls: .starttls).validated()
        _ = try IMAPConfiguration(
            url: "imap://h", username: "u", password: secret, tls: .none, allowPlaintextAuthentication: true
        ).validated()
        #expect(throws: TransportError.self) { try imap("imap://h", tls: .implicit).validated() }
        #expect(throws: TransportError.self) { try imap("imaps://h", tls: .starttls).validated() }
        #expect(throws: TransportError.self) { try imap("imap://h/INBOX", tls: .starttls).validated() }
        #expect(throws: TransportError.invalidMailboxName("a\r\nb")) {
            try imap("imap://h", tls: .starttls, mailbox: "a\r\nb").validated()
        }
    }

    @Test func smtpCredentialsNeedTLSOrExplicitLoopbackPlaintext() throws {
        func smtp(_ url: String, _ tls: TLSMode, allow: Bool = false) -> SMTPConfiguration {
            SMTPConfiguration(
                url: url, tls: tls, username: "u", password: secret, allowPlaintextAuthenticationOnLoopback: allow)
        }
        _ = try smtp("smtp://mail.example.test:587", .starttls).validated()
        _ = try smtp("smtps://mail.example.test", .implicit).validated()
        _ = try smtp("smtp://127.0.0.1:25", .none, allow: true).validated()
        #expect(throws: TransportError.self) { try smtp("smtp://127.0.0.1:25", .none).validated() }
        #expect(throws: TransportError.self) { try smtp("smtp://mail.example.test", .none, allow: true).validated() }
        #expect(throws: TransportError.self) {
            try SMTPConfiguration(url: "smtp://h", tls: .starttls, username: "u").validated()
        }
        _ = try SMTPConfiguration(url: "smtp://mail.example.test", tls: .none).validated()
    }

    @Test func theEHLONameComesFromTheSettingOrThePath() throws {
        #expect(
            try SMTPConfiguration(url: "smtp://h/client.example", tls: .starttls).validated().helo == "client.example")
        #expect(
            try SMTPConfiguration(url: "smtp://h/x", tls: .starttls, heloName: "[192.0.2.1]").validated().helo
                == "[192.0.2.1]")
        #expect(try SMTPConfiguration(url: "smtp://h", tls: .starttls).validated().helo == nil)
        #expect(throws: TransportError.self) {
            try SMTPConfiguration(url: "smtp://h", tls: .starttls, heloName: "bad name\r\nMAIL").validated()
        }
    }

    @Test func descriptionsNeverShowThePassword() {
        let imapConfiguration = imap("imap://h", tls: .starttls)
        let smtpConfiguration = SMTPConfiguration(url: "smtp://h", tls: .starttls, username: "u", password: secret)
        for text in [
            "\(imapConfiguration)", String(reflecting: imapConfiguration), "\(smtpConfiguration)",
            String(reflecting: smtpConfiguration), "\([imapConfiguration])", "\(Optional(smtpConfiguration) as Any)",
        ] {
            #expect(!text.contains(secret))
            #expect(text.contains("<redacted>"))
        }
        var dumped = ""
        dump(imapConfiguration, to: &dumped)
        dump(smtpConfiguration, to: &dumped)
        #expect(!dumped.contains(secret))
    }

    @Test func errorTextIsScrubbedOfTheSecret() {
        #expect(Redaction.scrub("user x pw \(secret) end", secret: secret) == "user x pw <redacted> end")
        #expect(Redaction.scrub("nothing", secret: "") == "nothing")
        let error = TransportError.invalidAddress("a\r\nb")
        #expect(error.description.contains(#""a\r\nb""#))
    }
}
