import LiaisonCore
import Testing

@testable import MailTransport

/// Per-recipient results from recorded SMTP replies (header-callback lines).
struct SMTPTranscriptTests {
    let greeting = [
        "220 mail.example.test ESMTP", "250-mail.example.test", "250-STARTTLS", "250 CHUNKING",
        "220 2.0.0 Ready to start TLS", "250-mail.example.test", "250-AUTH PLAIN LOGIN", "250 CHUNKING",
        "334 ", "235 2.7.0 Authentication successful",
    ]
    let refused = "550 5.1.1 <nosuch@example.test>: Recipient address rejected: User unknown"

    func results(_ lines: [String], _ recipients: [String], _ ending: SMTPTranscript.Ending) -> [RecipientResult]? {
        SMTPTranscript.results(replies: SMTPReply.replies(from: lines), recipients: recipients, ending: ending)
    }

    @Test func multiLineRepliesAreGrouped() {
        let replies = SMTPReply.replies(from: ["250-a", "250-b", "250 c", "not a reply", "354 go"])
        #expect(replies.map(\.code) == [250, 354])
        #expect(replies[0].text == "250-a 250-b 250 c")
    }

    @Test func mixedRecipientsAfterAFreshConnection() throws {
        let lines =
            greeting + [
                "250 2.1.0 Ok", "250 2.1.5 Ok", refused, "250 2.1.5 Ok", "354 End data", "250 2.0.0 Ok: queued as X",
            ]
        let result = try #require(results(lines, ["a@x", "nosuch@example.test", "b@x"], .completed))
        #expect(result.map(\.outcome) == [.delivered, .permanentFailure, .delivered])
        #expect(result.map(\.code) == [250, 550, 250])
        #expect(result[0].detail == "250 2.0.0 Ok: queued as X")
        #expect(result[1].detail == refused)
    }

    @Test func aReusedConnectionHasNoGreeting() throws {
        let lines = ["250 2.1.0 Ok", "250 2.1.5 Ok", "354 go", "250 2.0.0 Ok: queued"]
        #expect(try #require(results(lines, ["a@x"], .completed)).map(\.outcome) == [.delivered])
    }

    @Test func allRefusedIsReportedPerRecipientAndIgnoresQuit() throws {
        let lines = greeting + ["250 2.1.0 Ok", refused, "450 4.2.0 try later", "221 2.0.0 Bye"]
        let result = try #require(results(lines, ["n@x", "t@x"], .allRecipientsRefused))
        #expect(result.map(\.outcome) == [.permanentFailure, .temporaryFailure])
        #expect(result.map(\.code) == [550, 450])
    }

    @Test func aRefusedMessageFailsTheAcceptedRecipientsOnly() throws {
        let lines = ["250 Ok", "250 Ok", refused, "354 go", "452 4.3.1 Insufficient storage"]
        let result = try #require(results(lines, ["a@x", "n@x"], .messageRefused))
        #expect(result.map(\.outcome) == [.temporaryFailure, .permanentFailure])
        #expect(result.map(\.code) == [452, 550])
    }

    @Test func aRefusedDataCommandFailsTheAcceptedRecipients() throws {
        let lines = ["250 Ok", "250 Ok", "554 5.5.1 no valid recipients"]
        let result = try #require(results(lines, ["a@x"], .dataRefused))
        #expect(result.map(\.code) == [554])
        #expect(result[0].outcome == .permanentFailure)
    }

    @Test func aRefusedSenderFailsEveryone() throws {
        let lines = greeting + ["553 5.7.1 sender rejected"]
        let result = try #require(results(lines, ["a@x", "b@x"], .senderRefused))
        #expect(result.allSatisfy { $0.code == 553 && $0.outcome == .permanentFailure })
    }

    @Test func repliesThatDoNotFitTheEnvelopeGiveNoResults() {
        // A recipient reply is missing: nothing can be said per recipient.
        #expect(results(["250 Ok", "250 Ok", "354 go", "250 queued"], ["a@x", "b@x"], .completed) == nil)
        // No final reply after the data: the outcome is unknown.
        #expect(results(["250 Ok", "250 Ok", "354 go"], ["a@x"], .completed) == nil)
        // All refused, yet a recipient has 250.
        #expect(results(["250 Ok", "250 Ok"], ["a@x"], .allRecipientsRefused) == nil)
    }
}
