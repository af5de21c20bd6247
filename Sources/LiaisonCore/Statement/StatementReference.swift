/// The reference number Liaison gives each recorded statement, e.g. `LS-2026-0007`.
///
/// It appears in the subject of every mail about the statement, so replies find it again.
public struct StatementReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The configured prefix, `LS` by default.
    public var prefix: String
    /// The year the statement was recorded.
    public var year: Int
    /// The sequence number within the year, from 1.
    public var number: Int

    /// Creates a reference.
    public init(prefix: String = "LS", year: Int, number: Int) {
        self.prefix = prefix
        self.year = year
        self.number = number
    }

    /// Parses `PREFIX-YYYY-NNNN` (at least four digits of sequence number).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter && $0.isASCII }),
            parts[1].count == 4, let year = Int(parts[1]), parts[2].count >= 4, let number = Int(parts[2]),
            number > 0
        else { return nil }
        self.init(prefix: String(parts[0]), year: year, number: number)
    }

    /// `LS-2026-0007`.
    public var description: String {
        let digits = String(number)
        return "\(prefix)-\(year)-\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let reference = StatementReference(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a statement reference: \(text)"))
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
