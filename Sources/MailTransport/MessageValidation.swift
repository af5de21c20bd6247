/// Checks on outgoing bytes, done before anything reaches libcurl.
enum MessageValidation {
    /// Verifies that every line of `message` ends with CRLF and that it holds no NUL.
    ///
    /// libcurl's SMTP dot-stuffing only recognises `CRLF "."`: a bare LF before a `.` line would
    /// end the DATA early or lose the dot (SMTP smuggling, silent truncation). IMAP APPEND sends
    /// the bytes unchanged and needs CRLF too.
    ///
    /// - Throws: ``TransportError/invalidMessage(offset:reason:)`` at the first offending byte.
    static func requireCanonicalLineEndings(_ message: [UInt8]) throws(TransportError) {
        let problem: (Int, String)? = message.withUnsafeBufferPointer { bytes in
            let cr = UInt8(ascii: "\r")
            let lf = UInt8(ascii: "\n")
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte > cr {
                    index += 1
                    continue
                }
                if byte == cr {
                    guard index + 1 < count, bytes[index + 1] == lf else { return (index, "bare CR") }
                    index += 2
                    continue
                }
                if byte == lf { return (index, "bare LF (lines must end with CRLF)") }
                if byte == 0 { return (index, "NUL byte") }
                index += 1
            }
            return nil
        }
        if let (offset, reason) = problem {
            throw .invalidMessage(offset: offset, reason: reason)
        }
    }
}
