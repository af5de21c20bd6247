/// One IMAP transfer: which URL, which custom command, what to upload, how to read the reply.
struct IMAPRequest {
    /// The URL path after `scheme://host:port`.
    enum Path {
        /// `/`: no mailbox, so libcurl selects nothing (STATUS, CREATE, LIST, CAPABILITY).
        case server
        /// `/MAILBOX[;UIDVALIDITY=v]`: libcurl SELECTs the mailbox unless it already is selected.
        case mailbox(IMAPMailboxName, uidValidity: UInt32? = nil)
        /// `/MAILBOX;UIDVALIDITY=v/;UID=n`: `UID FETCH n BODY[]`, the literal to the write callback.
        case message(IMAPMailboxName, uidValidity: UInt32, uid: UInt32)

        /// The path as it goes into the URL.
        var urlPath: String {
            switch self {
            case .server: "/"
            case .mailbox(let name, let uidValidity):
                "/" + name.urlPath + (uidValidity.map { ";UIDVALIDITY=\($0)" } ?? "")
            case .message(let name, let uidValidity, let uid): "/\(name.urlPath);UIDVALIDITY=\(uidValidity)/;UID=\(uid)"
            }
        }
    }

    /// The custom request (`CURLOPT_CUSTOMREQUEST`), or `nil` for the URL's own operation.
    var command: String?
    /// The command's name for error messages (never its arguments' data).
    var verb: String
    /// The mailbox concerned, for messages.
    var mailbox: IMAPMailboxName?
    /// The UID concerned, for messages and error mapping.
    var uid: UInt32?
    /// The URL path.
    var path: Path = .server
    /// The UIDVALIDITY the URL carries, for mapping libcurl's code 78.
    var uidValidity: UInt32?
    /// Whether the write callback receives a message (not response lines).
    var bodyIsMessage = false
    /// The announced message size: the write callback refuses more.
    var expectedSize: Int?
    /// Bytes to APPEND.
    var upload: [UInt8]?
}
