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

    /// Creates a summary.
    public init(filename: String, contentType: String, size: Int, sha256: String) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
    }
}
