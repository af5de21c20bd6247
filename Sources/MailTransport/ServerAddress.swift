/// The parsed `scheme://host[:port][/path]` of a configured server URL.
///
/// Credentials, queries and fragments are refused: URLs end up in logs and error messages, so
/// user names and passwords go through their own options.
struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    /// The lowercased scheme, e.g. `imaps`.
    var scheme: String
    /// The host name or IP address; IPv6 addresses without brackets.
    var host: String
    /// The port, the scheme's default when the URL has none.
    var port: Int
    /// The path after the authority, without the leading `/`; empty when absent.
    var path: String

    /// `scheme://host:port`, for messages and as the base of request URLs.
    var description: String { "\(scheme)://\(hostForURL):\(port)" }

    /// The host as it appears in a URL (IPv6 in brackets).
    var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    /// Whether the host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    var isLoopback: Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" || lower.hasSuffix(".localhost") { return true }
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in UInt8(part).map { _ in true } ?? false }
    }

    /// Parses `url`, accepting only `schemes` (lowercase scheme → default port).
    ///
    /// - Parameter field: the configuration field name, for the error message.
    /// - Throws: ``TransportError/invalidConfiguration(_:)`` naming the problem.
    init(parsing url: String, schemes: [String: Int], field: String) throws(TransportError) {
        func fail(_ problem: String) -> TransportError {
            .invalidConfiguration("\(field): \(problem) (got \(TransportError.quoted(Self.withoutUserinfo(url))))")
        }
        guard url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw fail("the URL must be printable ASCII without spaces")
        }
        guard let separator = url.firstRange(of: "://") else { throw fail("expected scheme://host:port") }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard let defaultPort = schemes[scheme] else {
            throw fail("the scheme must be one of \(schemes.keys.sorted().joined(separator: ", "))")
        }
        var rest = url[separator.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else { throw fail("queries and fragments are not allowed") }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        guard !rest.contains("@") else {
            throw fail("credentials do not belong in the URL; use the username and password settings")
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("unterminated IPv6 address") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw fail("the host is missing") }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { throw fail("invalid port") }
            port = value
        }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.path = path
    }

    /// The URL with anything before an `@` in the authority replaced, for error messages.
    private static func withoutUserinfo(_ url: String) -> String {
        guard let separator = url.firstRange(of: "://") else { return url }
        let authorityEnd = url[separator.upperBound...].firstIndex(of: "/") ?? url.endIndex
        guard let at = url[separator.upperBound..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<separator.upperBound]) + "<credentials>" + String(url[at...])
    }
}
