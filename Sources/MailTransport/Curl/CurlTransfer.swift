import CCurl

/// The outcome of one `curl_easy_perform`, with everything needed to interpret it.
///
/// libcurl overloads its codes (67 is a bad password and a failed SELECT, 78 is a UIDVALIDITY
/// change and a missing UID), so the error buffer and the response lines travel with the code.
struct CurlTransfer {
    /// The libcurl result code.
    var code: CURLcode
    /// `curl_easy_strerror(code)`.
    var codeText: String
    /// The `CURLOPT_ERRORBUFFER` text; empty when libcurl left none.
    var errorText: String
    /// The write-callback bytes.
    var body: [UInt8]
    /// The header-callback lines (every server response line of the transfer), without CRLF.
    var headerLines: [String]
    /// `CURLINFO_NUM_CONNECTS`: new connections this transfer made (0 when it reused one).
    var newConnections: Int
    /// `CURLINFO_RESPONSE_CODE`: the last SMTP reply code (0 for IMAP).
    var responseCode: Int
    /// Whether the body limit cut the transfer short.
    var bodyLimitExceeded: Bool
    /// The bytes libcurl offered to the write callback, including any it refused.
    var bodyBytesOffered: Int
    /// Whether the upload gate refused to send.
    var uploadRefused: Bool

    /// Whether libcurl reported success.
    var succeeded: Bool { code == CURLE_OK }

    /// The code as a plain number, for messages.
    var number: Int { Int(code.rawValue) }

    /// "strerror: error buffer", or just the strerror text when the buffer is empty or repeats it.
    var message: String {
        if errorText.isEmpty || errorText == codeText { return codeText }
        return "\(codeText): \(errorText)"
    }
}
