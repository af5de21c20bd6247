/// How a connection is protected. Certificate and host-name verification are always on.
public enum TLSMode: String, Sendable, Equatable, CaseIterable {
    /// Plain connection upgraded with STARTTLS, which is required (`CURLUSESSL_ALL`): a server
    /// that does not offer it makes the connection fail instead of continuing in the clear.
    case starttls
    /// TLS from the first byte (`imaps://`, `smtps://`).
    case implicit
    /// No TLS at all. Only used when explicitly chosen.
    case none
}
