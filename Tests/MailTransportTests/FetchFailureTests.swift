import Testing

@testable import MailTransport

/// A fetch cut part-way names the message (docs/reliability.md, "IMAP connection cut mid-fetch").
@Suite("Fetch failures name the message")
struct FetchFailureTests {
    let server = "imap://127.0.0.1:10143"

    @Test("A dropped connection, timeout, partial transfer or odd reply during a fetch names the UID and mailbox")
    func wrapped() {
        let causes: [TransportError] = [
            .connectionFailed(server: server, code: 56, message: "Failure when receiving data from the peer"),
            .timedOut(server: server, code: 28, message: "Operation too slow"),
            .transferFailed(server: server, code: 18, message: "transfer closed with 19535 bytes remaining to read"),
            .protocolViolation(server: server, detail: "libcurl 8: Weird server reply"),
        ]
        for cause in causes {
            let error = cause.duringFetch(mailbox: "INBOX", uid: 7)
            #expect(error == .fetchFailed(mailbox: "INBOX", uid: 7, reason: cause.description))
            #expect(error.description.hasPrefix("message UID 7 of mailbox \"INBOX\" could not be read completely"))
            #expect(error.description.contains("nothing of it was recorded or moved"))
            #expect(error.description.hasSuffix(cause.description))
        }
    }

    @Test("TLS, login and command failures keep their own case (their classification stays)")
    func unchanged() {
        let kept: [TransportError] = [
            .tlsFailed(server: server, code: 60, message: "certificate has expired"),
            .authenticationFailed(server: server, username: "intake", code: 67, message: "Login denied"),
            .commandFailed(server: server, command: "UID FETCH", mailbox: "INBOX", uid: 7, response: "NO"),
            .mailboxUnavailable(server: server, mailbox: "INBOX", response: "NO"),
        ]
        for error in kept {
            #expect(error.duringFetch(mailbox: "INBOX", uid: 7) == error)
        }
    }
}
