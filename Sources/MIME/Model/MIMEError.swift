/// Why ``MessageBuilder/build()`` refused to produce a message.
public enum MIMEError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CR, LF or NUL in a value supplied for the named header (header
    /// injection); also used for attachment filenames (`Content-Disposition`).
    case forbiddenCharacter(header: String)
    /// An address that is not a plain addr-spec (`local@domain`, printable
    /// ASCII, no spaces, brackets or controls).
    case invalidAddress(String)
    /// An extra header name that is not printable ASCII without `:` and spaces.
    case invalidHeaderName(String)
    /// An extra header name that the builder writes itself (From, Subject, Content-Type, …).
    case reservedHeader(String)
    /// An attachment content type that is not `type/subtype[; parameters]`.
    case invalidContentType(String)
    /// A message id (Message-ID, In-Reply-To, References) with spaces, brackets or controls.
    case invalidMessageID(String)
    /// A required field was not set (From).
    case missingField(String)
    /// A value that cannot be folded under the 998-octet line limit.
    case lineTooLong(header: String)

    /// A one-line explanation naming the offending header or value.
    public var description: String {
        switch self {
        case .forbiddenCharacter(let h): return "CR, LF or NUL in header \(h)"
        case .invalidAddress(let a): return "invalid address: \(a)"
        case .invalidHeaderName(let n): return "invalid header name: \(n)"
        case .reservedHeader(let n): return "header \(n) is written by the builder"
        case .invalidContentType(let t): return "invalid content type: \(t)"
        case .invalidMessageID(let id): return "invalid message id: \(id)"
        case .missingField(let f): return "missing required field \(f)"
        case .lineTooLong(let h): return "header \(h) cannot be folded under 998 octets"
        }
    }
}
