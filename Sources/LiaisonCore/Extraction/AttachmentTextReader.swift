/// What reading an attachment gave: its text, or why there is none.
public struct AttachmentText: Sendable, Equatable {
    /// The document text, lines separated by `\n`; `nil` when it could not be read or the
    /// attachment is not a document.
    public var text: String?
    /// What went wrong, one sentence each (a zip-bomb limit, an unsupported format, a damaged
    /// file). Not empty whenever a document could not be read completely.
    public var problems: [String]

    /// Creates a result.
    public init(text: String?, problems: [String] = []) {
        self.text = text
        self.problems = problems
    }

    /// The text of a document that was read completely.
    public static func text(_ text: String) -> AttachmentText {
        AttachmentText(text: text)
    }

    /// A document that could not be read, and why.
    public static func unread(reason: String) -> AttachmentText {
        AttachmentText(text: nil, problems: [reason])
    }

    /// Not a document (an image, a signature, a calendar entry): nothing to read, nothing wrong.
    public static let notADocument = AttachmentText(text: nil)
}

/// Turns attachment bytes into text (`.docx`, `.zip` of `.docx`, `.pdf`, `.txt`, `.html`).
///
/// A port: `LiaisonCore` does no I/O and reads no archive itself; the `LiaisonDocuments` module
/// implements it. Implementations must never trap on hostile input: every limit hit or damaged
/// file is a problem in the result.
public protocol AttachmentTextReader: Sendable {
    /// Reads one attachment's decoded bytes.
    func read(_ bytes: [UInt8], filename: String, contentType: String) -> AttachmentText
}
