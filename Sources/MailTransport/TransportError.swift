/// Everything that can go wrong in `MailTransport` apart from the ``MailSourceError`` cases the
/// intake pipeline handles specifically.
///
/// Messages name the server (`scheme://host:port`), the mailbox, UID or address involved and,
/// for libcurl failures, the libcurl code with its text and the server's last reply. They never
/// contain a password: the values come from the configuration (which keeps the password out of
/// URLs) and from server replies, and are scrubbed of the configured password as well.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value cannot be used; the text names the field.
    case invalidConfiguration(String)
    /// The libcurl in use is too old or lacks a protocol.
    case libcurlUnavailable(reason: String)
    /// An envelope address contains characters that could alter the SMTP dialogue (CR, LF, NUL,
    /// space, `<`, `>`, other controls) or is not of the form `local@domain`.
    case invalidAddress(String)
    /// The message is not canonical wire format: the byte at `offset` is a bare CR, a bare LF or
    /// a NUL. Nothing was sent.
    case invalidMessage(offset: Int, reason: String)
    /// A mailbox name is empty or contains control characters.
    case invalidMailboxName(String)
    /// No connection could be made (refused, unreachable, DNS, connect timeout, dropped).
    case connectionFailed(server: String, code: Int, message: String)
    /// A transfer made no progress within the configured time.
    case timedOut(server: String, code: Int, message: String)
    /// The TLS handshake or certificate verification failed, or the server does not offer
    /// STARTTLS while it is required.
    case tlsFailed(server: String, code: Int, message: String)
    /// The server refused the credentials.
    case authenticationFailed(server: String, username: String, code: Int, message: String)
    /// Credentials are configured but the server did not offer authentication (for SMTP this is
    /// detected before any message data is sent, and the transaction is abandoned).
    case authenticationNotOffered(server: String)
    /// The mailbox cannot be selected (it does not exist, or access is denied).
    case mailboxUnavailable(server: String, mailbox: String, response: String)
    /// The server answered a command with NO or BAD (IMAP) or an unexpected reply.
    case commandFailed(server: String, command: String, mailbox: String?, uid: UInt32?, response: String)
    /// The server lacks an extension the operation needs.
    case missingCapability(server: String, capability: String)
    /// The server's reply could not be understood; the text says what was expected.
    case protocolViolation(server: String, detail: String)
    /// Any other libcurl failure.
    case transferFailed(server: String, code: Int, message: String)
    /// Reading message `uid` failed part-way (the connection was cut, timed out or answered
    /// nonsense): `reason` is that error's description. Nothing of the message was returned.
    case fetchFailed(mailbox: String, uid: UInt32, reason: String)

    /// A one-line explanation naming what was involved; never a secret.
    public var description: String {
        switch self {
        case .invalidConfiguration(let text):
            "invalid mail transport configuration: \(text)"
        case .libcurlUnavailable(let reason):
            "libcurl cannot be used: \(reason)"
        case .invalidAddress(let address):
            "invalid envelope address \(Self.quoted(address)): refused before anything was sent"
        case .invalidMessage(let offset, let reason):
            "message refused before sending: \(reason) at byte offset \(offset)"
        case .invalidMailboxName(let name):
            "invalid mailbox name \(Self.quoted(name))"
        case .connectionFailed(let server, let code, let message):
            "\(server): connection failed (libcurl \(code): \(message))"
        case .timedOut(let server, let code, let message):
            "\(server): timed out (libcurl \(code): \(message))"
        case .tlsFailed(let server, let code, let message):
            "\(server): TLS failed, connection closed: "
                + "\(TLSFailure.classify(code: code, message: message).explanation) (libcurl \(code): \(message))"
        case .authenticationFailed(let server, let username, let code, let message):
            "\(server): authentication failed for user \(Self.quoted(username)) (libcurl \(code): \(message))"
        case .authenticationNotOffered(let server):
            "\(server): credentials are configured but the server offers no authentication; nothing was sent"
        case .mailboxUnavailable(let server, let mailbox, let response):
            "\(server): mailbox \(Self.quoted(mailbox)) cannot be selected: \(response)"
        case .commandFailed(let server, let command, let mailbox, let uid, let response):
            "\(server): \(command)"
                + (mailbox.map { " in mailbox \(Self.quoted($0))" } ?? "")
                + (uid.map { " for UID \($0)" } ?? "")
                + " failed: \(response)"
        case .missingCapability(let server, let capability):
            "\(server): the server lacks the \(capability) capability"
        case .protocolViolation(let server, let detail):
            "\(server): unexpected reply: \(detail)"
        case .transferFailed(let server, let code, let message):
            "\(server): transfer failed (libcurl \(code): \(message))"
        case .fetchFailed(let mailbox, let uid, let reason):
            "message UID \(uid) of mailbox \(Self.quoted(mailbox)) could not be read completely, so nothing of it "
                + "was recorded or moved; the next poll fetches it again: \(reason)"
        }
    }

    /// This error as it happened while fetching message `uid` of `mailbox`: a dropped
    /// connection, a timeout, a failed transfer or an unexpected reply becomes
    /// ``fetchFailed(mailbox:uid:reason:)`` (naming the message); anything else is unchanged.
    func duringFetch(mailbox: String, uid: UInt32) -> TransportError {
        switch self {
        case .connectionFailed, .timedOut, .transferFailed, .protocolViolation:
            .fetchFailed(mailbox: mailbox, uid: uid, reason: description)
        default:
            self
        }
    }

    /// Why TLS failed, for a ``tlsFailed(server:code:message:)``; `nil` for every other error.
    public var tlsFailure: TLSFailure? {
        guard case .tlsFailed(_, let code, let message) = self else { return nil }
        return TLSFailure.classify(code: code, message: message)
    }

    /// Quotes a value for a message, with control characters made visible.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
