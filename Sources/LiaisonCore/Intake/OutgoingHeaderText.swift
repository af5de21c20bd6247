import MIME

/// Text from incoming mail made safe for an outgoing header value.
///
/// ``MessageBuilder`` refuses CR, LF and NUL (so nothing can add a header field); this goes
/// further for values that come from senders (titles, subjects, display names): every C0
/// control, DEL, NEL (U+0085) and the Unicode line and paragraph separators (U+2028, U+2029)
/// become a space, so a statement whose title carries an encoded line break is still forwarded
/// (with the break as a space) instead of failing, and no reader that splits on Unicode line
/// breaks sees a second line. Works on Unicode scalars, never on `Character`s (where CRLF is one).
public enum OutgoingHeaderText {
    /// Whether a scalar breaks a header line for some reader.
    static func isBreaking(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || v == 0x7F || v == 0x85 || v == 0x2028 || v == 0x2029
    }

    /// `text` with each line-breaking or control scalar replaced by a space.
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBreaking) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isBreaking(scalar) ? " " : scalar) }
        return String(scalars)
    }

    /// Whether a Message-ID from incoming mail can be written in `References`/`In-Reply-To`:
    /// printable ASCII without angle brackets, at most 900 octets. Others are left out rather
    /// than making the whole message fail.
    public static func isUsableMessageID(_ id: String) -> Bool {
        let bytes = id.utf8
        return !bytes.isEmpty && bytes.count <= 900
            && bytes.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    /// The builder with its subject and every display name cleaned.
    static func clean(_ builder: MessageBuilder) -> MessageBuilder {
        var builder = builder
        builder.subject = clean(builder.subject)
        func names(_ list: [MailAddress]) -> [MailAddress] {
            list.map { MailAddress(address: $0.address, displayName: $0.displayName.map(clean)) }
        }
        builder.to = names(builder.to)
        builder.cc = names(builder.cc)
        builder.replyTo = names(builder.replyTo)
        return builder
    }
}
