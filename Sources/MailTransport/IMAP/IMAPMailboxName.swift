/// A validated mailbox name in the three forms libcurl and IMAP need.
struct IMAPMailboxName: Sendable, Equatable, CustomStringConvertible {
    /// The name as the caller gave it (Unicode), for messages and logs.
    let display: String
    /// The modified UTF-7 wire form (ASCII).
    let wire: String

    /// The name as configured.
    var description: String { display }

    /// `INBOX`, which always exists and cannot be deleted.
    static let inbox = IMAPMailboxName(display: "INBOX", wire: "INBOX")

    /// Whether this is the INBOX (case-insensitive, as IMAP defines).
    var isInbox: Bool { wire.uppercased() == "INBOX" }

    private init(display: String, wire: String) {
        self.display = display
        self.wire = wire
    }

    /// Validates and encodes `name`.
    ///
    /// - Throws: ``TransportError/invalidMailboxName(_:)`` for an empty name or one with
    ///   control characters (they could end an IMAP command line).
    init(_ name: String) throws(TransportError) {
        guard !name.isEmpty, name.utf8.count <= 1000 else { throw .invalidMailboxName(name) }
        for scalar in name.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || value == 0x2028 || value == 0x2029 {
                throw .invalidMailboxName(name)
            }
        }
        display = name
        wire = ModifiedUTF7.encode(name)
    }

    /// The IMAP quoted-string form for custom commands: `"…"` with `\` and `"` escaped.
    var quoted: String {
        var result = "\""
        for character in wire {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// The percent-encoded URL path segment; libcurl decodes it and quotes it in its SELECT.
    ///
    /// Everything but unreserved characters is encoded, so `;` `?` `/` `%` `.` cannot change how
    /// libcurl splits the URL (an encoded `/` still reaches the server as the hierarchy separator).
    var urlPath: String {
        var result = ""
        for byte in wire.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%"
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return result
    }
}
