import LiaisonCore
import MIME
import Testing

/// Our own mail coming back through a peer installation or an auto-responder is never a new
/// statement (it would be forwarded again, and the exchange would not stop).
@Suite("Loop detection")
struct LoopDetectionTests {
    func classify(_ text: String) -> MessageClassification {
        MessageClassification.classify(MIMEMessage(bytes: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)), settings: testSettings)
    }

    func isLoop(_ classification: MessageClassification) -> Bool {
        if case .notAStatement(let reason) = classification { return reason.hasPrefix("loop:") }
        return false
    }

    /// A peer installation's forwarded copy, with our own forwarded copy attached inside it.
    func peerCopy(autoSubmitted: Bool) -> String {
        """
        From: Peer Liaison <peer-intake@peer.example>
        To: t-intake@example.test
        Subject: [LSB-2026-0001] LS on YANG models
        \(autoSubmitted ? "Auto-Submitted: auto-generated\nX-Liaison-Loop: liaison-peer\n" : "")Message-ID: <LSB-2026-0001.forward.x1@peer.example>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b"

        --b
        Content-Type: text/plain

        A liaison statement was received and recorded as LSB-2026-0001.
        --b
        Content-Type: message/rfc822

        From: Liaison Statements <t-intake@example.test>
        To: peer-intake@peer.example
        Subject: [LS-2026-0007] LS on YANG models
        Auto-Submitted: auto-generated
        X-Liaison-Loop: liaison-test
        Message-ID: <LS-2026-0007.forward.abc@example.test>

        A liaison statement was received and recorded as LS-2026-0007.
        --b--
        """
    }

    /// A vacation responder's answer to one of our messages.
    func vacation(subject: String, inReplyTo: String) -> String {
        """
        From: Chair on Vacation <chair@example.org>
        To: t-intake@example.test
        Subject: \(subject)
        Auto-Submitted: auto-replied
        In-Reply-To: <\(inReplyTo)>
        References: <\(inReplyTo)>

        I am out of the office.

        > Title: LS on YANG models
        > To: MARS WG Chairs
        """
    }

    @Test("A peer's automatic copy carrying our own copy is a loop; a person forwarding it is heard")
    func peerCopies() {
        #expect(isLoop(classify(peerCopy(autoSubmitted: true))))
        #expect(classify(peerCopy(autoSubmitted: false)) == .statement)
    }

    @Test("An auto-reply to a message we sent is a loop, whatever its subject says, unless it names the statement")
    func autoReplies() {
        #expect(isLoop(classify(vacation(subject: "Out of office", inReplyTo: "LS-2026-0007.forward.abc@example.test"))))
        #expect(isLoop(classify(vacation(subject: "Out of office", inReplyTo: "quarantine-notice.abc@EXAMPLE.test"))))
        // Naming the reference: attached to the statement as a reply (IntakeProcessor), not new mail.
        let named = classify(vacation(subject: "Auto: [LS-2026-0007] LS on YANG models", inReplyTo: "LS-2026-0007.forward.abc@example.test"))
        #expect(!isLoop(named))
        // An auto-reply to somebody else's mail is automatic mail as before (never acknowledged).
        let other = classify(vacation(subject: "Out of office", inReplyTo: "LS-2026-0007.forward.abc@other.example"))
        #expect(other == .automaticStatement(reason: "Auto-Submitted: auto-replied"))
        #expect(!isLoop(classify(vacation(subject: "Out of office", inReplyTo: "meeting-42@example.test"))))
    }
}
