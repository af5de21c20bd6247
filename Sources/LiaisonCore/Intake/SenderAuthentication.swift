public import MIME

/// Whether a statement's sender was authenticated by our own mail server, as recorded with it.
public struct SenderAuthentication: Sendable, Equatable, Codable, CustomStringConvertible {
    /// `true` when a trusted `Authentication-Results` field shows a passing, aligned result.
    public var verified: Bool
    /// What was found, e.g. `dmarc=pass header.from=itu.int (by mx.example.org)` or why nothing counted.
    public var detail: String

    /// Creates a result.
    public init(verified: Bool, detail: String) {
        self.verified = verified
        self.detail = detail
    }

    /// `verified: …` or `unverified: …`.
    public var description: String { (verified ? "verified: " : "unverified: ") + detail }
}

/// Which senders count as authenticated (`service.sender_authentication` in the configuration).
///
/// Liaison does not check DKIM, SPF or DMARC itself: it reads the `Authentication-Results`
/// fields (RFC 8601) that our own border MTA added. Only fields whose authserv-id is configured
/// count, and only the topmost ones: reading the header from the top (past at most
/// ``receivedAbove`` `Received` fields of our own delivery), trusted fields count until the next
/// `Received` field (the receiving MTA's own trace; everything under it came with the message) or
/// the first field from another authserv-id. A forged field lower down,
/// even one claiming our authserv-id, is never read. The MTA must remove incoming fields that
/// claim our authserv-id (RFC 8601 §5), which Postfix with OpenDKIM/OpenDMARC does.
public struct SenderAuthenticationPolicy: Sendable, Equatable {
    /// A method whose passing result authenticates the From domain.
    public enum Method: String, Sendable, CaseIterable, Equatable {
        /// `dmarc=pass` with `header.from` equal to the From domain.
        case dmarc
        /// `dkim=pass` with `header.d` (or `header.i`) aligned with the From domain.
        case dkim
        /// `spf=pass` with `smtp.mailfrom` aligned with the From domain.
        case spf
    }

    /// The authserv-ids of our own MTAs (lowercased).
    public var trustedAuthservIDs: [String]
    /// Any of these passing (aligned with the From domain) authenticates the sender.
    public var accepted: [Method]
    /// How many `Received` fields our own delivery adds above the MTA's results (0 when the MTA
    /// delivers to the mailbox itself; 1 behind Dovecot LMTP). More above them: not trusted.
    public var receivedAbove: Int

    /// Creates a policy; `accepted` defaults to DMARC alone.
    public init(trustedAuthservIDs: [String], accepted: [Method] = [.dmarc], receivedAbove: Int = 0) {
        self.trustedAuthservIDs = trustedAuthservIDs.map { $0.lowercased() }
        self.accepted = accepted
        self.receivedAbove = receivedAbove
    }

    /// The trusted `Authentication-Results` of a message, topmost first (see the type's rule).
    public func trustedResults(of message: MIMEMessage) -> [AuthenticationResults] {
        var trusted: [AuthenticationResults] = []
        var received = 0
        for field in message.header.fields {
            if field.hasName("Received") {
                // Our own delivery's trace may sit above the MTA's results; the MTA's own
                // Received (or any further one) ends the part of the header written by us.
                received += 1
                if trusted.isEmpty && received <= receivedAbove { continue }
                break
            }
            guard field.hasName("Authentication-Results") else { continue }
            guard let results = AuthenticationResults(field.value), trustedAuthservIDs.contains(results.authservID)
            else { break }
            trusted.append(results)
        }
        return trusted
    }

    /// Whether the message's author domain passed one of the accepted methods, by a trusted field.
    public func evaluate(_ message: MIMEMessage) -> SenderAuthentication {
        let authors = message.from
        guard authors.count == 1, let domain = authors.first?.domain?.lowercased(), !domain.isEmpty else {
            return SenderAuthentication(verified: false, detail: "no single From address to authenticate")
        }
        let trusted = trustedResults(of: message)
        guard !trusted.isEmpty else {
            let ids = trustedAuthservIDs.joined(separator: ", ")
            return SenderAuthentication(verified: false, detail: "no Authentication-Results from \(ids) for \(domain)")
        }
        var seen: [String] = []
        for field in trusted {
            for result in field.results {
                guard let method = Method(rawValue: result.method) else { continue }
                let subject = SenderAuthenticationPolicy.subject(of: result, method: method)
                let summary = "\(method.rawValue)=\(result.result)" + (subject.map { " \($0.key)=\($0.value)" } ?? "")
                seen.append(summary)
                guard accepted.contains(method), result.result == "pass", let subject else { continue }
                let aligned =
                    method == .dmarc
                    ? subject.value.lowercased() == domain
                    : SenderAuthenticationPolicy.aligned(SenderAuthenticationPolicy.domain(of: subject.value), domain)
                if aligned {
                    return SenderAuthentication(verified: true, detail: "\(summary) (by \(field.authservID))")
                }
            }
        }
        let accepted = accepted.map(\.rawValue).joined(separator: " or ")
        let found = seen.isEmpty ? "no results" : seen.joined(separator: ", ")
        return SenderAuthentication(
            verified: false, detail: "no passing \(accepted) for \(domain) (found: \(found); by \(trusted[0].authservID))")
    }

    /// Records the result on the statement; an unverified sender adds a triage reason (and so
    /// makes the statement need triage).
    public func apply(to statement: inout Statement, message: MIMEMessage) {
        let authentication = evaluate(message)
        statement.senderAuthentication = authentication
        if !authentication.verified {
            statement.triageReasons.append(TriageReason(field: .from, reason: "sender not authenticated: \(authentication.detail)"))
        }
    }

    /// The property a method's result is about.
    static func subject(of result: AuthenticationResults.Result, method: Method) -> (key: String, value: String)? {
        let keys: [String]
        switch method {
        case .dmarc: keys = ["header.from"]
        case .dkim: keys = ["header.d", "header.i"]
        case .spf: keys = ["smtp.mailfrom"]
        }
        for key in keys { if let value = result.properties[key], !value.isEmpty { return (key, value) } }
        return nil
    }

    /// The domain of `user@domain` or of a bare domain.
    static func domain(of value: String) -> String {
        let lower = value.lowercased()
        guard let at = lower.lastIndex(of: "@") else { return lower }
        return String(lower[lower.index(after: at)...])
    }

    /// Relaxed alignment without a public-suffix list: the same domain, or one a subdomain of the other.
    static func aligned(_ a: String, _ b: String) -> Bool {
        !a.isEmpty && (a == b || a.hasSuffix("." + b) || b.hasSuffix("." + a))
    }
}
