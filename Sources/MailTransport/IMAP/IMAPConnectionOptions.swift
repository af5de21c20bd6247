import CCurl

/// The connection options every IMAP handle gets: protocols, credentials, TLS and timeouts.
///
/// The IDLE watcher's raw connection (``IMAPIdleSession``) uses exactly the settings of the
/// polling session (``IMAPSession``), so a configuration that is refused or verified one way is
/// refused or verified the same way for both: STARTTLS required (`CURLUSESSL_ALL`) unless
/// `tls: none`, peer and host verification always on, TLS 1.2 at least, the configured CA file.
enum IMAPConnectionOptions {
    /// Sets the shared options on `easy`.
    static func apply(to easy: CurlEasy, _ configuration: IMAPConfiguration) throws(TransportError) {
        try easy.set(CURLOPT_PROTOCOLS_STR, "imap,imaps")
        try easy.set(CURLOPT_USERNAME, configuration.username)
        try easy.set(CURLOPT_PASSWORD, configuration.password)
        let useSSL = configuration.tls == .none ? CURLUSESSL_NONE : CURLUSESSL_ALL
        try easy.set(CURLOPT_USE_SSL, Int(useSSL.rawValue))
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        try easy.set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        if let caFile = configuration.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
        try easy.set(CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedTime.curlSeconds)
        try easy.set(CURLOPT_MAXCONNECTS, 1)
        try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
    }
}
