import Foundation

/// Builders for the test messages (CRLF line endings, as on the wire).
enum TestMessages {
    /// A small text message with the given subject and body lines.
    static func simple(
        from: String = "sender@example.test", to: String, subject: String, body: [String] = ["Hello."]
    ) -> [UInt8] {
        let lines =
            [
                "From: <\(from)>", "To: <\(to)>", "Subject: \(subject)",
                "Message-ID: <\(UInt64.random(in: 0...UInt64.max))@test.example.test>",
                "Date: Sat, 21 Nov 2026 12:00:00 +0000", "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=us-ascii", "",
            ] + body
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// A message whose body looks like IMAP protocol lines and a lone SMTP terminator.
    static func protocolLookalike(to: String) -> [UInt8] {
        simple(
            to: to, subject: "protocol lookalike",
            body: ["* 99 EXISTS", "A005 OK", "A005 OK Fetch completed", ")", ".", "..two dots", ".leading dot", "end"])
    }

    /// A message with one body line of `length` letters.
    static func longLine(to: String, length: Int) -> [UInt8] {
        var line = [UInt8](repeating: 0, count: length)
        for index in line.indices { line[index] = UInt8(ascii: "a") + UInt8(index % 26) }
        return simple(to: to, subject: "long line", body: [String(decoding: line, as: UTF8.self)])
    }

    /// A multipart message with a base64 attachment of `size` pseudo-random bytes.
    static func withAttachment(to: String, size: Int) -> [UInt8] {
        var generator = SplitMix64(seed: UInt64(size))
        var data = [UInt8](repeating: 0, count: size)
        for index in data.indices { data[index] = UInt8(truncatingIfNeeded: generator.next()) }
        let boundary = "=_liaison_test_boundary"
        var text = String(
            decoding: simple(to: to, subject: "big attachment", body: []).dropLast(2), as: UTF8.self)
        text = text.replacingOccurrences(
            of: "Content-Type: text/plain; charset=us-ascii\r\n",
            with: "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n")
        var output = Array(text.utf8)
        output += Array("\r\n--\(boundary)\r\nContent-Type: text/plain\r\n\r\nSee attachment.\r\n".utf8)
        output += Array(
            ("--\(boundary)\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"blob.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n").utf8)
        output += base64Lines(data)
        output += Array("--\(boundary)--\r\n".utf8)
        return output
    }

    /// Base64 in 76-character CRLF lines.
    static func base64Lines(_ data: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 4 / 3 + data.count / 57 * 2 + 8)
        var lineLength = 0
        var index = 0
        while index < data.count {
            let b0 = data[index]
            let b1 = index + 1 < data.count ? data[index + 1] : 0
            let b2 = index + 2 < data.count ? data[index + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(index + 1 < data.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < data.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
            lineLength += 4
            if lineLength == 76 {
                output += [13, 10]
                lineLength = 0
            }
        }
        if lineLength > 0 { output += [13, 10] }
        return output
    }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
