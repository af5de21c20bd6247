/// One header field, viewed in place in the message's bytes.
public struct MIMEHeaderField: Sendable {
    let storage: MessageStorage
    let buffer: Int
    let index: Int

    var span: FieldSpan { storage.fields[index] }

    /// The field name as written (no trailing whitespace or colon).
    public var name: String {
        let s = span
        return String(decoding: storage.buffers[buffer][s.nameStart..<s.nameEnd], as: UTF8.self)
    }

    /// The value unfolded (line breaks removed) and trimmed; 8-bit bytes are
    /// read as UTF-8, or as ISO-8859-1 when they are not valid UTF-8.
    /// Encoded words are left as written: see ``decodedValue``.
    public var value: String {
        let raw = rawValue
        if let plain = HeaderText.plainASCII(raw, encodedWords: false) { return plain }
        var defects: [MIMEDefect] = []
        return HeaderText.string(HeaderText.unfold(raw), field: "", defects: &defects)
    }

    /// The value unfolded, trimmed and RFC 2047 decoded.
    public var decodedValue: String {
        var defects: [MIMEDefect] = []
        return HeaderText.decoded(rawValue, field: "", defects: &defects)
    }

    /// The bytes after the colon up to the end of the field's last line,
    /// folding line breaks included, exactly as in the input.
    public var rawValue: ArraySlice<UInt8> {
        let s = span
        return storage.buffers[buffer][s.valueStart..<s.valueEnd]
    }

    /// Whether this field's name is `name`, ignoring ASCII case.
    public func hasName(_ name: String) -> Bool {
        let s = span
        return HeaderText.equalsIgnoringCase(storage.buffers[buffer][s.nameStart..<s.nameEnd], name)
    }
}
