/// How to reach one IMAP mailbox.
///
/// The password is a plain `String` the caller read from a file or a credential store; it is
/// passed to libcurl through `CURLOPT_PASSWORD` only, never put in a URL, a log line or an error,
/// and ``description``, ``debugDescription`` and the mirror redact it.
public struct IMAPConfiguration: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// `imap://host[:port]` (STARTTLS or plain) or `imaps://host[:port]` (implicit TLS).
    public var url: String
    /// The mailbox to poll, e.g. `INBOX` (Unicode; encoded to modified UTF-7 on the wire).
    public var mailbox: String
    /// The login name.
    public var username: String
    /// The password. Redacted from every description.
    public var password: String
    /// How the connection is protected; see ``TLSMode``.
    public var tls: TLSMode
    /// A PEM file of CA certificates to trust instead of the system store.
    public var caFile: String?
    /// Allows ``TLSMode/none``, which sends the password in clear. Without it a `.none`
    /// configuration is refused before anything connects, whatever the host.
    public var allowPlaintextAuthentication: Bool
    /// The longest a connection (TCP, TLS and login) may take.
    public var connectTimeout: Duration
    /// The longest a command may take. Message downloads and uploads are exempt and governed by
    /// the low-speed limit instead, so large messages are not cut off.
    public var transferTimeout: Duration
    /// A transfer slower than this many bytes per second for ``lowSpeedTime`` is aborted.
    public var lowSpeedLimit: Int
    /// How long a transfer may stay below ``lowSpeedLimit``.
    public var lowSpeedTime: Duration

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - tls: must match the scheme: ``TLSMode/implicit`` with `imaps://`, ``TLSMode/starttls``
    ///     or ``TLSMode/none`` with `imap://`. There is no default, so plain text is always a choice.
    ///   - allowPlaintextAuthentication: required for ``TLSMode/none`` (the login is in clear).
    public init(
        url: String,
        mailbox: String = "INBOX",
        username: String,
        password: String,
        tls: TLSMode,
        caFile: String? = nil,
        allowPlaintextAuthentication: Bool = false,
        connectTimeout: Duration = .seconds(30),
        transferTimeout: Duration = .seconds(120),
        lowSpeedLimit: Int = 1024,
        lowSpeedTime: Duration = .seconds(60)
    ) {
        self.url = url
        self.mailbox = mailbox
        self.username = username
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.allowPlaintextAuthentication = allowPlaintextAuthentication
        self.connectTimeout = connectTimeout
        self.transferTimeout = transferTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
    }

    /// The settings with the password replaced by `<redacted>`.
    public var description: String {
        "IMAPConfiguration(url: \(url), mailbox: \(mailbox), username: \(username), password: <redacted>, "
            + "tls: \(tls.rawValue), caFile: \(caFile ?? "system"))"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the password, so `dump` and string interpolation of containers stay clean.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "url": url, "mailbox": mailbox, "username": username, "password": "<redacted>",
                "tls": tls, "caFile": caFile as Any, "allowPlaintextAuthentication": allowPlaintextAuthentication,
                "connectTimeout": connectTimeout,
                "transferTimeout": transferTimeout, "lowSpeedLimit": lowSpeedLimit, "lowSpeedTime": lowSpeedTime,
            ],
            displayStyle: .struct
        )
    }

    /// Checks the settings and parses the URL.
    func validated() throws(TransportError) -> ServerAddress {
        let address = try ServerAddress(parsing: url, schemes: ["imap": 143, "imaps": 993], field: "imap url")
        guard address.path.isEmpty else {
            throw .invalidConfiguration("imap url: name the mailbox in the mailbox setting, not in the URL path")
        }
        switch (tls, address.scheme) {
        case (.implicit, "imaps"), (.starttls, "imap"), (.none, "imap"): break
        case (.implicit, _): throw .invalidConfiguration("imap tls: implicit TLS needs an imaps:// URL")
        default:
            throw .invalidConfiguration("imap tls: \(tls.rawValue) needs an imap:// URL (imaps:// is implicit TLS)")
        }
        if tls == .none, !allowPlaintextAuthentication {
            throw .invalidConfiguration(
                "imap tls: none would send the password in clear to \(address.host) (refused unless plain-text "
                    + "authentication is explicitly allowed: allow_plaintext: true)")
        }
        guard !username.isEmpty else { throw .invalidConfiguration("imap username: empty") }
        for (field, value) in [("username", username), ("password", password)]
        where value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw .invalidConfiguration("imap \(field): contains control characters")
        }
        if let caFile, caFile.isEmpty { throw .invalidConfiguration("imap caFile: empty path") }
        guard connectTimeout > .zero, transferTimeout > .zero, lowSpeedTime > .zero, lowSpeedLimit >= 0 else {
            throw .invalidConfiguration("imap timeouts must be positive")
        }
        _ = try IMAPMailboxName(mailbox)
        return address
    }
}

extension Duration {
    /// Whole milliseconds, at least 1, for libcurl's `_MS` options.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// Whole seconds, at least 1.
    var curlSeconds: Int { max(1, Int(components.seconds)) }
}
