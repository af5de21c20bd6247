/// How to reach the SMTP submission server.
///
/// The password, if any, goes to libcurl through `CURLOPT_PASSWORD` only; ``description``,
/// ``debugDescription`` and the mirror redact it.
public struct SMTPConfiguration: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// `smtp://host[:port]` (STARTTLS or plain) or `smtps://host[:port]` (implicit TLS). A path, if
    /// present, is the EHLO name unless ``heloName`` is set.
    public var url: String
    /// How the connection is protected; see ``TLSMode``.
    public var tls: TLSMode
    /// A PEM file of CA certificates to trust instead of the system store.
    public var caFile: String?
    /// The login name; `nil` to send without authentication.
    public var username: String?
    /// The password; required with ``username``. Redacted from every description.
    public var password: String?
    /// Allows credentials over a connection without TLS, and only to a loopback host.
    public var allowPlaintextAuthenticationOnLoopback: Bool
    /// Allows credentials over a connection without TLS to any host (the configuration's
    /// `allow_plaintext: true`). Without this or ``allowPlaintextAuthenticationOnLoopback`` (for a
    /// loopback host), credentials with ``TLSMode/none`` are refused before anything connects.
    public var allowPlaintextAuthentication: Bool
    /// The name sent with EHLO; `nil` uses the URL path, or else the local host name.
    public var heloName: String?
    /// The longest a connection (TCP, TLS and AUTH) may take.
    public var connectTimeout: Duration
    /// The longest one message transaction may take.
    public var transferTimeout: Duration
    /// A transfer slower than this many bytes per second for ``lowSpeedTime`` is aborted.
    public var lowSpeedLimit: Int
    /// How long a transfer may stay below ``lowSpeedLimit``.
    public var lowSpeedTime: Duration

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - tls: must match the scheme: ``TLSMode/implicit`` with `smtps://`, ``TLSMode/starttls``
    ///     or ``TLSMode/none`` with `smtp://`. There is no default, so plain text is always a choice.
    public init(
        url: String,
        tls: TLSMode,
        caFile: String? = nil,
        username: String? = nil,
        password: String? = nil,
        allowPlaintextAuthenticationOnLoopback: Bool = false,
        allowPlaintextAuthentication: Bool = false,
        heloName: String? = nil,
        connectTimeout: Duration = .seconds(30),
        transferTimeout: Duration = .seconds(600),
        lowSpeedLimit: Int = 1024,
        lowSpeedTime: Duration = .seconds(60)
    ) {
        self.url = url
        self.tls = tls
        self.caFile = caFile
        self.username = username
        self.password = password
        self.allowPlaintextAuthenticationOnLoopback = allowPlaintextAuthenticationOnLoopback
        self.allowPlaintextAuthentication = allowPlaintextAuthentication
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.transferTimeout = transferTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
    }

    /// The settings with the password replaced by `<redacted>`.
    public var description: String {
        "SMTPConfiguration(url: \(url), tls: \(tls.rawValue), caFile: \(caFile ?? "system"), "
            + "username: \(username ?? "none"), password: \(password == nil ? "none" : "<redacted>"), "
            + "heloName: \(heloName ?? "default"))"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the password.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "url": url, "tls": tls, "caFile": caFile as Any, "username": username as Any,
                "password": password == nil ? "none" : "<redacted>",
                "allowPlaintextAuthenticationOnLoopback": allowPlaintextAuthenticationOnLoopback,
                "allowPlaintextAuthentication": allowPlaintextAuthentication,
                "heloName": heloName as Any, "connectTimeout": connectTimeout, "transferTimeout": transferTimeout,
                "lowSpeedLimit": lowSpeedLimit, "lowSpeedTime": lowSpeedTime,
            ],
            displayStyle: .struct
        )
    }

    /// Whether credentials are configured.
    var authenticates: Bool { username != nil }

    /// Checks the settings; returns the server and the EHLO name to use.
    func validated() throws(TransportError) -> (server: ServerAddress, helo: String?) {
        let address = try ServerAddress(parsing: url, schemes: ["smtp": 25, "smtps": 465], field: "smtp url")
        switch (tls, address.scheme) {
        case (.implicit, "smtps"), (.starttls, "smtp"), (.none, "smtp"): break
        case (.implicit, _): throw .invalidConfiguration("smtp tls: implicit TLS needs an smtps:// URL")
        default:
            throw .invalidConfiguration("smtp tls: \(tls.rawValue) needs an smtp:// URL (smtps:// is implicit TLS)")
        }
        switch (username, password) {
        case (nil, nil): break
        case (let user?, let password?):
            guard !user.isEmpty else { throw .invalidConfiguration("smtp username: empty") }
            for (field, value) in [("username", user), ("password", password)]
            where value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                throw .invalidConfiguration("smtp \(field): contains control characters")
            }
            if tls == .none, !allowPlaintextAuthentication {
                guard allowPlaintextAuthenticationOnLoopback else {
                    throw .invalidConfiguration(
                        "smtp tls: none would send the password in clear to \(address.host); credentials need TLS "
                            + "(starttls or implicit) unless plain-text authentication is explicitly allowed "
                            + "(allow_plaintext: true)")
                }
                guard address.isLoopback else {
                    throw .invalidConfiguration(
                        "smtp tls: credentials without TLS are only allowed to a loopback host, not \(address.host)")
                }
            }
        default:
            throw .invalidConfiguration("smtp username and password must be set together")
        }
        if let caFile, caFile.isEmpty { throw .invalidConfiguration("smtp caFile: empty path") }
        guard connectTimeout > .zero, transferTimeout > .zero, lowSpeedTime > .zero, lowSpeedLimit >= 0 else {
            throw .invalidConfiguration("smtp timeouts must be positive")
        }
        let helo = heloName ?? (address.path.isEmpty ? nil : address.path)
        if let helo {
            let isLiteral = helo.hasPrefix("[") && helo.hasSuffix("]")
            let allowed = helo.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
                    true
                case UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"): isLiteral
                default: false
                }
            }
            guard !helo.isEmpty, helo.utf8.count <= 255, allowed else {
                throw .invalidConfiguration("smtp heloName: \(TransportError.quoted(helo)) is not a host name")
            }
        }
        return (address, helo)
    }
}
