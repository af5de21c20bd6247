public import MIME

/// RFC 3834 (and RFC 5230 §4.6) rules for automatic replies: when Liaison must stay silent.
public enum AutoReplyPolicy {
    /// Local parts of system addresses that are never answered.
    static let systemLocalParts: Set<String> = [
        "mailer-daemon", "postmaster", "listserv", "majordomo", "noreply", "no-reply", "do-not-reply", "donotreply",
    ]

    private static let listHeaders = [
        "List-Id", "List-Help", "List-Subscribe", "List-Unsubscribe", "List-Post", "List-Owner", "List-Archive",
    ]

    /// Why an acknowledgement must not be sent for `message`, or `nil` when it may be.
    public static func reasonNotToReply(to message: MIMEMessage, settings: IntakeSettings) -> String? {
        let header = message.header
        if let value = header["Auto-Submitted"], value.split(separator: ";").first?.trimmingCharacters(in: " \t").lowercased() != "no" {
            return "Auto-Submitted: \(value)"
        }
        if let precedence = header["Precedence"]?.lowercased().trimmingCharacters(in: " \t"),
            ["bulk", "list", "junk", "auto_reply"].contains(precedence)
        {
            return "Precedence: \(precedence)"
        }
        if let name = listHeaders.first(where: { header.contains($0) }) {
            return "mailing-list mail (\(name))"
        }
        if let suppress = header["X-Auto-Response-Suppress"]?.lowercased(),
            suppress.contains("all") || suppress.contains("oof") || suppress.contains("autoreply")
        {
            return "X-Auto-Response-Suppress: \(suppress)"
        }
        // Postfix writes a null reverse path as <MAILER-DAEMON>: any Return-Path without a domain is null.
        if let returnPath = header["Return-Path"] {
            let path = returnPath.filter { $0 != " " && $0 != "\t" && $0 != "<" && $0 != ">" }
            if !path.contains("@") { return "null envelope sender (Return-Path: \(returnPath))" }
        }
        guard let recipient = acknowledgementRecipient(for: message) else {
            return "no address to reply to"
        }
        let local = recipient.localPart.lowercased()
        if systemLocalParts.contains(local) || local.hasPrefix("owner-") || local.hasSuffix("-request")
            || local.hasSuffix("-bounces") || local.contains("-bounces+")
        {
            return "system address \(recipient.address)"
        }
        if settings.allOwnAddresses.contains(recipient.address.lowercased()) {
            return "Liaison's own address \(recipient.address)"
        }
        return nil
    }

    /// Where an acknowledgement goes: the envelope sender (`Return-Path`) when the delivery agent
    /// recorded one, else the `From` address.
    public static func acknowledgementRecipient(for message: MIMEMessage) -> MailAddress? {
        if let returnPath = message.header["Return-Path"],
            let address = MailAddress.parseList(returnPath).first, address.address.contains("@")
        {
            return address
        }
        return message.from.first { $0.address.contains("@") }
    }
}
