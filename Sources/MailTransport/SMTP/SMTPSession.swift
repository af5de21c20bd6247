import CCurl
import LiaisonCore
import Logging

/// One SMTP client handle (connections are reused between messages), used from one queue.
final class SMTPSession {
    /// Where the server is, for messages.
    let server: ServerAddress
    /// New connections made so far.
    private(set) var connectionsOpened = 0

    private let configuration: SMTPConfiguration
    private let easy: CurlEasy
    private let logger: Logger
    private var hasTransferred = false

    /// Creates the handle and sets the options that hold for every message.
    init(configuration: SMTPConfiguration, server: ServerAddress, helo: String?, logger: Logger) throws(TransportError)
    {
        self.configuration = configuration
        self.server = server
        self.logger = logger
        easy = try CurlEasy()
        // The URL path is the EHLO name (without one libcurl uses the local host name).
        try easy.set(CURLOPT_URL, server.description + "/" + (helo ?? ""))
        try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        // STARTTLS required, never "try": a server without it fails the connection instead of
        // receiving credentials and mail in the clear, and libcurl, which silently skips AUTH
        // when the server does not offer it, never reaches AUTH before TLS.
        let useSSL = configuration.tls == .none ? CURLUSESSL_NONE : CURLUSESSL_ALL
        try easy.set(CURLOPT_USE_SSL, Int(useSSL.rawValue))
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        try easy.set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        if let caFile = configuration.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        if let username = configuration.username, let password = configuration.password {
            try easy.set(CURLOPT_USERNAME, username)
            try easy.set(CURLOPT_PASSWORD, password)
        }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        try easy.set(CURLOPT_TIMEOUT_MS, configuration.transferTimeout.curlMilliseconds)
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
        try easy.set(CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedTime.curlSeconds)
        try easy.set(CURLOPT_MAXCONNECTS, 1)
        try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        // One refused recipient must not stop the others (libcurl's default aborts the whole
        // transaction at the first refused RCPT TO). Spelled ALLLOWFAILS before 8.2.0.
        try easy.set(CCURLOPT_MAIL_RCPT_ALLOWFAILS, 1)
        // Without UPLOAD libcurl sends VRFY instead of a message.
        try easy.set(CURLOPT_UPLOAD, 1)
    }

    /// Sends one message; the caller has validated the bytes and the addresses.
    func send(_ message: [UInt8], envelope: MailEnvelope, _ token: CancellationToken) throws -> [RecipientResult] {
        try easy.set(CURLOPT_MAIL_FROM, "<\(envelope.sender)>")
        try easy.set(CURLOPT_MAIL_RCPT, list: envelope.recipients.map { "<\($0)>" })
        try easy.set(CURLOPT_INFILESIZE_LARGE, large: Int64(message.count))

        var retried = false
        while true {
            try token.check()
            let transfer = easy.perform(upload: message, uploadGate: gate, cancellation: token)
            let reused = hasTransferred
            hasTransferred = true
            connectionsOpened += transfer.newConnections
            if transfer.uploadRefused {
                throw TransportError.authenticationNotOffered(server: server.description)
            }
            if token.isCancelled { throw CancellationError() }
            let replies = SMTPReply.replies(from: transfer.headerLines)
            // A dead reused connection fails before the server answered anything but a
            // closing 421/221: the message was not sent, so one more attempt is safe.
            let answered = replies.contains { $0.code != 421 && $0.code != 221 }
            if !transfer.succeeded, !retried, reused, !answered,
                [CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_COULDNT_CONNECT].contains(transfer.code)
            {
                retried = true
                logger.info(
                    "SMTP connection was dropped; retrying on a new connection",
                    metadata: ["curl.code": "\(transfer.number)"])
                continue
            }
            if let ending = ending(of: transfer),
                let results = SMTPTranscript.results(replies: replies, recipients: envelope.recipients, ending: ending)
            {
                return results
            }
            throw failure(transfer, replies)
        }
    }

    /// Refuses to send message data when credentials are configured but this connection did not
    /// authenticate (libcurl skips AUTH silently when the server does not offer it).
    private var gate: ((CurlTransferContext) -> Bool)? {
        guard configuration.authenticates else { return nil }
        return { context in
            // A new connection starts with the 220 greeting; a reused one was checked when opened
            // (a refused upload aborts the transfer and closes its connection).
            guard context.headerLines.first?.hasPrefix("220") == true else { return true }
            return context.headerLines.contains { $0.hasPrefix("235") }
        }
    }

    /// Classifies the end of a transaction from libcurl's code and error text.
    private func ending(of transfer: CurlTransfer) -> SMTPTranscript.Ending? {
        if transfer.succeeded { return .completed }
        switch transfer.code {
        case CURLE_SEND_ERROR:
            if transfer.errorText.hasPrefix("RCPT failed") { return .allRecipientsRefused }
            if transfer.errorText.hasPrefix("MAIL failed") { return .senderRefused }
            if transfer.errorText.hasPrefix("DATA failed") { return .dataRefused }
            return nil
        case CURLE_WEIRD_SERVER_REPLY:
            return .messageRefused
        default:
            return nil
        }
    }

    /// The error for a transaction that yielded no per-recipient results.
    private func failure(_ transfer: CurlTransfer, _ replies: [SMTPReply]) -> TransportError {
        let server = server.description
        let last = replies.last.map { "; server said: \(scrub($0.text))" } ?? ""
        let message = scrub(transfer.message) + last
        if transfer.code == CURLE_LOGIN_DENIED {
            return .authenticationFailed(
                server: server, username: configuration.username ?? "", code: transfer.number, message: message)
        }
        if transfer.succeeded {
            return .protocolViolation(
                server: server, detail: "the replies do not match the envelope's recipients\(last)")
        }
        return TransportErrorMapping.map(transfer, server: server, message: message)
    }

    private func scrub(_ text: String) -> String {
        Redaction.scrub(text, secret: configuration.password)
    }
}
