/// Builds an outgoing message: RFC 5322 header, a UTF-8 text/plain body
/// (with an optional HTML alternative, as multipart/alternative) and
/// optional attachments (files and embedded messages) in multipart/mixed.
///
/// The output has CRLF line ends only, no line over 998 octets, header
/// lines folded at 78 columns, non-ASCII header text RFC 2047-encoded and
/// non-ASCII file names RFC 2231-encoded. Each body's transfer encoding is
/// chosen by its content: 7bit for short-lined ASCII, quoted-printable for
/// mostly-ASCII text, base64 for the rest. ``build()`` refuses (throws ``MIMEError``) any header input
/// carrying CR, LF or NUL, so caller data can never inject header fields.
public struct MessageBuilder: Sendable {
    /// The author (required).
    public var from: MailAddress?
    /// The Sender, when it differs from the author.
    public var sender: MailAddress?
    /// Primary recipients.
    public var to: [MailAddress] = []
    /// Copy recipients.
    public var cc: [MailAddress] = []
    /// Where replies should go.
    public var replyTo: [MailAddress] = []
    /// The subject (any Unicode; encoded as needed).
    public var subject: String = ""
    /// A ready RFC 5322 date (see ``MIMEDate/format(secondsSince1970:offsetMinutes:)``);
    /// when `nil`, the current time in UTC is used.
    public var date: String?
    /// The Message-ID without angle brackets; when `nil`, one is generated
    /// with the system random generator and the From domain.
    public var messageID: String?
    /// Ids of the message replied to, without angle brackets.
    public var inReplyTo: [String] = []
    /// Ids of the thread, oldest first, without angle brackets.
    public var references: [String] = []
    /// The text/plain body (any line ends; sent as CRLF).
    public var textBody: String = ""
    /// An HTML version of the body: when set, the text and the HTML are
    /// sent as `multipart/alternative` (text first, as RFC 2046 wants the
    /// preferred, richer version last).
    public var htmlBody: String?
    /// A fixed boundary for the top-level multipart (for reproducible
    /// output; a nested multipart/alternative gets one derived from it); replaced by a
    /// random one when `nil` or when it occurs in the content.
    public var boundary: String?

    struct ExtraHeader: Sendable {
        var name: String
        var value: String
    }

    enum Attachment: Sendable {
        case file(data: [UInt8], filename: String, contentType: String)
        case message([UInt8])
    }

    var extraHeaders: [ExtraHeader] = []
    var attachments: [Attachment] = []

    /// Creates an empty builder.
    public init() {}

    /// Adds an unstructured header (e.g. `Auto-Submitted`, `X-Liaison-Reference`);
    /// order is kept. Non-ASCII values are RFC 2047-encoded.
    public mutating func addHeader(_ name: String, _ value: String) {
        extraHeaders.append(ExtraHeader(name: name, value: value))
    }

    /// Attaches a file, sent base64-encoded with the given content type
    /// (`type/subtype`, optionally with parameters) and file name.
    public mutating func attach(data: [UInt8], filename: String, contentType: String) {
        attachments.append(.file(data: data, filename: filename, contentType: contentType))
    }

    /// Attaches a complete message as message/rfc822, verbatim except that
    /// its line ends are normalised to CRLF (7bit or 8bit, never base64, per RFC 2046).
    public mutating func attachMessage(_ raw: [UInt8]) {
        attachments.append(.message(raw))
    }

    static let reservedNames: Set<String> = [
        "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id",
        "in-reply-to", "references", "mime-version", "content-type",
        "content-transfer-encoding", "content-disposition",
    ]

    // MARK: Validation

    static func hasForbidden(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.value == 13 || $0.value == 10 || $0.value == 0 }
    }

    static func check(_ s: String, header: String) throws(MIMEError) {
        if hasForbidden(s) { throw .forbiddenCharacter(header: header) }
    }

    static func validate(_ a: MailAddress, header: String) throws(MIMEError) {
        try check(a.address, header: header)
        if let name = a.displayName { try check(name, header: header) }
        let bytes = Array(a.address.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1,
            bytes.filter({ $0 == UInt8(ascii: "@") }).count == 1
        else { throw .invalidAddress(a.address) }
        for b in bytes {
            // Printable ASCII without whitespace, brackets, quotes and list separators.
            guard b > 32 && b < 127, !"<>()[],;:\\\"".utf8.contains(b) else { throw .invalidAddress(a.address) }
        }
    }

    static func normalizedID(_ id: String, header: String) throws(MIMEError) -> String {
        try check(id, header: header)
        var s = Substring(id)
        if s.hasPrefix("<") && s.hasSuffix(">") && s.count >= 2 { s = s.dropFirst().dropLast() }
        guard s.utf8.count <= HeaderWriter.maxPiece else { throw .lineTooLong(header: header) }
        guard !s.isEmpty,
            s.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else {
            throw .invalidMessageID(id)
        }
        return String(s)
    }

    // MARK: Building

    /// Produces the message bytes (CRLF line ends only).
    ///
    /// - Throws: ``MIMEError/forbiddenCharacter(header:)`` for CR, LF or NUL
    ///   in any header input; ``MIMEError/invalidAddress(_:)`` for addresses
    ///   that are not plain `local@domain`; other ``MIMEError`` cases for bad
    ///   header names, content types, message ids or a missing From.
    public func build() throws(MIMEError) -> [UInt8] {
        // Check every caller-supplied header input before writing anything.
        guard let from else { throw .missingField("From") }
        try MessageBuilder.validate(from, header: "From")
        if let sender { try MessageBuilder.validate(sender, header: "Sender") }
        for a in to { try MessageBuilder.validate(a, header: "To") }
        for a in cc { try MessageBuilder.validate(a, header: "Cc") }
        for a in replyTo { try MessageBuilder.validate(a, header: "Reply-To") }
        try MessageBuilder.check(subject, header: "Subject")
        if let date { try MessageBuilder.check(date, header: "Date") }
        var ids: (messageID: String?, inReplyTo: [String], references: [String]) = (nil, [], [])
        if let messageID { ids.messageID = try MessageBuilder.normalizedID(messageID, header: "Message-ID") }
        for id in inReplyTo { ids.inReplyTo.append(try MessageBuilder.normalizedID(id, header: "In-Reply-To")) }
        for id in references { ids.references.append(try MessageBuilder.normalizedID(id, header: "References")) }
        for h in extraHeaders {
            try MessageBuilder.check(h.name, header: h.name)
            guard !h.name.isEmpty, h.name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
                throw .invalidHeaderName(h.name)
            }
            if MessageBuilder.reservedNames.contains(h.name.lowercased()) { throw .reservedHeader(h.name) }
            try MessageBuilder.check(h.value, header: h.name)
        }
        for a in attachments {
            if case .file(_, let filename, let contentType) = a {
                try MessageBuilder.check(contentType, header: "Content-Type")
                try MessageBuilder.check(filename, header: "Content-Disposition")
                guard let ct = ContentType(parsing: contentType), ct.type != "multipart" else {
                    throw .invalidContentType(contentType)
                }
            }
        }

        var w = HeaderWriter()
        w.begin("Date")
        let dateValue = date ?? MIMEDate.now()
        for word in dateValue.split(separator: " ") { w.piece(word.utf8) }
        w.end()
        w.begin("From")
        w.addressList([from])
        w.end()
        if let sender {
            w.begin("Sender")
            w.addressList([sender])
            w.end()
        }
        if !replyTo.isEmpty {
            w.begin("Reply-To")
            w.addressList(replyTo)
            w.end()
        }
        if !to.isEmpty {
            w.begin("To")
            w.addressList(to)
            w.end()
        }
        if !cc.isEmpty {
            w.begin("Cc")
            w.addressList(cc)
            w.end()
        }
        w.begin("Subject")
        w.unstructured(subject)
        w.end()
        var generator = SystemRandomNumberGenerator()
        let mid = ids.messageID ?? MessageID.generate(domain: from.domain ?? "localhost", random: &generator)
        w.begin("Message-ID")
        w.piece(Array("<\(mid)>".utf8))
        w.end()
        if !ids.inReplyTo.isEmpty {
            w.begin("In-Reply-To")
            for id in ids.inReplyTo { w.piece(Array("<\(id)>".utf8)) }
            w.end()
        }
        if !ids.references.isEmpty {
            w.begin("References")
            for id in ids.references { w.piece(Array("<\(id)>".utf8)) }
            w.end()
        }
        for h in extraHeaders {
            w.begin(h.name)
            w.unstructured(h.value)
            w.end()
        }
        w.begin("MIME-Version")
        w.piece(Array("1.0".utf8))
        w.end()

        var top = try makeBody(&generator)
        // A multipart at the top gets a preamble for readers without MIME.
        if top.isMultipart { top.body = Array("This is a multi-part message in MIME format.\r\n".utf8) + top.body }
        w.out += top.header
        try MessageBuilder.checkLineLengths(w.out)
        var out = w.out
        out += [13, 10]
        out += top.body
        return out
    }

    /// A MIME entity: its Content-* header lines and its encoded body.
    struct Entity {
        var header: [UInt8]
        var body: [UInt8]
        var isMultipart = false
    }

    /// The body entity: the text (or text + HTML as multipart/alternative),
    /// in multipart/mixed with the attachments when there are any.
    func makeBody(_ generator: inout SystemRandomNumberGenerator) throws(MIMEError) -> Entity {
        var used: Set<String> = []
        var main = MessageBuilder.textEntity(textBody, subtype: "plain")
        if let htmlBody {
            let html = MessageBuilder.textEntity(htmlBody, subtype: "html")
            // The fixed boundary goes to the top-level multipart; a nested one gets a
            // boundary derived from it that neither contains it nor is contained in it.
            let preferred =
                attachments.isEmpty
                ? boundary : boundary.map { "=_alt_" + SHA256.hex(of: Array($0.utf8)).prefix(24) }
            main = try multipart("alternative", [main, html], preferred: preferred, used: &used, &generator)
        }
        guard !attachments.isEmpty else { return main }
        var parts = [main]
        for a in attachments {
            switch a {
            case .file(let data, let filename, let contentType):
                guard let ct = ContentType(parsing: contentType) else { throw .invalidContentType(contentType) }
                var h = HeaderWriter()
                h.begin("Content-Type")
                var typePieces: [[UInt8]] = [Array(ct.mimeType.utf8)]
                for key in ct.parameters.keys.sorted() where key != "name" {
                    typePieces += MessageBuilder.parameterPieces(key, ct.parameters[key] ?? "")
                }
                if !filename.isEmpty { typePieces += MessageBuilder.parameterPieces("name", filename) }
                MessageBuilder.writeParameterized(&h, typePieces)
                h.end()
                h.begin("Content-Disposition")
                var dispPieces: [[UInt8]] = [Array("attachment".utf8)]
                if !filename.isEmpty { dispPieces += MessageBuilder.parameterPieces("filename", filename) }
                MessageBuilder.writeParameterized(&h, dispPieces)
                h.end()
                let (cte, body) = MessageBuilder.encodeData(data)
                h.begin("Content-Transfer-Encoding")
                h.piece(Array(cte.utf8))
                h.end()
                parts.append(Entity(header: h.out, body: body))
            case .message(let raw):
                let normalized = MessageBuilder.normalizeLineEnds(raw)
                var h = HeaderWriter()
                h.begin("Content-Type")
                h.piece(Array("message/rfc822".utf8))
                h.end()
                let cte: String
                let body: [UInt8]
                if MessageBuilder.longestLine(normalized) > 998 || normalized.contains(0) {
                    // Cannot travel as 7bit/8bit. RFC 2046 wants those for message/rfc822, but a
                    // message with such lines can only be carried encoded (parsers, this one
                    // included, decode it); the bytes are kept exactly.
                    cte = "base64"
                    body = Base64.encode(raw, lineLength: 76)
                } else {
                    cte = normalized.contains { $0 >= 0x80 } ? "8bit" : "7bit"
                    body = normalized
                }
                h.begin("Content-Transfer-Encoding")
                h.piece(Array(cte.utf8))
                h.end()
                parts.append(Entity(header: h.out, body: body))
            }
        }
        return try multipart("mixed", parts, preferred: boundary, used: &used, &generator)
    }

    /// A text entity (`text/plain` or `text/html`, UTF-8) with CRLF line
    /// ends and the transfer encoding chosen by content.
    static func textEntity(_ text: String, subtype: String) -> Entity {
        let (cte, body) = encodeText(text)
        var h = HeaderWriter()
        h.begin("Content-Type")
        h.piece(Array("text/\(subtype);".utf8))
        h.piece(Array("charset=utf-8".utf8))
        h.end()
        h.begin("Content-Transfer-Encoding")
        h.piece(Array(cte.utf8))
        h.end()
        return Entity(header: h.out, body: body)
    }

    /// Joins `parts` into a multipart entity whose boundary occurs in none
    /// of them (nor in a boundary already used in this message).
    func multipart(
        _ subtype: String, _ parts: [Entity], preferred: String?, used: inout Set<String>,
        _ generator: inout SystemRandomNumberGenerator
    ) throws(MIMEError) -> Entity {
        var chosen = preferred.flatMap { b -> String? in
            let ok =
                !b.isEmpty && b.utf8.count <= 70 && b.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 34 && $0 != 92 })
            return ok ? b : nil
        }
        while true {
            let candidate = chosen ?? MessageBuilder.randomBoundary(&generator)
            let pattern = Array(candidate.utf8)
            let clash =
                used.contains { $0.contains(candidate) || candidate.contains($0) }
                || parts.contains { ByteScan.contains(pattern, in: $0.body) || ByteScan.contains(pattern, in: $0.header) }
            if !clash {
                chosen = candidate
                break
            }
            chosen = nil
        }
        let boundaryString = chosen ?? ""
        used.insert(boundaryString)
        let b = Array(boundaryString.utf8)
        var h = HeaderWriter()
        h.begin("Content-Type")
        h.piece(Array("multipart/\(subtype);".utf8))
        h.piece(Array("boundary=\"".utf8) + b + [34])
        h.end()
        var body: [UInt8] = []
        for part in parts {
            try MessageBuilder.checkLineLengths(part.header)
            body += [45, 45] + b + [13, 10]
            body += part.header
            body += [13, 10]
            body += part.body
            body += [13, 10]
        }
        body += [45, 45] + b + [45, 45, 13, 10]
        return Entity(header: h.out, body: body, isMultipart: true)
    }

    // MARK: Helpers

    /// Refuses header output with a line over 998 octets (RFC 5322 §2.1.1),
    /// naming the field: only an unbreakable caller value (a huge address,
    /// id, date word or content type) can cause one.
    static func checkLineLengths(_ header: [UInt8]) throws(MIMEError) {
        var lineStart = 0
        var fieldStart = 0
        for (i, b) in header.enumerated() where b == 10 {
            if lineStart < header.count, header[lineStart] != 32, header[lineStart] != 9 { fieldStart = lineStart }
            if i - lineStart - 1 > 998 {
                let name = header[fieldStart...].prefix { $0 != UInt8(ascii: ":") }
                throw .lineTooLong(header: String(decoding: name, as: UTF8.self))
            }
            lineStart = i + 1
        }
    }

    static let boundaryAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    static func randomBoundary(_ generator: inout SystemRandomNumberGenerator) -> String {
        var bytes: [UInt8] = Array("=_liaison_".utf8)
        for _ in 0..<28 {
            bytes.append(boundaryAlphabet[Int.random(in: 0..<boundaryAlphabet.count, using: &generator)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// CRLF, lone LF and lone CR all become CRLF.
    static func normalizeLineEnds(_ raw: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(raw)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 32)
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == 13 {
                out += [13, 10]
                i += (i + 1 < n && bytes[i + 1] == 10) ? 2 : 1
            } else if c == 10 {
                out += [13, 10]
                i += 1
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// The text body with CRLF line ends: 7bit when it is short-lined
    /// printable ASCII, quoted-printable when mostly ASCII, base64 when more
    /// than one byte in six would need escaping (e.g. Cyrillic or CJK text,
    /// where base64 is shorter).
    static func encodeText(_ text: String) -> (String, [UInt8]) {
        let normalized = normalizeLineEnds(text.utf8)
        var lineLength = 0
        var plain = true
        var escaped = 0
        for b in normalized {
            if b == 13 { continue }
            if b == 10 {
                lineLength = 0
                continue
            }
            lineLength += 1
            if b >= 127 || (b < 32 && b != 9) || b == UInt8(ascii: "=") { escaped += 1 }
            if lineLength > 76 || b >= 127 || (b < 32 && b != 9) { plain = false }
        }
        if plain { return ("7bit", normalized) }
        if escaped * 6 > normalized.count { return ("base64", Base64.encode(normalized, lineLength: 76)) }
        return ("quoted-printable", QuotedPrintable.encode(normalized, text: true))
    }

    /// An attachment's bytes, kept exactly: 7bit when they are printable
    /// ASCII whose line breaks are all CRLF with lines of at most 998
    /// octets; quoted-printable when such text has a few other bytes (at
    /// most one in six needs escaping); base64 otherwise (binary data, bare
    /// LF or CR line ends, long runs of 8-bit text).
    static func encodeData(_ data: [UInt8]) -> (String, [UInt8]) {
        var escaped = 0
        var lineBreaksOK = true
        var sevenBit = true
        var lineLength = 0
        var longest = 0
        let n = data.count
        var i = 0
        while i < n {
            let b = data[i]
            if b == 13 && i + 1 < n && data[i + 1] == 10 {
                longest = max(longest, lineLength)
                lineLength = 0
                i += 2
                continue
            }
            if b == 13 || b == 10 {
                lineBreaksOK = false
                break
            }
            lineLength += 1
            if b >= 127 || (b < 32 && b != 9) {
                escaped += 1
                sevenBit = false
            } else if b == UInt8(ascii: "=") {
                escaped += 1
            }
            i += 1
        }
        longest = max(longest, lineLength)
        if lineBreaksOK && sevenBit && longest <= 998 { return ("7bit", data) }
        if lineBreaksOK && escaped * 6 <= n { return ("quoted-printable", QuotedPrintable.encode(data, text: true)) }
        return ("base64", Base64.encode(data, lineLength: 76))
    }

    /// The length of the longest line (without its line end).
    static func longestLine(_ bytes: [UInt8]) -> Int {
        var longest = 0
        var length = 0
        for b in bytes {
            if b == 10 || b == 13 {
                longest = max(longest, length)
                length = 0
            } else {
                length += 1
            }
        }
        return max(longest, length)
    }

    /// `name="value"` when the value is short printable ASCII, else RFC 2231
    /// `name*=utf-8''…` or `name*0*=…; name*1*=…` sections. Every piece but
    /// the caller's last gets a `;` when written.
    static func parameterPieces(_ name: String, _ value: String) -> [[UInt8]] {
        let bytes = Array(value.utf8)
        let simple =
            bytes.count <= 60 && bytes.allSatisfy { $0 >= 32 && $0 < 127 && $0 != 34 && $0 != 92 }
            && !EncodedWords.mayContainEncodedWord(bytes)
        if simple { return [Array("\(name)=\"".utf8) + bytes + [34]] }
        let sections = RFC2231.encodeSections(value)
        if sections.count == 1 { return [Array("\(name)*=\(sections[0])".utf8)] }
        return sections.enumerated().map { Array("\(name)*\($0.offset)*=\($0.element)".utf8) }
    }

    static func writeParameterized(_ w: inout HeaderWriter, _ pieces: [[UInt8]]) {
        for (i, p) in pieces.enumerated() {
            w.piece(i == pieces.count - 1 ? p : p + [UInt8(ascii: ";")])
        }
    }
}
