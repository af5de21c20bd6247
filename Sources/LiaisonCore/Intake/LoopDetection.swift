public import MIME

/// Recognises automatic mail that is Liaison's own mail coming back in another form: a peer
/// installation's forwarded copy with our copy attached, or an auto-responder's reply to a message
/// we sent. Such mail is never handled as a new statement, so two installations forwarding to each
/// other, or a naive vacation responder among the recipients, cannot start a loop (reliability
/// note §2: our own loop header or Message-ID → drop).
enum LoopDetection {
    /// Why `message` is our own mail coming back, or nil. Only for automatic mail: a person who
    /// forwards one of our copies to the intake is still heard.
    static func reason(_ message: MIMEMessage, settings: IntakeSettings) -> String? {
        if let depth = depthOfOwnMessage(in: message, instanceID: settings.instanceID, level: 0) {
            return "loop: automatic mail carrying a message this Liaison installation sent (\(depth) level(s) down)"
        }
        // A reply naming one of our references in its subject is attached to that statement instead.
        if let subject = message.subject, StatementReply.reference(in: subject, prefix: settings.referencePrefix) != nil {
            return nil
        }
        let domain = settings.messageIDDomain.lowercased()
        for id in message.inReplyTo + message.references where isOwnMessageID(id, domain: domain) {
            return "loop: an automatic reply to mail this Liaison installation sent (<\(id)>)"
        }
        return nil
    }

    /// How deep an attached message carrying our `X-Liaison-Loop` sits, at most four levels down.
    private static func depthOfOwnMessage(in message: MIMEMessage, instanceID: String, level: Int) -> Int? {
        guard level < 4 else { return nil }
        for part in message.allParts {
            guard let embedded = part.embeddedMessage else { continue }
            if embedded.header.values("X-Liaison-Loop").contains(where: { $0.trimmingCharacters(in: " \t") == instanceID }) {
                return level + 1
            }
            if let depth = depthOfOwnMessage(in: embedded, instanceID: instanceID, level: level + 1) { return depth }
        }
        return nil
    }

    /// Whether `id` has the form of the Message-IDs ``OutgoingMailFactory`` makes:
    /// `[REFERENCE.]KIND.TOKEN@message_id_domain`.
    static func isOwnMessageID(_ id: String, domain: String) -> Bool {
        guard let at = id.lastIndex(of: "@"), id[id.index(after: at)...].lowercased() == domain else { return false }
        let parts = id[..<at].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        let kinds = Set(OutgoingKind.allCases.map(\.rawValue))
        return kinds.contains(String(parts[0])) || (parts.count >= 3 && kinds.contains(String(parts[1])))
    }
}
