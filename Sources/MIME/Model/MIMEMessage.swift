/// A parsed Internet message (RFC 5322 + MIME).
///
/// Parsing indexes the structure (header fields, part boundaries) as byte
/// ranges into the input; header values, addresses, dates and bodies are
/// decoded only when read. Parsing never fails: problems are reported in
/// ``defects``.
public struct MIMEMessage: Sendable {
    let storage: MessageStorage
    let index: Int

    init(storage: MessageStorage, index: Int) {
        self.storage = storage
        self.index = index
    }

    /// Parses `bytes` (CRLF, LF or mixed line ends; an mbox `From ` line at
    /// the top is skipped). Never throws; problems land in ``defects``.
    public init(bytes: [UInt8], limits: MIMELimits = .default) {
        storage = MessageParser.parse(bytes, limits: limits)
        index = 0
    }

    /// The message's bytes as given (for an embedded message, its part body,
    /// transfer-decoded if it had to be).
    public var bytes: [UInt8] {
        let n = storage.nodes[index]
        let buffer = storage.buffers[n.buffer]
        if n.start == 0 && n.end == buffer.count { return buffer }
        return Array(buffer[n.start..<n.end])
    }

    /// The top-level header block.
    public var header: MIMEHeader { root.header }

    /// The root of the body part tree (it shares the message's header).
    public var root: MIMEPart { MIMEPart(storage: storage, index: index) }

    /// Every defect found in the message, embedded messages included:
    /// structural ones recorded while parsing plus those met when decoding
    /// headers, addresses, dates and bodies. Computed on each access (it
    /// decodes everything once).
    public var defects: [MIMEDefect] {
        DefectCollector.collect(storage: storage, root: index)
    }

    /// The Subject, unfolded and RFC 2047 decoded.
    public var subject: String? { header.decoded("subject") }

    /// The From mailboxes.
    public var from: [MailAddress] { addresses("from") }
    /// The To recipients (groups flattened).
    public var to: [MailAddress] { addresses("to") }
    /// The Cc recipients (groups flattened).
    public var cc: [MailAddress] { addresses("cc") }
    /// The Bcc recipients, when present (groups flattened).
    public var bcc: [MailAddress] { addresses("bcc") }
    /// The Reply-To addresses.
    public var replyTo: [MailAddress] { addresses("reply-to") }
    /// The Sender mailbox.
    public var sender: MailAddress? { addresses("sender").first }

    /// Every address in every field named `name` (groups flattened).
    public func addresses(_ name: String) -> [MailAddress] {
        var defects: [MIMEDefect] = []
        var result: [MailAddress] = []
        header.forEachRawValue(name) { raw in
            // The usual shapes without tokenising; the general parser for the rest.
            if let simple = raw.withUnsafeBufferPointer({ AddressParser.simpleList($0) }) {
                if result.isEmpty { result = simple } else { result += simple }
            } else {
                result += AddressParser.parseList(HeaderText.unfold(raw), defects: &defects)
            }
        }
        return result
    }

    /// The Message-ID without angle brackets.
    public var messageID: String? {
        guard let raw = header.firstRawValue("message-id") else { return nil }
        return MessageIDParser.parse(HeaderText.unfold(raw)).first
    }

    /// The In-Reply-To ids, without angle brackets.
    public var inReplyTo: [String] {
        guard let raw = header.firstRawValue("in-reply-to") else { return [] }
        return MessageIDParser.parse(HeaderText.unfold(raw))
    }

    /// The References ids, without angle brackets, oldest first.
    public var references: [String] {
        guard let raw = header.firstRawValue("references") else { return [] }
        return MessageIDParser.parse(HeaderText.unfold(raw))
    }

    /// The Date field, or `nil` when absent or unparseable.
    public var date: MIMEDateTime? {
        guard let raw = header.firstRawValue("date") else { return nil }
        return DateParser.parse(HeaderText.unfold(raw))
    }

    /// Every part in document order: the root, multipart children, and the
    /// parts of embedded messages.
    public var allParts: [MIMEPart] {
        storage.subtree(of: index).map { MIMEPart(storage: storage, index: $0) }
    }

    /// The best plain-text body: the first text/plain part that is not an
    /// attachment (preferred inside multipart/alternative), else the first
    /// such text/html part reduced to text; `nil` when there is neither.
    /// Embedded messages are not searched.
    public func textBody() -> String? {
        var firstHTML: MIMEPart? = nil
        var stack = [index]
        while let i = stack.popLast() {
            let part = MIMEPart(storage: storage, index: i)
            let type = part.contentType
            if type.type == "multipart" {
                for child in part.node.children.reversed() { stack.append(child) }
                continue
            }
            guard type.type == "text", !part.isAttachment else { continue }
            if type.subtype == "plain" { return part.text() }
            if type.subtype == "html" && firstHTML == nil { firstHTML = part }
        }
        if let html = firstHTML, let text = html.text() { return HTMLText.reduce(text) }
        return nil
    }

    /// Leaf parts that are attachments (see ``MIMEPart/isAttachment``), in
    /// document order. A message/rfc822 part is listed itself; its own parts
    /// are not.
    public var attachments: [MIMEPart] {
        var result: [MIMEPart] = []
        var stack = [index]
        while let i = stack.popLast() {
            let part = MIMEPart(storage: storage, index: i)
            if part.isMultipart {
                for child in part.node.children.reversed() { stack.append(child) }
            } else if part.isAttachment {
                result.append(part)
            }
        }
        return result
    }
}
