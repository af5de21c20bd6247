/// The parameters of a `message/partial` part (RFC 2046 §5.2.2): one
/// fragment of a message split for transport. Fragments are not reassembled.
public struct MessagePartial: Sendable, Equatable {
    /// The `id` shared by all fragments.
    public var id: String
    /// The fragment's 1-based `number`, when present and numeric.
    public var number: Int?
    /// The `total` number of fragments (required only on the last one).
    public var total: Int?

    public init(id: String, number: Int?, total: Int?) {
        self.id = id
        self.number = number
        self.total = total
    }
}

/// A parsed `message/delivery-status` body (RFC 3464): the per-message
/// fields, then one group of fields per recipient.
public struct DeliveryStatus: Sendable, Equatable {
    /// One header-like field of a delivery-status group.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One recipient's group.
    public struct Recipient: Sendable, Equatable {
        /// Every field of the group in order (values unfolded and trimmed).
        public var fields: [Field]

        public init(fields: [Field]) { self.fields = fields }

        /// The first field named `name` (any case).
        public subscript(name: String) -> String? {
            fields.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The Final-Recipient address, without its address type (`rfc822;`).
        public var finalRecipient: String? { self["Final-Recipient"].map(DeliveryStatus.stripAddressType) }
        /// The Original-Recipient address, without its address type.
        public var originalRecipient: String? { self["Original-Recipient"].map(DeliveryStatus.stripAddressType) }
        /// The Action, lowercased (`failed`, `delayed`, `delivered`, `relayed`, `expanded`).
        public var action: String? { self["Action"].map { $0.lowercased() } }
        /// The Status code (`5.1.1`), comments removed.
        public var status: String? {
            self["Status"].map { v in String(v.prefix { $0 != " " && $0 != "(" && $0 != "\t" }) }
        }
        /// The Diagnostic-Code, as written (`smtp; 550 5.1.1 User unknown`).
        public var diagnosticCode: String? { self["Diagnostic-Code"] }
        /// The Remote-MTA, without its type.
        public var remoteMTA: String? { self["Remote-MTA"].map(DeliveryStatus.stripAddressType) }
    }

    /// The per-message fields (Reporting-MTA, Arrival-Date, …).
    public var messageFields: [Field]
    /// The per-recipient groups, in order.
    public var recipients: [Recipient]

    public init(messageFields: [Field], recipients: [Recipient]) {
        self.messageFields = messageFields
        self.recipients = recipients
    }

    /// The first per-message field named `name` (any case).
    public subscript(name: String) -> String? {
        messageFields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The Reporting-MTA, without its type (`dns;`).
    public var reportingMTA: String? { self["Reporting-MTA"].map(DeliveryStatus.stripAddressType) }

    static func stripAddressType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return String(value[value.index(after: semicolon)...]).trimmingReportWhitespace()
    }

    /// Parses a delivery-status body (already transfer-decoded): groups of
    /// `Name: value` lines (folded lines continue with whitespace; unfolding
    /// removes only the line breaks)
    /// separated by blank lines; lines that are not fields are skipped.
    /// The first group is the per-message one. Linear in the input.
    public init(parsing body: some Collection<UInt8>) {
        var groups: [[Field]] = []
        var current: [Field] = []
        var lastName: String? = nil
        var lastValue: [UInt8] = []

        func finishField() {
            if let name = lastName {
                let value = String(decoding: lastValue, as: UTF8.self).trimmingReportWhitespace()
                current.append(Field(name: name, value: value))
            }
            lastName = nil
            lastValue = []
        }
        func finishGroup() {
            finishField()
            if !current.isEmpty { groups.append(current) }
            current = []
        }

        var line: [UInt8] = []
        func handle(_ raw: [UInt8]) {
            var l = raw[...]
            if l.last == 13 { l = l.dropLast() }
            if l.allSatisfy({ $0 == 32 || $0 == 9 }) {
                finishGroup()
                return
            }
            if let first = l.first, first == 32 || first == 9 {
                // RFC 5322 unfolding: only the line break goes.
                if lastName != nil { lastValue += l }
                return
            }
            finishField()
            guard let colon = l.firstIndex(of: UInt8(ascii: ":")), colon > l.startIndex else { return }
            let name = l[..<colon]
            guard name.allSatisfy({ $0 > 32 && $0 < 127 }) else { return }
            lastName = String(decoding: name, as: UTF8.self)
            lastValue = Array(l[(colon + 1)...])
        }
        for b in body {
            if b == 10 {
                handle(line)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(b)
            }
        }
        if !line.isEmpty { handle(line) }
        finishGroup()

        messageFields = groups.first ?? []
        recipients = groups.dropFirst().map { Recipient(fields: $0) }
    }
}

extension String {
    fileprivate func trimmingReportWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" && $0 != "\n" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" && $0 != "\n" })
        else { return "" }
        return String(scalars[first...last])
    }
}

extension MIMEPart {
    /// For a `message/partial` part: its id, number and total; `nil` otherwise.
    public var partial: MessagePartial? {
        let type = contentType
        guard type.type == "message", type.subtype == "partial" else { return nil }
        let id = type.parameters["id"] ?? ""
        let number = type.parameters["number"].flatMap { Int($0.trimmingReportWhitespace()) }
        let total = type.parameters["total"].flatMap { Int($0.trimmingReportWhitespace()) }
        return MessagePartial(id: id, number: number, total: total)
    }

    /// For a `message/delivery-status` or `message/global-delivery-status`
    /// part: the parsed report fields; `nil` otherwise.
    public var deliveryStatus: DeliveryStatus? {
        let type = contentType
        guard type.type == "message", type.subtype == "delivery-status" || type.subtype == "global-delivery-status"
        else { return nil }
        return DeliveryStatus(parsing: decodedBody())
    }

    /// Files uuencoded in this part: inside a text/plain body, or the whole
    /// body when the transfer encoding is `x-uuencode`, `uuencode` or `x-uue`.
    /// Empty for other parts.
    public var uuencodedFiles: [UUEncodedFile] {
        let encoding = transferEncoding
        if encoding == "x-uuencode" || encoding == "uuencode" || encoding == "x-uue" {
            return UUEncode.files(in: rawBody)
        }
        let type = contentType
        guard type.type == "text", type.subtype == "plain", embeddedMessage == nil else { return [] }
        return UUEncode.files(in: decodedBody())
    }
}

extension MIMEMessage {
    /// Whether the message (not its embedded messages) is a `message/partial` fragment.
    public var partial: MessagePartial? { root.partial }

    /// The first delivery-status part of the message (a DSN's
    /// `multipart/report` second part), embedded messages not searched.
    public var deliveryStatus: DeliveryStatus? {
        var stack = [root]
        while let part = stack.popLast() {
            if let status = part.deliveryStatus { return status }
            stack += part.children.reversed()
        }
        return nil
    }

    /// Files uuencoded in text/plain bodies (that are not themselves
    /// attachments) or in `x-uuencode` parts, in document order; embedded
    /// messages not searched. They are not listed in ``attachments``
    /// (which holds MIME parts).
    public var uuencodedFiles: [UUEncodedFile] {
        var result: [UUEncodedFile] = []
        var stack = [root]
        while let part = stack.popLast() {
            if part.isMultipart {
                stack += part.children.reversed()
                continue
            }
            let encoding = part.transferEncoding
            let uuPart = encoding == "x-uuencode" || encoding == "uuencode" || encoding == "x-uue"
            if uuPart || !part.isAttachment { result += part.uuencodedFiles }
        }
        return result
    }
}
