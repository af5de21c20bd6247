import CCurl

/// libcurl's process-wide state: `curl_global_init` runs exactly once, on first use.
enum CurlGlobal {
    /// The oldest libcurl accepted at run time: 7.79.0 fixed CVE-2021-22946 (required TLS not
    /// enforced for IMAP) and CVE-2021-22947 (STARTTLS response injection).
    static let minimumVersion: UInt32 = 0x07_4F_00

    /// The result of the one `curl_global_init` call (a `static let` is initialised once,
    /// thread-safely, by the Swift runtime).
    private static let initialization: Result<CurlVersion, TransportError> = {
        let code = curl_global_init(Int(CURL_GLOBAL_ALL))
        guard code == CURLE_OK else {
            return .failure(.libcurlUnavailable(reason: "curl_global_init failed: \(CurlEasy.describe(code))"))
        }
        let version = CurlVersion.current
        guard version.number >= minimumVersion else {
            return .failure(
                .libcurlUnavailable(reason: "libcurl \(version.text) is older than 7.79.0 (STARTTLS CVE fixes)")
            )
        }
        for scheme in ["imap", "imaps", "smtp", "smtps"] where !version.protocols.contains(scheme) {
            return .failure(.libcurlUnavailable(reason: "libcurl \(version.text) lacks the \(scheme) protocol"))
        }
        return .success(version)
    }()

    /// Initialises libcurl if that has not happened yet and returns its version.
    ///
    /// - Throws: ``TransportError/libcurlUnavailable(reason:)`` when libcurl cannot be used.
    @discardableResult
    static func initialize() throws(TransportError) -> CurlVersion {
        try initialization.get()
    }
}

/// What `curl_version_info` reports about the libcurl in use.
struct CurlVersion: Sendable {
    /// `LIBCURL_VERSION_NUM` of the running library, e.g. `0x075801` for 7.88.1.
    var number: UInt32
    /// The version as text, e.g. `7.88.1`.
    var text: String
    /// The protocols the library supports, lowercased.
    var protocols: Set<String>

    /// The running library's version.
    static var current: CurlVersion {
        guard let info = ccurl_version_info() else {
            return CurlVersion(number: 0, text: "unknown", protocols: [])
        }
        let text = info.pointee.version.map { String(cString: $0) } ?? "unknown"
        var protocols: Set<String> = []
        if var cursor = info.pointee.protocols {
            while let name = cursor.pointee {
                protocols.insert(String(cString: name).lowercased())
                cursor += 1
            }
        }
        return CurlVersion(number: info.pointee.version_num, text: text, protocols: protocols)
    }
}
