import Testing

@testable import MailTransport

/// Parsing of recorded IMAP replies as libcurl delivers them (write callback: untagged lines;
/// header callback: every line).
struct IMAPResponseTests {
    func response(_ untagged: [String], lines: [String] = []) -> IMAPResponse {
        IMAPResponse(body: Array(untagged.map { $0 + "\r\n" }.joined().utf8), headerLines: lines)
    }

    @Test func statusLineIsParsedWhateverTheOrderAndQuoting() {
        let plain = response(["* STATUS INBOX (MESSAGES 3 UIDNEXT 7 UIDVALIDITY 1795301184)"])
        #expect(plain.status()! == (1_795_301_184, 7, 3))
        let quoted = response([#"* STATUS "Processed/2026 &AMQ-rger" (UIDVALIDITY 5 MESSAGES 0 UIDNEXT 1)"#])
        #expect(quoted.status()! == (5, 1, 0))
        #expect(response(["* STATUS INBOX (MESSAGES 3)"]).status() == nil)
    }

    @Test func esearchAllIsExpanded() throws {
        let result = try #require(try response([#"* ESEARCH (TAG "A004") UID ALL 7:9,12,20:18 COUNT 7"#]).esearch())
        #expect(result.uids == [7, 8, 9, 12, 18, 19, 20])
        #expect(result.count == 7)
        let empty = try #require(try response([#"* ESEARCH (TAG "A005") UID COUNT 0"#]).esearch())
        #expect(empty.uids == [])
        #expect(empty.count == 0)
        #expect(try response(["* SEARCH 1 2"]).esearch() == nil)
        #expect(throws: IMAPParseError.self) { try response([#"* ESEARCH (TAG "A") UID ALL 1:x"#]).esearch() }
        #expect(throws: IMAPParseError.self) { try IMAPResponse.expand(sequenceSet: "1:*") }
        #expect(throws: IMAPParseError.self) { try IMAPResponse.expand(sequenceSet: "0") }
    }

    @Test func searchCollectsUIDsAndIgnoresModseq() throws {
        #expect(try response(["* 3 EXISTS", "* SEARCH 4 5 9"]).search() == [4, 5, 9])
        #expect(try response(["* SEARCH"]).search() == [])
        #expect(try response(["* SEARCH 4 (MODSEQ 17)"]).search() == [4])
        #expect(try response(["* 1 EXISTS"]).search() == nil)
        #expect(throws: IMAPParseError.self) { try response(["* SEARCH 4 x"]).search() }
    }

    @Test func fetchAttributesMatchTheUID() {
        let reply = response([
            #"* 2 FETCH (FLAGS (\Seen) UID 8)"#,
            #"* 3 FETCH (UID 9 RFC822.SIZE 1234 FLAGS (\Answered $Processed))"#,
        ])
        let attributes = reply.fetchAttributes(uid: 9)
        #expect(attributes?["RFC822.SIZE"]?.number == 1234)
        #expect(attributes?["FLAGS"]?.elements?.compactMap(\.text) == [#"\Answered"#, "$Processed"])
        #expect(reply.fetchAttributes(uid: 10) == nil)
    }

    @Test func taggedLineSkipsTheLogoutAfterAFailure() {
        let lines = [
            "* OK [CAPABILITY IMAP4rev1] ready", "A003 OK [READ-WRITE] Select completed",
            "A004 NO [TRYCREATE] Mailbox doesn't exist: Nope", "* BYE Logging out", "A005 OK Logout completed",
        ]
        let tagged = response([], lines: lines).tagged
        #expect(tagged?.status == "NO")
        #expect(tagged?.codeName == "TRYCREATE")
        #expect(response([], lines: ["* OK hi", "+ OK"]).tagged == nil)
    }

    @Test func appendUIDAndCopyUIDAreRead() {
        let appended = response([], lines: ["A003 OK [APPENDUID 1795301172 42] Append completed."])
        #expect(appended.tagged?.appendUID == 42)
        let moved = response(["* OK [COPYUID 1795301184 1 1] Moved UIDs.", "* 1 EXPUNGE"])
        #expect(moved.copyUID == "COPYUID 1795301184 1 1")
        #expect(moved.reportsExpunge)
        let nothing = response([], lines: ["A004 OK No messages found"])
        #expect(nothing.copyUID == nil)
        #expect(!nothing.reportsExpunge)
    }

    @Test func capabilitiesPreferTheLastList() {
        let lines = [
            "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready", "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN",
            "A002 OK [CAPABILITY IMAP4rev1 UIDPLUS ESEARCH MOVE] Logged in",
        ]
        #expect(IMAPResponse.capabilities(in: lines) == ["IMAP4REV1", "UIDPLUS", "ESEARCH", "MOVE"])
        #expect(IMAPResponse.capabilities(in: ["* OK hello"]) == nil)
    }

    @Test func listNamesAreDecoded() {
        let reply = response([
            #"* LIST (\HasNoChildren) "/" INBOX"#, #"* LIST (\HasChildren) "/" "Processed""#,
            #"* LIST (\HasNoChildren) "/" "Processed/2026 &AMQ-rger""#, #"* LIST () "/" {5}"#,
        ])
        #expect(reply.listedMailboxes() == ["INBOX", "Processed", "Processed/2026 Ärger"])
    }

    @Test func valuesParseAtomsStringsListsAndRefuseLiterals() {
        #expect(
            IMAPValue.parse(#"* 1 FETCH (BODY[HEADER.FIELDS (A B)] "x\"y" NIL)"#) == [
                .atom("*"), .atom("1"), .atom("FETCH"),
                .list([.atom("BODY[HEADER.FIELDS (A B)]"), .string(#"x"y"#), .atom("NIL")]),
            ])
        #expect(IMAPValue.parse("* 1 FETCH (BODY[] {12}") == nil)
        #expect(IMAPValue.parse("* (unbalanced") == nil)
        #expect(IMAPValue.parse(#"* "unterminated"#) == nil)
    }

    @Test func linesSplitOnBytesNotCharacters() {
        #expect(IMAPResponse.splitLines(Array("a\r\nb\nc\r\n".utf8)) == ["a", "b", "c"])
        #expect(IMAPResponse.splitLines(Array("tail".utf8)) == ["tail"])
    }
}
