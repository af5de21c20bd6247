public import MIME

/// What kind of mail a received message is, decided before any routing (reliability note §2.3).
public enum MessageClassification: Sendable, Equatable {
    /// A person's (or a peer body's tool's) mail: handled as a statement and acknowledged.
    case statement
    /// Automatic or list mail: handled as a statement, but never acknowledged (RFC 3834).
    case automaticStatement(reason: String)
    /// Not a statement at all: quarantined with the reason.
    case notAStatement(reason: String)
    /// A delivery or disposition report (DSN, MDN, ARF) or a bounce: attached to the statement it
    /// concerns, or quarantined when it concerns nothing known; never a statement, never answered.
    case report(DeliveryReport)

    /// Classifies a message.
    ///
    /// Order: our own mail coming back, then reports and bounces, then automatic or list mail.
    public static func classify(_ message: MIMEMessage, settings: IntakeSettings) -> MessageClassification {
        let header = message.header
        if header.fields.isEmpty {
            return .notAStatement(reason: "no header fields: not an e-mail message")
        }
        if let loop = header["X-Liaison-Loop"], loop.trimmingCharacters(in: " \t") == settings.instanceID {
            return .notAStatement(reason: "loop: a message sent by this Liaison installation came back")
        }
        let own = settings.allOwnAddresses
        if let from = message.from.first, own.contains(from.address.lowercased()) {
            return .notAStatement(reason: "loop: sent from Liaison's own address \(from.address)")
        }
        // DSN, MDN, ARF and bounces returning a message: attached to what they concern, never answered.
        if let report = DeliveryReport.parse(message, instanceID: settings.instanceID) {
            return .report(report)
        }
        if let from = message.from.first?.localPart.lowercased(), ["mailer-daemon", "postmaster"].contains(from) {
            return .notAStatement(reason: "mail from \(from): a bounce, not a statement")
        }
        guard message.from.contains(where: { $0.address.contains("@") }) else {
            return .notAStatement(reason: "no usable From address")
        }
        if let reason = AutoReplyPolicy.reasonNotToReply(to: message, settings: settings) {
            // Our own mail coming back through a peer or an auto-responder: never a new statement.
            if let loop = LoopDetection.reason(message, settings: settings) { return .notAStatement(reason: loop) }
            return .automaticStatement(reason: reason)
        }
        return .statement
    }
}
