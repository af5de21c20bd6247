import Testing

@testable import MailTransport

/// The IDLE watcher's raw-connection parsing: line splitting (with literals), response events and
/// the message-count tracking that decides whether to wake the daemon.
struct IMAPIdleParsingTests {
    private func lines(_ chunks: [String], maximumLength: Int = 1 << 20) throws -> [String] {
        var reader = IMAPLineReader(maximumLength: maximumLength)
        var result: [String] = []
        for chunk in chunks {
            reader.append(Array(chunk.utf8))
            while let line = try reader.nextLine() { result.append(String(decoding: line, as: UTF8.self)) }
        }
        return result
    }

    private func event(_ line: String) -> IMAPIdleEvent { IMAPIdleEvent(line: Array(line.utf8)) }

    @Test func linesAreSplitOnCRLFAcrossChunks() throws {
        #expect(try lines(["+ idl", "ing\r\n* 3 EXI", "STS\r", "\n* 1 RECENT\r\n"]) == ["+ idling", "* 3 EXISTS", "* 1 RECENT"])
        #expect(try lines(["* 2 EXISTS\n", "W1 OK done\r\n"]) == ["* 2 EXISTS", "W1 OK done"])
        #expect(try lines(["* 4 EXISTS"]) == [])  // incomplete: waits for CRLF
    }

    @Test func aLiteralIsPartOfItsLineEvenWithCRLFAndResponseLookalikes() throws {
        let literal = "a\r\n* 99 EXISTS\r\n"
        let result = try lines(["* 1 FETCH (BODY[] {\(literal.utf8.count)}\r\n", literal, ")\r\n* 5 EXISTS\r\n"])
        #expect(result == ["* 1 FETCH (BODY[] {\(literal.utf8.count)}\r\n\(literal))", "* 5 EXISTS"])
        #expect(try lines(["* LIST () \"/\" {3+}\r\nabc\r\n"]) == ["* LIST () \"/\" {3+}\r\nabc"])
        #expect(IMAPLineReader.literalLength(endingAt: 4, in: Array("{12}".utf8)) == 12)
        #expect(IMAPLineReader.literalLength(endingAt: 3, in: Array("{}x".utf8)) == nil)
        #expect(IMAPLineReader.literalLength(endingAt: 4, in: Array("12}x".utf8)) == nil)
    }

    @Test func overlongLinesAndLiteralsAreRefused() {
        #expect(throws: IMAPParseError.self) { try lines([String(repeating: "x", count: 300)], maximumLength: 256) }
        #expect(throws: IMAPParseError.self) { try lines(["* 1 FETCH (BODY[] {100000}\r\n"], maximumLength: 256) }
        #expect((try? lines([String(repeating: "x", count: 200) + "\r\n"], maximumLength: 256))?.count == 1)
    }

    @Test func eventsAreRecognised() {
        #expect(event("+ idling") == .continuation)
        #expect(event("* 12 EXISTS") == .exists(12))
        #expect(event("* 0 exists") == .exists(0))
        #expect(event("* 3 RECENT") == .recent(3))
        #expect(event("* 7 EXPUNGE") == .expunge(7))
        #expect(event("* CAPABILITY IMAP4rev1 IDLE LITERAL+") == .capabilities(["IMAP4REV1", "IDLE", "LITERAL+"]))
        #expect(event("* BYE Server shutting down.") == .bye("* BYE Server shutting down."))
        guard case .tagged(let tag, let reply) = event("W3 OK Idle completed (0.001 + 3.000 secs).") else {
            Issue.record("tagged line not recognised")
            return
        }
        #expect(tag == "W3")
        #expect(reply.isOK)
        guard case .tagged("W4", let refused) = event("W4 BAD Unknown command IDLE") else {
            Issue.record("tagged BAD not recognised")
            return
        }
        #expect(refused.status == "BAD")
        // Not counts: ignored, never mistaken for new mail.
        #expect(event("* OK Still here") == .other)
        #expect(event("* 4 FETCH (FLAGS (\\Seen))") == .other)
        #expect(event("* EXISTS 4") == .other)
        #expect(event("* 99999999999 EXISTS") == .other)
        #expect(event("* -1 EXISTS") == .other)
        #expect(event("* 4 EXISTS extra") == .other)
        #expect(event("") == .other)
        #expect(event("W5 MAYBE") == .other)
    }

    @Test func onlyAnIncreaseWakes() {
        var tracker = IMAPIdleTracker()
        tracker.setBaseline([.other, .exists(2), .recent(1), .other])
        #expect(tracker.messages == 2)
        #expect(tracker.apply(.exists(2)) == false)
        #expect(tracker.apply(.other) == false)
        #expect(tracker.apply(.exists(3)) == true)
        #expect(tracker.apply(.recent(1)) == false)
        #expect(tracker.apply(.recent(2)) == true)
        #expect(tracker.messages == 3)
    }

    @Test func expungesLowerTheCountSoTheNextArrivalStillWakes() {
        var tracker = IMAPIdleTracker()
        tracker.setBaseline([.exists(3), .recent(0)])
        // The daemon moves all three out of the intake mailbox.
        #expect(tracker.apply(.expunge(1)) == false)
        #expect(tracker.apply(.expunge(1)) == false)
        #expect(tracker.apply(.expunge(1)) == false)
        #expect(tracker.messages == 0)
        #expect(tracker.apply(.expunge(1)) == false)
        #expect(tracker.messages == 0)
        // One new statement: EXISTS 1 is below the old baseline of 3, and must still wake.
        #expect(tracker.apply(.exists(1)) == true)
    }

    @Test func anExamineWithoutCountsStartsFromZero() {
        var tracker = IMAPIdleTracker()
        #expect(tracker.apply(.exists(5)) == false)  // no baseline yet: just learns the count
        tracker.setBaseline([.other])
        #expect(tracker.messages == 0)
        #expect(tracker.apply(.exists(1)) == true)
    }
}
