/// The fields of a liaison statement, used to say which are missing and where each came from.
public enum StatementField: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case title
    case submissionDate = "submission-date"
    case from
    /// The sending groups as written (`ITU-T Study Group 15`, `CT4`).
    case fromGroups = "from-groups"
    case fromContact = "from-contact"
    case to
    case cc
    case responseContacts = "response-contacts"
    case technicalContacts = "technical-contacts"
    case actionHolders = "action-holders"
    case purpose
    case deadline
    case body
    case identifiers
    case inResponseTo = "in-response-to"
    /// The attachments: "missing" when one could not be read, so a person reads it.
    case attachments

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
    /// The header name, the body line (`line 4`), or the attachment name and line (`C4-185491.zip line 7`).
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

/// Why a statement needs a person: one missing or doubtful field and a sentence a liaison manager
/// understands, e.g. `deadline: 'before the next SG15 meeting' is not a date`.
public struct TriageReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field concerned.
    public var field: StatementField
    /// What is wrong, in words.
    public var reason: String

    /// Creates a reason.
    public init(field: StatementField, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `deadline: 'before the next SG15 meeting' is not a date`.
    public var description: String { "\(field.rawValue): \(reason)" }
}

/// A clue to the statement this one answers: an identifier of the other body, a title, a
/// Datatracker URL or a Message-ID. The store looks them up; the extractor only collects them.
public struct ResponseReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of clue it is.
    public enum Kind: String, Sendable, Codable {
        /// An identifier such as `S2-2401234` or `SG15-LS54`.
        case identifier
        /// The title of the earlier statement.
        case title
        /// A Datatracker liaison URL (`https://datatracker.ietf.org/liaison/1590/`).
        case url
        /// A Message-ID from `In-Reply-To` or `References`.
        case messageID = "message-id"
    }

    /// The kind of clue.
    public var kind: Kind
    /// The clue itself.
    public var value: String

    /// Creates a reference.
    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// `identifier S2-2401234`.
    public var description: String { "\(kind.rawValue) \(value)" }
}
