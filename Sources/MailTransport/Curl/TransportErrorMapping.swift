import CCurl

/// Maps the libcurl codes that mean the same for IMAP and SMTP.
enum TransportErrorMapping {
    /// TLS handshake, certificate and "STARTTLS required but not offered" codes.
    static let tlsCodes: Set<UInt32> = [
        CURLE_SSL_CONNECT_ERROR, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CERTPROBLEM,
        CURLE_SSL_CIPHER, CURLE_PEER_FAILED_VERIFICATION, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_INITFAILED,
        CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// Codes that mean "no usable connection".
    static let connectionCodes: Set<UInt32> = [
        CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR,
        CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// The error for a failed transfer whose code needs no protocol knowledge.
    static func map(_ transfer: CurlTransfer, server: String, message: String) -> TransportError {
        let code = transfer.code.rawValue
        if tlsCodes.contains(code) {
            return .tlsFailed(server: server, code: transfer.number, message: message)
        }
        if connectionCodes.contains(code) {
            return .connectionFailed(server: server, code: transfer.number, message: message)
        }
        if transfer.code == CURLE_OPERATION_TIMEDOUT {
            return .timedOut(server: server, code: transfer.number, message: message)
        }
        if transfer.code == CURLE_WEIRD_SERVER_REPLY {
            return .protocolViolation(server: server, detail: "libcurl \(transfer.number): \(message)")
        }
        return .transferFailed(server: server, code: transfer.number, message: message)
    }
}
