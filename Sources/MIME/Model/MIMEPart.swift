/// A body part: its header, content type, and either children (multipart),
/// an embedded message (message/rfc822, message/global) or a leaf body.
///
/// A part is a view into the parsed message; bodies are decoded only when
/// asked for.
public struct MIMEPart: Sendable {
    let storage: MessageStorage
    let index: Int

    var node: NodeView { NodeView(storage: storage, index: index) }
    var buffer: [UInt8] { storage.buffers[node.buffer] }

    /// The part's header block (for a message's root part, the message header).
    public var header: MIMEHeader {
        let n = node
        return MIMEHeader(storage: storage, buffer: n.buffer, range: n.fields)
    }

    /// The content type; `text/plain; charset=us-ascii` when absent or
    /// invalid, `message/rfc822` when absent inside a multipart/digest.
    public var contentType: ContentType { storage.contentTypes[index] }

    /// Whether this is a multipart (even one whose children could not be split out).
    public var isMultipart: Bool { storage.contentTypes[index].type == "multipart" }

    /// The parts of a multipart, in order; empty for other parts.
    public var children: [MIMEPart] {
        node.children.map { MIMEPart(storage: storage, index: $0) }
    }

    /// The parsed message inside a message/rfc822 or message/global part.
    public var embeddedMessage: MIMEMessage? {
        let e = node.embedded
        return e >= 0 ? MIMEMessage(storage: storage, index: e) : nil
    }

    /// The body exactly as in the input (still transfer-encoded). For an
    /// embedded message whose transfer encoding had to be undone, this is
    /// still the encoded text.
    public var rawBody: ArraySlice<UInt8> {
        let n = node
        return storage.buffers[n.buffer][n.bodyStart..<n.end]
    }

    /// The whole part, header block included, as in the input.
    public var rawBytes: ArraySlice<UInt8> {
        let n = node
        return storage.buffers[n.buffer][n.start..<n.end]
    }

    /// Text before the first boundary of a multipart (empty otherwise).
    public var preamble: ArraySlice<UInt8> {
        let n = node
        guard n.contentType.type == "multipart", !n.children.isEmpty else { return [] }
        return storage.buffers[n.buffer][n.bodyStart..<max(n.bodyStart, n.preambleEnd)]
    }

    /// Text after the closing boundary of a multipart (empty otherwise).
    public var epilogue: ArraySlice<UInt8> {
        let n = node
        guard n.contentType.type == "multipart", n.epilogueStart > n.bodyStart, n.epilogueStart <= n.end else {
            return []
        }
        return storage.buffers[n.buffer][n.epilogueStart..<n.end]
    }

    /// The Content-Transfer-Encoding, lowercased, without parameters or
    /// comments; `7bit` when absent.
    public var transferEncoding: String {
        let n = storage.nodes[index]
        // Unknown encodings and the uuencode spellings keep the name as written.
        guard n.transfer == .other || n.transfer == .uuencode, n.transferField >= 0 else { return n.transfer.name }
        let f = storage.fields[n.transferField]
        return TransferEncoding.normalize(storage.buffers[n.buffer][f.valueStart..<f.valueEnd])
    }

    /// The body with its transfer encoding undone (base64, quoted-printable,
    /// and `x-uuencode` / `x-uue` / `uuencode`: the data of the body's uuencoded
    /// file; other encodings returned as they are).
    public func decodedBody() -> [UInt8] {
        var defects: [MIMEDefect] = []
        return TransferEncoding.decode(
            rawBody, kind: storage.nodes[index].transfer, name: transferEncoding, defects: &defects)
    }

    /// For `text/*` parts: the body transfer-decoded and converted from its
    /// charset, with CRLF line ends turned into LF; `nil` for other types.
    /// A text/plain part with `format=flowed` is unwrapped (RFC 3676, see
    /// ``FlowedText``); ``decodedBody()`` keeps the lines as sent.
    public func text() -> String? {
        let type = node.contentType
        guard type.type == "text" else { return nil }
        var defects: [MIMEDefect] = []
        let text = decodeText(defects: &defects)
        if type.subtype == "plain", let format = type.parameters["format"], format.lowercased() == "flowed" {
            return FlowedText.unflow(text, delSp: type.parameters["delsp"]?.lowercased() == "yes")
        }
        return text
    }

    func decodeText(defects: inout [MIMEDefect]) -> String {
        let n = storage.nodes[index]
        let charset = storage.contentTypes[index].parameters["charset"]
        let kind = Charset.kind(of: charset)
        switch kind {
        case .utf8, .ascii, .latin1, .unlabelled:
            // ASCII-compatible charsets converted by hand: a CR before an LF
            // is the same byte before and after conversion, so line ends are
            // normalised on the bytes, and the String is built once.
            let raw = storage.buffers[n.buffer][n.bodyStart..<n.end]
            if n.transfer.isIdentity {
                return raw.withUnsafeBufferPointer { buf in
                    // Plain ASCII (the same text in all four): one copy.
                    if let ascii = Charset.asciiWithLF(buf) { return ascii }
                    guard ByteScan.find(13, in: buf, from: 0, to: buf.count) < buf.count else {
                        return Charset.decode(buffer: buf, kind: kind, charset: charset, defects: &defects)
                    }
                    var copy = Array(buf)
                    HeaderText.crlfToLFInPlace(&copy)
                    return copy.withUnsafeBufferPointer {
                        Charset.decode(buffer: $0, kind: kind, charset: charset, defects: &defects)
                    }
                }
            }
            var bytes = TransferEncoding.decode(raw, kind: n.transfer, name: transferEncoding, defects: &defects)
            if let ascii = bytes.withUnsafeBufferPointer({ Charset.asciiWithLF($0) }) { return ascii }
            HeaderText.crlfToLFInPlace(&bytes)
            return bytes.withUnsafeBufferPointer {
                Charset.decode(buffer: $0, kind: kind, charset: charset, defects: &defects)
            }
        case .utf7, .iconv:
            let bytes = TransferEncoding.decode(rawBody, kind: n.transfer, name: transferEncoding, defects: &defects)
            let text = bytes.withUnsafeBufferPointer {
                Charset.decode(buffer: $0, kind: kind, charset: charset, defects: &defects)
            }
            // Line ends are normalised after conversion: in UTF-16 a 0x0D byte is not a CR.
            var utf8 = Array(text.utf8)
            guard utf8.withUnsafeBufferPointer({ ByteScan.find(13, in: $0, from: 0, to: $0.count) < $0.count }) else {
                return text
            }
            HeaderText.crlfToLFInPlace(&utf8)
            return String(decoding: utf8, as: UTF8.self)
        }
    }

    /// The attachment's file name: the Content-Disposition `filename`
    /// parameter, else the Content-Type `name` parameter (RFC 2231 and
    /// RFC 2047 decoded).
    public var filename: String? {
        if let raw = dispositionRaw {
            var defects: [MIMEDefect] = []
            let (_, params) = ContentTypeParser.parseParameterized(raw: raw, defects: &defects)
            if let name = params["filename"], !name.isEmpty { return name }
        }
        if let name = node.contentType.parameters["name"], !name.isEmpty { return name }
        return nil
    }

    /// The raw value of the first Content-Disposition field (found while indexing).
    var dispositionRaw: ArraySlice<UInt8>? {
        let n = storage.nodes[index]
        guard n.dispositionField >= 0 else { return nil }
        let f = storage.fields[n.dispositionField]
        return storage.buffers[n.buffer][f.valueStart..<f.valueEnd]
    }

    /// The Content-Disposition type, lowercased (`attachment`, `inline`), if present.
    public var disposition: String? {
        guard let raw = dispositionRaw else { return nil }
        var defects: [MIMEDefect] = []
        let value = ContentTypeParser.leadingValue(raw: raw, defects: &defects)
        return value.isEmpty ? nil : value
    }

    /// The Content-ID without angle brackets.
    public var contentID: String? {
        guard let raw = header.firstRawValue("content-id") else { return nil }
        return MessageIDParser.parse(HeaderText.unfold(raw)).first
    }

    /// Whether this is an attachment: a disposition of `attachment`, a file
    /// name, or a leaf that is neither text nor multipart.
    public var isAttachment: Bool {
        if node.contentType.type == "multipart" { return false }
        if disposition == "attachment" { return true }
        if filename != nil { return true }
        return node.contentType.type != "text"
    }

    /// Defects found in this part and everything below it (embedded messages
    /// included), decoding checks included. Computed on each access.
    public var defects: [MIMEDefect] {
        DefectCollector.collect(storage: storage, root: index)
    }
}
