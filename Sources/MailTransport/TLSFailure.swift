/// Why a TLS connection was refused, read from libcurl's code and error text.
///
/// Every case stops the connection before a login or any mail is sent: certificate checks are
/// always on and STARTTLS is required (`CURLUSESSL_ALL`), so none of these ever falls back to
/// plain text.
public enum TLSFailure: String, Sendable, Equatable, CaseIterable {
    /// The certificate chain does not lead to a trusted CA (`ca_file`, or the system store).
    case untrustedCertificate
    /// The server's certificate (or one in its chain) has expired.
    case expiredCertificate
    /// The server's certificate is not valid yet.
    case certificateNotYetValid
    /// The certificate is not issued for the host name or address in the URL.
    case hostNameMismatch
    /// `tls: starttls` was configured and the server does not offer STARTTLS.
    case startTLSNotOffered
    /// The configured CA file cannot be read or holds no certificate.
    case caFileUnusable
    /// Any other handshake or verification failure.
    case handshakeFailed

    /// A sentence for operators, naming what to check.
    public var explanation: String {
        switch self {
        case .untrustedCertificate:
            "the server's certificate is not signed by a trusted CA (check ca_file or the system CA store)"
        case .expiredCertificate: "the server's certificate has expired"
        case .certificateNotYetValid: "the server's certificate is not valid yet (check the clocks)"
        case .hostNameMismatch: "the server's certificate is not issued for this host name"
        case .startTLSNotOffered:
            "the server does not offer STARTTLS, which tls: starttls requires; nothing was sent in clear"
        case .caFileUnusable: "the CA file cannot be read or holds no certificate"
        case .handshakeFailed: "the TLS handshake failed"
        }
    }

    /// Classifies a `.tlsFailed` code (libcurl's number) and message (strerror and error buffer).
    static func classify(code: Int, message: String) -> TLSFailure {
        let text = message.lowercased()
        switch code {
        case 64: return .startTLSNotOffered  // CURLE_USE_SSL_FAILED
        case 77: return .caFileUnusable  // CURLE_SSL_CACERT_BADFILE
        default: break
        }
        // OpenSSL's verify texts (X509_verify_cert_error_string) and libcurl's host check.
        if text.contains("has expired") { return .expiredCertificate }
        if text.contains("not yet valid") { return .certificateNotYetValid }
        if text.contains("subject name") || text.contains("does not match target host")
            || text.contains("hostname mismatch")
        {
            return .hostNameMismatch
        }
        if text.contains("issuer certificate") || text.contains("self-signed") || text.contains("self signed")
            || text.contains("unable to verify the first certificate") || text.contains("certificate chain")
        {
            return .untrustedCertificate
        }
        return .handshakeFailed
    }
}
