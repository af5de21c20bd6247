/// A person or role address named in a statement: `Name <address>` or a bare address.
public struct Contact: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The display name, if one was given.
    public var name: String?
    /// The mailbox address (`local@domain`).
    public var address: String

    /// Creates a contact.
    public init(name: String? = nil, address: String) {
        self.name = name?.isEmpty == true ? nil : name
        self.address = address
    }

    /// The address's domain, lowercased, or `nil` when it has none.
    public var domain: String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...]
        return domain.isEmpty ? nil : domain.lowercased()
    }

    /// `Name <address>`, or the bare address when there is no name.
    public var description: String {
        if let name { "\(name) <\(address)>" } else { address }
    }
}
