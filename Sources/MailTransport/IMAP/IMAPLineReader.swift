/// Splits the bytes of a raw IMAP connection into response lines, on bytes.
///
/// A line ends with CRLF (a bare LF is accepted too). A line that ends in a literal announcement
/// (`{n}` or `{n+}`) continues after the `n` literal bytes, so a literal that contains CRLF or
/// text such as `* 5 EXISTS` can never be taken for a response of its own. Used by the IDLE
/// watcher, where libcurl hands over the raw connection and parses nothing.
struct IMAPLineReader {
    /// The longest response (literals included) accepted; longer input is a protocol violation,
    /// so a misbehaving server cannot make the buffer grow without bound.
    let maximumLength: Int
    private var buffer: [UInt8] = []
    /// Where the search for the end of the current line resumes (after any literal).
    private var scanFrom = 0

    /// Creates a reader accepting lines up to `maximumLength` bytes.
    init(maximumLength: Int = 1 << 20) {
        self.maximumLength = maximumLength
    }

    /// Adds bytes received from the connection.
    mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Whether bytes of an incomplete line are waiting.
    var hasPartialLine: Bool { !buffer.isEmpty }

    /// The next complete line without its line ending (literal bytes included as received), or
    /// `nil` when more bytes are needed.
    ///
    /// - Throws: ``IMAPParseError`` when a line or literal exceeds ``maximumLength``.
    mutating func nextLine() throws(IMAPParseError) -> [UInt8]? {
        var index = scanFrom
        while index < buffer.count {
            guard buffer[index] == UInt8(ascii: "\n") else {
                index += 1
                continue
            }
            var end = index
            if end > 0, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if let literal = Self.literalLength(endingAt: end, in: buffer) {
                guard literal <= maximumLength, index + 1 + literal <= maximumLength else {
                    throw IMAPParseError("a literal of \(literal) bytes is longer than \(maximumLength)")
                }
                let literalEnd = index + 1 + literal
                guard literalEnd <= buffer.count else {
                    scanFrom = 0
                    return nil
                }
                index = literalEnd
                continue
            }
            let line = Array(buffer[..<end])
            buffer.removeFirst(index + 1)
            scanFrom = 0
            return line
        }
        guard buffer.count <= maximumLength else {
            throw IMAPParseError("a response line is longer than \(maximumLength) bytes")
        }
        scanFrom = buffer.count
        return nil
    }

    /// The `n` of a `{n}` or `{n+}` that ends right before `end`; `nil` when there is none.
    static func literalLength(endingAt end: Int, in bytes: [UInt8]) -> Int? {
        guard end > 0, bytes[end - 1] == UInt8(ascii: "}") else { return nil }
        var index = end - 2
        if index >= 0, bytes[index] == UInt8(ascii: "+") { index -= 1 }
        var value = 0
        var digits = 0
        var scale = 1
        while index >= 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            guard digits < 10 else { return nil }
            value += Int(bytes[index] - UInt8(ascii: "0")) * scale
            scale *= 10
            digits += 1
            index -= 1
        }
        guard digits > 0, index >= 0, bytes[index] == UInt8(ascii: "{") else { return nil }
        return value
    }
}
