import LiaisonCore
import MIME
import Testing

/// `Authentication-Results` (RFC 8601) parsing and which fields are trusted.
@Suite("Sender authentication")
struct SenderAuthenticationTests {
    // MARK: Parsing

    @Test("RFC 8601 syntax: authserv-id, version, several results, properties, reason")
    func parsesResults() throws {
        let parsed = try #require(
            AuthenticationResults(
                "MX.Example.ORG 1; dkim=pass header.d=itu.int header.s=sel; spf=fail smtp.mailfrom=x@itu.int;\r\n"
                    + " dmarc=pass reason=\"aligned DKIM\" header.from=itu.int"))
        #expect(parsed.authservID == "mx.example.org")
        #expect(parsed.results.map(\.method) == ["dkim", "spf", "dmarc"])
        #expect(parsed.results.map(\.result) == ["pass", "fail", "pass"])
        #expect(parsed.results[0].properties == ["header.d": "itu.int", "header.s": "sel"])
        #expect(parsed.results[1].properties["smtp.mailfrom"] == "x@itu.int")
        #expect(parsed.results[2].properties["reason"] == "aligned DKIM")
    }

    @Test("Comments (nested, anywhere), spaces around = and quoted values are understood")
    func commentsAndSpaces() throws {
        let parsed = try #require(
            AuthenticationResults(
                "(the (nested) comment) mx.example.org (x); dkim (the method) = pass (ok) header.d = \"itu.int\" (signer); dmarc=fail (p=reject) header.from=itu.int"
            ))
        #expect(parsed.authservID == "mx.example.org")
        #expect(parsed.results.map(\.result) == ["pass", "fail"])
        #expect(parsed.results[0].properties["header.d"] == "itu.int")
    }

    @Test("`none`, method versions, and what does not parse")
    func noneAndInvalid() throws {
        #expect(AuthenticationResults("mx.example.org; none")?.results == [])
        #expect(AuthenticationResults("mx.example.org; dkim/1=pass header.d=a.example")?.results.first?.method == "dkim")
        #expect(AuthenticationResults("") == nil)
        #expect(AuthenticationResults("mx.example.org; (unclosed") == nil)
        #expect(AuthenticationResults("mx.example.org; dkim") == nil)
        #expect(AuthenticationResults("mx.example.org 2; dkim=pass") == nil)
        #expect(AuthenticationResults("mx.example.org; dkim=pass \"unterminated") == nil)
    }

    // MARK: Trust

    let policy = SenderAuthenticationPolicy(trustedAuthservIDs: ["mx.example.org"], accepted: [.dmarc, .dkim])

    func message(_ headers: [String], from: String = "Rapporteur <r@itu.int>") -> MIMEMessage {
        let text = (headers + ["From: \(from)", "To: ls@example.org", "Subject: LS on tests", ""]).joined(separator: "\r\n") + "\r\nbody\r\n"
        return MIMEMessage(bytes: Array(text.utf8))
    }

    @Test("Our topmost passing DMARC verifies the From domain")
    func topmostPasses() {
        let result = policy.evaluate(
            message([
                "Authentication-Results: mx.example.org; dmarc=pass header.from=itu.int",
                "Received: from mail.itu.int by mx.example.org",
            ]))
        #expect(result.verified)
        #expect(result.detail == "dmarc=pass header.from=itu.int (by mx.example.org)")
    }

    @Test("A forged passing field with our authserv-id below our MTA's Received is never read")
    func forgedLowerFieldIgnored() {
        let forged = message([
            "Authentication-Results: mx.example.org; dmarc=fail header.from=itu.int",
            "Received: from attacker.example by mx.example.org",
            "Authentication-Results: mx.example.org; dmarc=pass header.from=itu.int",
        ])
        #expect(!policy.evaluate(forged).verified)
        // Without our own field, a forged one lower down counts for nothing either.
        let only = message([
            "Received: from attacker.example by mx.example.org",
            "Authentication-Results: mx.example.org; dmarc=pass header.from=itu.int",
        ])
        #expect(!policy.evaluate(only).verified)
        #expect(policy.trustedResults(of: only).isEmpty)
    }

    @Test("received_above: our delivery's Received fields above the MTA's results are passed over, no more")
    func receivedAbove() {
        let lmtp = SenderAuthenticationPolicy(trustedAuthservIDs: ["mx.example.org"], accepted: [.dmarc], receivedAbove: 1)
        let delivered = message([
            "Received: from mx.example.org by imap.example.org with LMTP",
            "Authentication-Results: mx.example.org; dmarc=pass header.from=itu.int",
            "Received: from mail.itu.int by mx.example.org",
        ])
        #expect(lmtp.evaluate(delivered).verified)
        #expect(!policy.evaluate(delivered).verified, "with 0, a Received above the results ends the trusted part")
        let forged = message([
            "Received: from mx.example.org by imap.example.org with LMTP",
            "Received: from attacker.example by mx.example.org",
            "Authentication-Results: mx.example.org; dmarc=pass header.from=itu.int",
        ])
        #expect(!lmtp.evaluate(forged).verified)
    }

    @Test("Fields from a foreign authserv-id do not count, and stop the trusted block")
    func foreignAuthservID() {
        #expect(!policy.evaluate(message(["Authentication-Results: mx.attacker.example; dmarc=pass header.from=itu.int"])).verified)
        let below = message([
            "Authentication-Results: mx.attacker.example; none",
            "Authentication-Results: mx.example.org; dmarc=pass header.from=itu.int",
        ])
        #expect(!policy.evaluate(below).verified)
    }

    @Test("Several trusted fields at the top (one per milter) are read together")
    func severalTopFields() {
        let result = policy.evaluate(
            message([
                "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=itu.int",
                "Authentication-Results: mx.example.org; dkim=pass header.d=itu.int",
                "Received: from mail.itu.int by mx.example.org",
            ]))
        #expect(result.verified)
        #expect(result.detail.hasPrefix("dkim=pass header.d=itu.int"))
    }

    @Test("Failing, unaligned or unaccepted methods do not verify")
    func failures() {
        let cases = [
            "dmarc=fail header.from=itu.int",
            "dmarc=pass header.from=attacker.example",
            "dkim=pass header.d=attacker.example",
            "dkim=pass header.d=notitu.int",
            "spf=pass smtp.mailfrom=r@itu.int",  // spf is not accepted by this policy
            "dmarc=none header.from=itu.int",
            "dmarc=pass",  // no header.from: about nothing
        ]
        for results in cases {
            let verdict = policy.evaluate(message(["Authentication-Results: mx.example.org; \(results)"]))
            #expect(!verdict.verified, "\(results)")
        }
        #expect(policy.evaluate(message(["Authentication-Results: mx.example.org; dkim=pass header.d=mail.itu.int"])).verified)
    }

    @Test("More than one From address, or none, is never verified")
    func fromAddresses() {
        let pass = "Authentication-Results: mx.example.org; dmarc=pass header.from=itu.int"
        #expect(!policy.evaluate(message([pass], from: "a@itu.int, b@attacker.example")).verified)
        #expect(!policy.evaluate(message([pass], from: "undisclosed-recipients:;")).verified)
    }

    @Test("An unverified sender is recorded on the statement, with a triage reason")
    func applyMarksTheStatement() {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on tests"
        policy.apply(to: &statement, message: message([]))
        #expect(statement.senderAuthentication?.verified == false)
        #expect(statement.needsTriage)
        #expect(statement.triageReasons.map(\.field) == [.from])
    }
}
