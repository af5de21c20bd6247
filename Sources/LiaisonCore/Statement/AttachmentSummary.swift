/// What Liaison records about one attachment of a statement.
public struct AttachmentSummary: Sendable, Hashable, Codable {
    /// The file name as sent (decoded), or a generated one when it had none.
    public var filename: String
    /// The MIME type, lowercased, e.g. `application/vnd.openxmlformats-officedocument.wordprocessingml.document`.
    public var contentType: String
    /// The decoded size in bytes.
    public var size: Int
    /// The SHA-256 of the decoded bytes, lowercase hex.
    public var sha256: String
    /// Whether its text was read (and searched for the statement's fields).
    public var read: Bool
    /// Why its text was not (fully) read: unsupported format, a zip-bomb limit, a damaged file…
    /// `nil` when it was read, or when it is not a document (an image, a signature).
    public var unreadReason: String?

    /// Creates a summary.
    public init(filename: String, contentType: String, size: Int, sha256: String, read: Bool = false, unreadReason: String? = nil) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.read = read
        self.unreadReason = unreadReason
    }

    private enum CodingKeys: String, CodingKey {
        case filename, contentType, size, sha256, read, unreadReason
    }

    /// Decodes a summary; `read` and `unreadReason` are absent from statements recorded before they existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        filename = try container.decode(String.self, forKey: .filename)
        contentType = try container.decode(String.self, forKey: .contentType)
        size = try container.decode(Int.self, forKey: .size)
        sha256 = try container.decode(String.self, forKey: .sha256)
        read = try container.decodeIfPresent(Bool.self, forKey: .read) ?? false
        unreadReason = try container.decodeIfPresent(String.self, forKey: .unreadReason)
    }
}
