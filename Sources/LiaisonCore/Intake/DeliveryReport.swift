import Foundation
public import MIME

/// A machine report about a message sent earlier: a delivery status notification (DSN,
/// RFC 3464), a message disposition notification (MDN, RFC 8098), an abuse feedback report
/// (ARF, RFC 5965), or a non-standard bounce that returns the message it is about.
///
/// Reports are never statements and are never answered (RFC 3834): intake attaches them to the
/// statement they concern, or quarantines them when they concern nothing Liaison knows.
public struct DeliveryReport: Sendable, Equatable {
    /// The kind of report.
    public enum Kind: String, Sendable, Equatable {
        /// `multipart/report; report-type=delivery-status` (RFC 3464, RFC 6522).
        case deliveryStatus = "delivery-status"
        /// `multipart/report; report-type=disposition-notification` (RFC 8098).
        case dispositionNotification = "disposition-notification"
        /// `multipart/report; report-type=feedback-report` (RFC 5965).
        case feedbackReport = "feedback-report"
        /// A `multipart/report` of another type (e.g. `tlsrpt`).
        case otherReport = "report"
        /// Mail from a mailer daemon or with a null sender that returns a message, without a
        /// standard report part.
        case bounce

        /// A short name for history entries: `DSN`, `MDN`, `ARF report`, `report`, `bounce`.
        public var label: String {
            switch self {
            case .deliveryStatus: "DSN"
            case .dispositionNotification: "MDN"
            case .feedbackReport: "ARF report"
            case .otherReport: "report"
            case .bounce: "bounce"
            }
        }
    }

    /// What the report says about one recipient.
    public struct Entry: Sendable, Equatable {
        /// The recipient the report is about (`Final-Recipient`, `Original-Rcpt-To`), if named.
        public var recipient: String?
        /// The recipient as Liaison addressed it (`Original-Recipient`), if given.
        public var originalRecipient: String?
        /// What happened: a DSN action (`failed`, `delayed`, `delivered`, `relayed`, `expanded`),
        /// an MDN disposition (`displayed`, `deleted`, …), or `<type> complaint` for ARF.
        public var action: String
        /// The RFC 3463 status code (`5.1.1`), if given.
        public var status: String?
        /// The remote server's diagnostic (`smtp; 550 5.1.1 … User unknown`), if given.
        public var diagnostic: String?

        /// Creates an entry.
        public init(recipient: String?, originalRecipient: String? = nil, action: String, status: String? = nil, diagnostic: String? = nil) {
            self.recipient = recipient
            self.originalRecipient = originalRecipient
            self.action = action
            self.status = status
            self.diagnostic = diagnostic
        }

        /// Whether delivery to this recipient failed for good: a DSN `failed` (status class 5,
        /// or no status), or a bounce.
        public var isPermanentFailure: Bool {
            action == "failed" && (status.map { $0.hasPrefix("5") } ?? true)
        }

        /// The SMTP reply code of the diagnostic (`550` in `smtp; 550 5.1.1 …`), if there is one.
        public var replyCode: Int? {
            guard let diagnostic else { return nil }
            let text = diagnostic.split(separator: ";", maxSplits: 1).last.map(String.init) ?? diagnostic
            guard let token = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "\t" }).first,
                token.count == 3, let code = Int(token), (200...599).contains(code)
            else { return nil }
            return code
        }

        /// One line for the history: `failed 5.1.1 chair@example.org (smtp; 550 …)`.
        public var summary: String {
            var parts = [action]
            if let status { parts.append(status) }
            if let recipient { parts.append(recipient) }
            var line = parts.joined(separator: " ")
            if let diagnostic, !diagnostic.isEmpty { line += " (\(diagnostic))" }
            return line
        }
    }

    /// The kind of report.
    public var kind: Kind
    /// The `report-type` parameter as written (lowercased), or `bounce`.
    public var reportType: String
    /// Who reports: the `Reporting-MTA`, `Reporting-UA`, ARF `User-Agent`, or the report's sender.
    public var reporter: String?
    /// One entry per recipient the report speaks of; empty when it names none.
    public var entries: [Entry]
    /// Message-IDs of the message the report is about, without angle brackets, most telling
    /// first: an `Original-Message-ID` field, the returned message's `Message-ID`, then the
    /// report's own `In-Reply-To` and `References`.
    public var originalMessageIDs: [String]
    /// Subjects that may name the statement: the returned message's, then the report's own.
    public var subjects: [String]
    /// The `X-Liaison-Reference` of the returned message, when it carries this installation's
    /// `X-Liaison-Loop` header.
    public var liaisonReference: String?
    /// The human-readable part of the report (lowercased), where a non-standard bounce names
    /// the failed recipients.
    public var text: String

    /// Creates a report.
    public init(
        kind: Kind,
        reportType: String,
        reporter: String?,
        entries: [Entry],
        originalMessageIDs: [String],
        subjects: [String] = [],
        liaisonReference: String? = nil,
        text: String = ""
    ) {
        self.kind = kind
        self.reportType = reportType
        self.reporter = reporter
        self.entries = entries
        self.originalMessageIDs = originalMessageIDs
        self.subjects = subjects
        self.liaisonReference = liaisonReference
        self.text = text
    }

    /// One line for the history and the poll report: `DSN from mail.example.test: failed 5.1.1 a@b (…)`.
    public var summary: String {
        let from = reporter.map { " from \($0)" } ?? ""
        let what = entries.isEmpty ? "no recipient named" : entries.map(\.summary).joined(separator: "; ")
        return "\(kind.label)\(from): \(what)"
    }

    /// The statement reference the report names: the returned `X-Liaison-Reference`, else the
    /// first reference in a subject.
    public func reference(prefix: String) -> StatementReference? {
        if let header = liaisonReference, let reference = StatementReply.reference(in: header, prefix: prefix) {
            return reference
        }
        for subject in subjects {
            if let reference = StatementReply.reference(in: subject, prefix: prefix) { return reference }
        }
        return nil
    }

    /// The report with a non-standard bounce's failed recipients filled in: those of the sent
    /// message named in the bounce's text (a bounce naming none says only `failed`). Other
    /// reports, and reports about no sent message, are returned as they are.
    public func resolved(against target: ReportTarget?) -> DeliveryReport {
        guard kind == .bounce, entries.isEmpty, case .sent(let sent)? = target else { return self }
        var copy = self
        let named = sent.message.envelope.recipients.filter { text.contains($0.lowercased()) }
        copy.entries = named.isEmpty ? [Entry(recipient: nil, action: "failed")] : named.map { Entry(recipient: $0, action: "failed") }
        return copy
    }

    // MARK: - Recognition

    /// Recognises a report; `nil` when `message` is not one.
    ///
    /// - Parameter instanceID: this installation's `X-Liaison-Loop` value, so a reference in the
    ///   returned headers is trusted only when the returned message is Liaison's own.
    public static func parse(_ message: MIMEMessage, instanceID: String) -> DeliveryReport? {
        let contentType = message.root.contentType
        let returned = returnedMessage(in: message)
        var kind: Kind
        var reportType: String
        if contentType.mimeType == "multipart/report" {
            reportType = (contentType[parameter: "report-type"] ?? "").lowercased()
            kind = Kind(rawValue: reportType) ?? .otherReport
            if kind == .otherReport, message.deliveryStatus != nil { kind = .deliveryStatus }
        } else if contentType.type == "message", let known = Kind(rawValue: contentType.subtype),
            known != .otherReport, known != .bounce
        {
            // A bare report part as the whole message (rare, but seen).
            kind = known
            reportType = contentType.subtype
        } else if returned != nil, isBounceSender(message) {
            kind = .bounce
            reportType = "bounce"
        } else {
            return nil
        }

        var reporter: String?
        var entries: [Entry] = []
        var originalIDs: [String] = []
        switch kind {
        case .deliveryStatus:
            // Some MTAs send free text as a first delivery-status part: every part is read.
            for status in ownParts(of: message).compactMap(\.deliveryStatus) {
                reporter = reporter ?? status.reportingMTA
                for name in ["Original-Message-ID", "X-Original-Message-ID"] {
                    if let value = status[name] { originalIDs += messageIDs(in: value) }
                }
                entries += status.recipients.map { group in
                    Entry(
                        recipient: group.finalRecipient.map(bareAddress),
                        originalRecipient: group.originalRecipient.map(bareAddress),
                        action: group.action ?? "unknown",
                        status: group.status,
                        diagnostic: group.diagnosticCode)
                }
            }
        case .dispositionNotification:
            if let fields = reportFields(in: message, subtype: "disposition-notification") {
                reporter = fields["Reporting-UA"].map(firstClause)
                if let value = fields["Original-Message-ID"] { originalIDs += messageIDs(in: value) }
                let disposition = fields["Disposition"].map(dispositionType) ?? "unknown"
                entries = [
                    Entry(
                        recipient: (fields["Final-Recipient"] ?? fields["Original-Recipient"]).map { bareAddress(stripType($0)) },
                        originalRecipient: fields["Original-Recipient"].map { bareAddress(stripType($0)) },
                        action: disposition)
                ]
            }
        case .feedbackReport:
            if let fields = reportFields(in: message, subtype: "feedback-report") {
                reporter = fields["User-Agent"] ?? fields["Reporting-MTA"].map(stripType)
                let type = (fields["Feedback-Type"] ?? "unknown").lowercased()
                let recipients = fields.messageFields.filter { $0.name.lowercased() == "original-rcpt-to" }.map { bareAddress($0.value) }
                let action = "\(type) complaint"
                entries = recipients.isEmpty ? [Entry(recipient: nil, action: action)] : recipients.map { Entry(recipient: $0, action: action) }
            }
        case .otherReport, .bounce:
            break
        }
        if reporter == nil { reporter = message.from.first?.address }

        var subjects: [String] = []
        var liaisonReference: String?
        if let returned {
            if let id = returned.messageID { originalIDs.append(id) }
            if let subject = returned.subject { subjects.append(subject) }
            if let loop = returned.header["X-Liaison-Loop"], loop.trimmingCharacters(in: " \t") == instanceID {
                liaisonReference = returned.header["X-Liaison-Reference"]
            }
        }
        originalIDs += message.inReplyTo + message.references.reversed()
        if let subject = message.subject { subjects.append(subject) }
        var seen = Set<String>()
        originalIDs = originalIDs.filter { !$0.isEmpty && seen.insert($0).inserted }

        return DeliveryReport(
            kind: kind,
            reportType: reportType,
            reporter: reporter,
            entries: entries,
            originalMessageIDs: originalIDs,
            subjects: subjects,
            liaisonReference: liaisonReference,
            text: humanReadableText(of: message).lowercased())
    }

    /// A mailer daemon or postmaster sender, or a null envelope sender (`Return-Path: <>`, which
    /// Postfix writes `<MAILER-DAEMON>`).
    static func isBounceSender(_ message: MIMEMessage) -> Bool {
        if let local = message.from.first?.localPart.lowercased(), ["mailer-daemon", "postmaster"].contains(local) {
            return true
        }
        guard let returnPath = message.header["Return-Path"] else { return false }
        let path = returnPath.filter { $0 != " " && $0 != "\t" && $0 != "<" && $0 != ">" }
        return !path.contains("@")
    }

    /// The message a report returns: a `message/rfc822` (or `message/global`) part, else the
    /// headers of a `text/rfc822-headers` (or `message/rfc822-headers`) part. The root is never
    /// its own returned message.
    static func returnedMessage(in message: MIMEMessage) -> MIMEMessage? {
        for part in message.allParts.dropFirst() {
            let type = part.contentType
            if let embedded = part.embeddedMessage { return embedded }
            if type.subtype == "rfc822-headers" || type.subtype == "global-headers",
                type.type == "text" || type.type == "message"
            {
                var headers = part.decodedBody()
                // Headers only: an empty body keeps the parser from reading a header as body.
                if !headers.isEmpty, headers.last != 10 { headers += [13, 10] }
                return MIMEMessage(bytes: headers + [13, 10])
            }
        }
        return nil
    }

    /// The fields of a report part such as `message/disposition-notification` (one group).
    private static func reportFields(in message: MIMEMessage, subtype: String) -> DeliveryStatus? {
        for part in ownParts(of: message) {
            let type = part.contentType
            if type.type == "message", type.subtype == subtype || type.subtype == "global-" + subtype {
                return DeliveryStatus(parsing: part.decodedBody())
            }
        }
        return nil
    }

    /// The parts of the report itself in document order: those of a returned message excluded.
    private static func ownParts(of message: MIMEMessage) -> [MIMEPart] {
        var parts: [MIMEPart] = []
        var stack = [message.root]
        while let part = stack.popLast() {
            parts.append(part)
            stack += part.children.reversed()
        }
        return parts
    }

    /// The text parts of the report itself (not of the returned message).
    private static func humanReadableText(of message: MIMEMessage) -> String {
        var texts: [String] = []
        var stack = [message.root]
        while let part = stack.popLast() {
            if part.isMultipart {
                stack += part.children.reversed()
            } else if part.contentType.type == "text", part.contentType.subtype != "rfc822-headers", let text = part.text() {
                texts.append(text)
            }
        }
        return texts.joined(separator: "\n")
    }

    /// `displayed` from `manual-action/MDN-sent-manually; displayed/error` (RFC 8098 §3.2.6).
    private static func dispositionType(_ value: String) -> String {
        let afterModes = value.split(separator: ";", maxSplits: 1).last.map(String.init) ?? value
        let type = afterModes.split(separator: "/").first.map(String.init) ?? afterModes
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// `rfc822; a@b` → `a@b`.
    private static func stripType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value.trimmingCharacters(in: .whitespaces) }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }

    /// `joes-pc.cs.example.com; Foomail 97.1` → `joes-pc.cs.example.com`.
    private static func firstClause(_ value: String) -> String {
        (value.split(separator: ";").first.map(String.init) ?? value).trimmingCharacters(in: .whitespaces)
    }

    /// `<a@b>` → `a@b`.
    private static func bareAddress(_ value: String) -> String {
        value.trimmingCharacters(in: CharacterSet(charactersIn: " \t<>"))
    }

    /// The ids in a field such as `Original-Message-ID: <a@b>` (bare ids are accepted too).
    private static func messageIDs(in value: String) -> [String] {
        var bracketed: [String] = []
        var rest = value[...]
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty { bracketed.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if !bracketed.isEmpty { return bracketed }
        let bare = bareAddress(value)
        return bare.contains("@") && !bare.contains(" ") ? [bare] : []
    }
}
