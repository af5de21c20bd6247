/// The SMTP envelope of one outgoing message.
public struct MailEnvelope: Sendable, Equatable {
    /// The reverse path (`MAIL FROM`); empty for a null sender.
    public var sender: String
    /// The forward paths (`RCPT TO`), one per recipient.
    public var recipients: [String]

    /// Creates an envelope.
    public init(sender: String, recipients: [String]) {
        self.sender = sender
        self.recipients = recipients
    }
}

/// What the server said about one recipient of a transaction.
public struct RecipientResult: Sendable, Equatable {
    /// How a recipient's delivery attempt ended.
    public enum Outcome: String, Sendable, Equatable {
        /// A 2xx reply: the server took responsibility for the message.
        case delivered
        /// A 4xx reply or a connection problem: try again later.
        case temporaryFailure = "temporary-failure"
        /// A 5xx reply: do not try again.
        case permanentFailure = "permanent-failure"
    }

    /// The recipient's address.
    public var address: String
    /// How the attempt ended for this recipient.
    public var outcome: Outcome
    /// The SMTP reply code, 0 when no reply was received.
    public var code: Int
    /// The server's reply text or the local error, for the record.
    public var detail: String

    /// Creates a result.
    public init(address: String, outcome: Outcome, code: Int, detail: String) {
        self.address = address
        self.outcome = outcome
        self.code = code
        self.detail = detail
    }
}

/// Where outgoing mail goes: an SMTP submission server.
public protocol MailSender: Sendable {
    /// Sends one message (CRLF line endings, complete headers) to the envelope's recipients.
    ///
    /// - Returns: one result per envelope recipient, in envelope order.
    /// - Throws: when nothing could be sent at all (server unreachable, TLS or AUTH failure);
    ///   the caller treats that as a temporary failure of every recipient.
    func send(_ message: [UInt8], envelope: MailEnvelope) async throws -> [RecipientResult]
}
