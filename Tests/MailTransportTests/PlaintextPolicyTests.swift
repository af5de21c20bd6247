import Logging
import Testing

@testable import MailTransport

/// Plain-text logins are refused unless explicitly allowed, before anything connects; TLS
/// failures name their reason.
struct PlaintextPolicyTests {
    let secret = "pl41n-t3xt-Secret"

    @Test(arguments: ["imap://mail.example.org", "imap://192.0.2.7:143", "imap://127.0.0.1:143", "imap://localhost"])
    func imapWithoutTLSIsRefusedUnlessAllowed(url: String) throws {
        let refused = IMAPConfiguration(url: url, username: "u", password: secret, tls: .none)
        let error = #expect(throws: TransportError.self) { try refused.validated() }
        guard case .invalidConfiguration(let text) = error else {
            Issue.record("expected invalidConfiguration, got \(String(describing: error))")
            return
        }
        #expect(text.contains("in clear"))
        #expect(text.contains("allow_plaintext: true"))
        #expect(!text.contains(secret))
        // The refusal happens when the mailbox is created, not at the first poll.
        #expect(throws: TransportError.self) { try IMAPMailbox(configuration: refused, logger: Logger(label: "test")) }

        let allowed = IMAPConfiguration(
            url: url, username: "u", password: secret, tls: .none, allowPlaintextAuthentication: true)
        _ = try allowed.validated()
    }

    @Test func smtpCredentialsWithoutTLSToANonLoopbackHostNeedTheExplicitSetting() throws {
        func smtp(_ url: String, loopbackOnly: Bool = false, anyHost: Bool = false) -> SMTPConfiguration {
            SMTPConfiguration(
                url: url, tls: .none, username: "u", password: secret,
                allowPlaintextAuthenticationOnLoopback: loopbackOnly, allowPlaintextAuthentication: anyHost)
        }
        let error = #expect(throws: TransportError.self) { try smtp("smtp://mail.example.org:587").validated() }
        #expect(error?.description.contains("mail.example.org") == true)
        #expect(error?.description.contains(secret) == false)
        #expect(throws: TransportError.self) { try smtp("smtp://mail.example.org:587", loopbackOnly: true).validated() }
        #expect(throws: TransportError.self) { try SMTPSender(configuration: smtp("smtp://mail.example.org:587"), logger: Logger(label: "test")) }
        _ = try smtp("smtp://mail.example.org:587", anyHost: true).validated()
        _ = try smtp("smtp://127.0.0.1:25", loopbackOnly: true).validated()
        // TLS modes never need the setting.
        _ = try SMTPConfiguration(url: "smtp://mail.example.org:587", tls: .starttls, username: "u", password: secret)
            .validated()
    }

    @Test(arguments: [
        (60, "SSL peer certificate or SSH remote key was not OK: SSL certificate problem: certificate has expired",
         TLSFailure.expiredCertificate),
        (60, "SSL peer certificate or SSH remote key was not OK: SSL certificate problem: unable to get local issuer certificate",
         .untrustedCertificate),
        (60, "SSL peer certificate or SSH remote key was not OK: SSL certificate problem: self-signed certificate",
         .untrustedCertificate),
        (60, "SSL peer certificate or SSH remote key was not OK: SSL: no alternative certificate subject name matches target host name '127.0.0.4'",
         .hostNameMismatch),
        (60, "SSL peer certificate or SSH remote key was not OK: SSL certificate problem: certificate is not yet valid",
         .certificateNotYetValid),
        (64, "Requested SSL level failed: STARTTLS not available.", .startTLSNotOffered),
        (64, "Requested SSL level failed: STARTTLS not supported.", .startTLSNotOffered),
        (77, "Problem with the SSL CA cert (path? access rights?)", .caFileUnusable),
        (35, "SSL connect error: wrong version number", .handshakeFailed),
    ])
    func tlsFailuresAreClassified(code: Int, message: String, expected: TLSFailure) {
        let error = TransportError.tlsFailed(server: "imaps://mail.example.org:993", code: code, message: message)
        #expect(error.tlsFailure == expected)
        #expect(error.description.hasPrefix("imaps://mail.example.org:993: TLS failed, connection closed: "))
        #expect(error.description.contains(expected.explanation))
        #expect(error.description.contains("libcurl \(code)"))
    }

    @Test func otherErrorsHaveNoTLSFailure() {
        #expect(TransportError.connectionFailed(server: "s", code: 7, message: "m").tlsFailure == nil)
    }
}
