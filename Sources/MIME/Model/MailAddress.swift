/// A mailbox: an addr-spec and an optional display name.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The decoded display name (RFC 2047 words decoded, quotes removed), if any.
    public var displayName: String?
    /// The addr-spec as written, without angle brackets or comments
    /// (`local@domain`; a quoted local part keeps its quotes).
    public var address: String

    /// Creates an address.
    public init(address: String, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }

    /// The part after the last `@`, or `nil` when there is none.
    public var domain: String? {
        guard let at = address.utf8.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        return String(address[address.utf8.index(after: at)...])
    }

    /// The part before the last `@` (the whole address when there is none).
    public var localPart: String {
        guard let at = address.utf8.lastIndex(of: UInt8(ascii: "@")) else { return address }
        return String(address[..<at])
    }

    /// `Name <local@domain>` or `local@domain`, for display (not header syntax).
    public var description: String {
        if let displayName, !displayName.isEmpty { return "\(displayName) <\(address)>" }
        return address
    }

    /// Parses an address list leniently: display names (quoted, with
    /// comments or encoded words), angle addresses, bare addr-specs,
    /// obs-route and groups (flattened into their members). Pieces that are
    /// not addresses are skipped.
    public static func parseList(_ text: String) -> [MailAddress] {
        var defects: [MIMEDefect] = []
        return AddressParser.parseList(Array(text.utf8), defects: &defects)
    }
}
