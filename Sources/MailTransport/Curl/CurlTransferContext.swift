/// The per-handle sink the C callbacks write into; reached through `Unmanaged` userdata.
///
/// It lives as long as its ``CurlEasy`` (which passes it unretained to libcurl), including
/// during `curl_easy_cleanup`, when libcurl may still deliver the reply to LOGOUT/QUIT.
final class CurlTransferContext {
    /// Bytes from the write callback: a URL fetch's literal, or a custom command's untagged lines.
    var body: [UInt8] = []
    /// The most body bytes accepted; more aborts the transfer (`CURLE_WRITE_ERROR`).
    var bodyLimit: Int?
    /// Whether the transfer was aborted because the body went past ``bodyLimit``.
    var bodyLimitExceeded = false
    /// Every byte libcurl offered to the write callback, including refused ones.
    var bodyBytesOffered = 0
    /// Every response line libcurl saw during the transfer (header callback), without CRLF.
    var headerLines: [String] = []
    /// The bytes to upload (APPEND literal or SMTP DATA).
    var upload: [UInt8] = []
    /// How many upload bytes were handed to libcurl.
    var uploadOffset = 0
    /// Asked once, before the first upload byte: `false` aborts the transfer unsent.
    var uploadGate: ((CurlTransferContext) -> Bool)?
    /// Whether ``uploadGate`` refused the upload.
    var uploadRefused = false
    /// The awaiting task's cancellation flag, polled from the progress callback.
    var cancellation: CancellationToken?

    /// Clears everything before a transfer.
    func reset() {
        body = []
        bodyLimit = nil
        bodyLimitExceeded = false
        bodyBytesOffered = 0
        headerLines = []
        upload = []
        uploadOffset = 0
        uploadGate = nil
        uploadRefused = false
        cancellation = nil
    }

    /// Appends write-callback bytes; returns `false` when that would exceed ``bodyLimit``.
    func receive(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bodyBytesOffered += bytes.count
        if let bodyLimit, body.count + bytes.count > bodyLimit {
            bodyLimitExceeded = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Records one header-callback line.
    func receiveHeader(_ bytes: UnsafeBufferPointer<UInt8>) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        headerLines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self))
    }

    /// Fills `buffer` with the next upload bytes; `nil` means "abort" (gate refused).
    func nextUploadChunk(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        if uploadOffset == 0, let gate = uploadGate {
            uploadGate = nil
            if !gate(self) {
                uploadRefused = true
                return nil
            }
        }
        let count = min(buffer.count, upload.count - uploadOffset)
        guard count > 0 else { return 0 }
        upload.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[uploadOffset..<uploadOffset + count]))
        }
        uploadOffset += count
        return count
    }
}
