import LiaisonCore
import Logging

/// Sends mail through an SMTP submission server with libcurl: the daemon's ``MailSender``.
///
/// Before anything reaches libcurl the message must be canonical (CRLF line endings, no NUL)
/// and every envelope address must be free of characters that could alter the SMTP dialogue.
/// One refused recipient does not stop the others; the result for each comes from the server's
/// replies. With credentials configured, TLS is required (except to loopback when explicitly
/// allowed) and a server that offers no AUTH gets no message.
///
/// Each sender owns one libcurl handle (the connection is reused between messages) and runs it on
/// its own serial queue, never on Swift's cooperative pool; sends run one at a time.
public final class SMTPSender: MailSender {
    /// The configuration the sender was created with (its description redacts the password).
    public let configuration: SMTPConfiguration

    private let executor: BlockingExecutor<SMTPSession>
    private let logger: Logger
    private let server: String

    /// Validates `configuration` and prepares the handle; nothing is sent until ``send(_:envelope:)``.
    ///
    /// - Parameter logger: receives events with `smtp.rcpt_count` metadata; addresses only at
    ///   debug level, never message bodies or credentials.
    /// - Throws: ``TransportError/invalidConfiguration(_:)`` or
    ///   ``TransportError/libcurlUnavailable(reason:)``.
    public init(configuration: SMTPConfiguration, logger: Logger) throws {
        let (server, helo) = try configuration.validated()
        let session = try SMTPSession(configuration: configuration, server: server, helo: helo, logger: logger)
        self.configuration = configuration
        self.logger = logger
        self.server = server.description
        self.executor = BlockingExecutor(label: "liaison.smtp.\(server.host).\(server.port)", state: session)
    }

    /// Sends `message` to the envelope's recipients.
    ///
    /// - Returns: one result per recipient, in envelope order: `.delivered` when the recipient was
    ///   accepted and the server accepted the message; otherwise the refusing reply's code and text
    ///   (4xx temporary, 5xx permanent). Every recipient refused is still a result, not an error.
    /// - Throws: ``TransportError/invalidMessage(offset:reason:)`` for a bare CR, bare LF or NUL
    ///   and ``TransportError/invalidAddress(_:)`` before anything is sent; connection, TLS and
    ///   authentication failures as ``TransportError`` (nothing was delivered).
    public func send(_ message: [UInt8], envelope: MailEnvelope) async throws -> [RecipientResult] {
        try EnvelopeAddress.validate(envelope.sender, allowEmpty: true)
        for recipient in envelope.recipients {
            try EnvelopeAddress.validate(recipient, allowEmpty: false)
        }
        try MessageValidation.requireCanonicalLineEndings(message)
        guard !envelope.recipients.isEmpty else { return [] }

        var metadata: Logger.Metadata = ["smtp.rcpt_count": "\(envelope.recipients.count)"]
        logger.debug(
            "Sending message",
            metadata: metadata.merging(
                [
                    "smtp.from": "\(envelope.sender)", "smtp.rcpt": "\(envelope.recipients)",
                    "smtp.bytes": "\(message.count)",
                ]
            ) { $1 })
        let results = try await executor.run { session, token in
            try session.send(message, envelope: envelope, token)
        }
        let delivered = results.filter { $0.outcome == .delivered }.count
        metadata["smtp.delivered"] = "\(delivered)"
        metadata["smtp.refused"] = "\(results.count - delivered)"
        logger.info("Message sent", metadata: metadata)
        for result in results where result.outcome != .delivered {
            logger.debug(
                "Recipient refused",
                metadata: [
                    "smtp.rcpt": "\(result.address)", "smtp.code": "\(result.code)", "smtp.reply": "\(result.detail)",
                ])
        }
        return results
    }

    /// How many connections this sender has opened (internal, for tests).
    var connectionsOpened: Int {
        get async throws { try await executor.run { session, _ in session.connectionsOpened } }
    }
}
