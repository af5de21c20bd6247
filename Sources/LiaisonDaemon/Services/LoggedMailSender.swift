import Foundation
import LiaisonCore
import Logging
import MIME

/// The daemon's ``MailSender``: sends through another one and logs each message with its
/// `message.id` and, from the `[LS-2026-0007]` in its subject, its `statement.id` — what an
/// operator greps for. Addresses only at debug, never bodies.
struct LoggedMailSender: MailSender {
    let base: any MailSender
    let logger: Logger

    func send(_ message: [UInt8], envelope: MailEnvelope) async throws -> [RecipientResult] {
        var metadata = Self.metadata(of: message)
        metadata["smtp.rcpt_count"] = "\(envelope.recipients.count)"
        let results: [RecipientResult]
        do {
            results = try await base.send(message, envelope: envelope)
        } catch {
            metadata["error"] = "\(error)"
            logger.warning("mail not sent, will retry", metadata: metadata)
            throw error
        }
        let delivered = results.filter { $0.outcome == .delivered }.count
        metadata["smtp.delivered"] = "\(delivered)"
        metadata["smtp.deferred"] = "\(results.filter { $0.outcome == .temporaryFailure }.count)"
        metadata["smtp.refused"] = "\(results.filter { $0.outcome == .permanentFailure }.count)"
        logger.notice(delivered == results.count ? "mail sent" : "mail sent, some recipients not delivered", metadata: metadata)
        return results
    }

    /// `message.id` and `statement.id` of an outgoing message, from its header only.
    static func metadata(of message: [UInt8]) -> Logger.Metadata {
        let parsed = MIMEMessage(bytes: headerBytes(message))
        var metadata: Logger.Metadata = [:]
        if let id = parsed.messageID { metadata["message.id"] = "<\(id)>" }
        if let subject = parsed.subject, let reference = reference(inSubject: subject) {
            metadata["statement.id"] = "\(reference)"
        }
        return metadata
    }

    /// The bytes up to the blank line ending the header (the body, with the original attached,
    /// need not be parsed to log).
    static func headerBytes(_ message: [UInt8]) -> [UInt8] {
        guard message.count >= 4 else { return message }
        for index in 0...(message.count - 4)
        where message[index] == 13 && message[index + 1] == 10 && message[index + 2] == 13 && message[index + 3] == 10 {
            return Array(message[..<(index + 4)])
        }
        return message
    }

    /// The reference in a subject's first `[…]`.
    static func reference(inSubject subject: String) -> StatementReference? {
        guard let open = subject.firstIndex(of: "["), let close = subject[open...].firstIndex(of: "]") else { return nil }
        return StatementReference(subject[subject.index(after: open)..<close])
    }
}
