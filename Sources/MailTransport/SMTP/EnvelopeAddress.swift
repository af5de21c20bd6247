/// Checks envelope addresses on their bytes before they reach `CURLOPT_MAIL_FROM`/`MAIL_RCPT`.
///
/// libcurl before 8.22 sends addresses verbatim, so a CR or LF would inject SMTP commands, and
/// `<`, `>` or a space would end the path early. The check works on Unicode scalars, never on
/// Swift `Character`s (in which "\r\n" is one character that `contains("\n")` misses).
enum EnvelopeAddress {
    /// The longest path RFC 5321 allows (256 octets including the angle brackets).
    static let maximumLength = 254

    /// Validates `address`; the empty string is allowed only as a null reverse path.
    ///
    /// - Throws: ``TransportError/invalidAddress(_:)``.
    static func validate(_ address: String, allowEmpty: Bool) throws(TransportError) {
        if address.isEmpty {
            if allowEmpty { return }
            throw .invalidAddress(address)
        }
        guard address.utf8.count <= maximumLength else { throw .invalidAddress(address) }
        for scalar in address.unicodeScalars {
            let value = scalar.value
            if value <= 0x20 || value == 0x7F || scalar == "<" || scalar == ">" {
                throw .invalidAddress(address)
            }
            if value >= 0x80 {
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse,
                    .surrogate, .unassigned:
                    throw .invalidAddress(address)
                default:
                    break
                }
            }
        }
        guard let at = address.unicodeScalars.lastIndex(of: "@"),
            at != address.unicodeScalars.startIndex,
            address.unicodeScalars.index(after: at) != address.unicodeScalars.endIndex
        else { throw .invalidAddress(address) }
    }
}
