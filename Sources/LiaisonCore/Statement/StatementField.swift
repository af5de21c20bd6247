/// The fields of a liaison statement, used to say which are missing and where each came from.
public enum StatementField: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case title
    case submissionDate = "submission-date"
    case from
    case fromContact = "from-contact"
    case to
    case cc
    case responseContacts = "response-contacts"
    case technicalContacts = "technical-contacts"
    case purpose
    case deadline
    case body
    case identifiers

    public var description: String { rawValue }
}

/// Where a field's value was read, so that a person can check it.
public struct FieldSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The place a value was read from.
    public enum Origin: String, Sendable, Codable {
        /// A header field of the message (e.g. `Subject`).
        case header
        /// A line of the message's text body.
        case body
        /// Text of an attachment.
        case attachment
        /// Derived from other fields or the configuration (e.g. sender domain → organization).
        case derived
    }

    /// The kind of place.
    public var origin: Origin
    /// The header name, the body line number (1-based) or the attachment name.
    public var location: String
    /// How sure the extractor is, from 0 to 1.
    public var confidence: Double

    /// Creates a source.
    public init(origin: Origin, location: String, confidence: Double) {
        self.origin = origin
        self.location = location
        self.confidence = confidence
    }

    /// `body line 4 (0.95)`.
    public var description: String {
        "\(origin.rawValue) \(location) (\(confidence))"
    }
}
