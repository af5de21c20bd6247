import Testing

@testable import MIME

/// RFC 3676 format=flowed, uuencoded blocks, message/partial and
/// message/delivery-status.
@Suite("Text features")
struct TextFeatureTests {
    // MARK: format=flowed

    @Test("Soft line breaks are joined; hard ones kept")
    func flowedBasic() {
        let text = "This is a long \nparagraph that \nwraps.\nA second line.\n\nNew paragraph.\n"
        #expect(FlowedText.unflow(text) == "This is a long paragraph that wraps.\nA second line.\n\nNew paragraph.\n")
    }

    @Test("DelSp=yes removes the soft space")
    func flowedDelSp() {
        #expect(FlowedText.unflow("日本語の \n文章です。\n", delSp: true) == "日本語の文章です。\n")
        #expect(FlowedText.unflow("日本語の \n文章です。\n", delSp: false) == "日本語の 文章です。\n")
    }

    @Test("Space-stuffing is removed")
    func flowedStuffing() {
        #expect(FlowedText.unflow(" From the start \n >not a quote\n") == "From the start >not a quote\n")
    }

    @Test("Quoted paragraphs join only at the same depth")
    func flowedQuotes() {
        let text = "> quoted \n> text\n>> deeper \n>> still\n> back \nunquoted\nend"
        #expect(FlowedText.unflow(text) == "> quoted text\n>> deeper still\n> back \nunquoted\nend")
    }

    @Test("The signature separator is not soft; CRLF accepted")
    func flowedSignature() {
        #expect(FlowedText.unflow("Bye \nnow\r\n-- \r\nJoe\r\n") == "Bye now\n-- \nJoe\n")
        // A final soft line keeps its text.
        #expect(FlowedText.unflow("tail ") == "tail ")
        #expect(FlowedText.unflow("") == "")
    }

    @Test("text() and textBody() unflow format=flowed parts; decodedBody() does not")
    func flowedPart() {
        let raw = TestSupport.crlf(
            "Content-Type: text/plain; charset=utf-8; format=\"Flowed\"; delsp=no\n\nHello \nworld.\n> quoted \n> on\n")
        let m = MIMEMessage(bytes: raw)
        #expect(m.textBody() == "Hello world.\n> quoted on\n")
        #expect(m.root.decodedBody() == Array("Hello \r\nworld.\r\n> quoted \r\n> on\r\n".utf8))
        let fixed = MIMEMessage(bytes: TestSupport.crlf("Content-Type: text/plain\n\nHello \nworld.\n"))
        #expect(fixed.textBody() == "Hello \nworld.\n")
    }

    // MARK: uuencode

    // Lines from Python's binascii.b2a_uu.
    static let helloUU = ".2&5L;&\\L('=O<FQD(0H \n"
    static let rangeUU = "M  $\" P0%!@<(\"0H+# T.#Q 1$A,4%187&!D:&QP='A\\@(2(C)\"4F)R@I*BLL\n"

    @Test("A uuencoded block in a text body becomes a file")
    func uuencodeInText() throws {
        let raw = TestSupport.crlf(
            "Subject: uu\nContent-Type: text/plain\n\nSee the file:\n\nbegin 644 hello.txt\n\(Self.helloUU)`\nend\n\nBye\n")
        let m = MIMEMessage(bytes: raw)
        let files = m.uuencodedFiles
        #expect(files.count == 1)
        let file = try #require(files.first)
        #expect(file.filename == "hello.txt")
        #expect(file.mode == "644")
        #expect(file.data == Array("Hello, world!\n".utf8))
        #expect(file.size == 14)
        #expect(file.isComplete)
    }

    @Test("Several blocks, full 45-byte lines, backtick padding, missing end")
    func uuencodeSeveral() {
        let body =
            "begin 600 a.bin\n\(Self.rangeUU)`\nend\ntext\nbegin 644 b.bin\n4R,G*R\\S-SL_0T=+3U-76U]C9VML`\n"
        let files = UUEncode.files(in: Array(body.utf8))
        #expect(files.map(\.filename) == ["a.bin", "b.bin"])
        #expect(files.first?.data == Array(0..<45))
        #expect(files.last?.data == Array(200..<220))
        #expect(files.last?.isComplete == false)
    }

    @Test("begin-base64 blocks and x-uuencode parts")
    func uuencodeBase64AndPart() {
        let files = UUEncode.files(in: Array("begin-base64 644 x.txt\nSGVsbG8=\n====\n".utf8))
        #expect(files == [UUEncodedFile(filename: "x.txt", mode: "644", data: Array("Hello".utf8))])
        let raw = TestSupport.crlf(
            "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\n"
                + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: x-uuencode\n\n"
                + "begin 644 hello.txt\n\(Self.helloUU)`\nend\n--b--\n")
        let m = MIMEMessage(bytes: raw)
        #expect(m.uuencodedFiles.map(\.filename) == ["hello.txt"])
        #expect(m.attachments.count == 1)
    }

    @Test("Prose that merely starts with 'begin' is not a file")
    func uuencodeFalsePositives() {
        let text = "begin 644 the meeting\nat noon, as agreed.\nbegin here\nbegin 9999 x\n"
        #expect(UUEncode.files(in: Array(text.utf8)).isEmpty)
        #expect(UUEncode.files(in: [UInt8]()).isEmpty)
    }

    // MARK: message/partial, message/delivery-status

    @Test("message/partial parameters")
    func partial() {
        let raw = TestSupport.crlf(
            "Subject: part 2\nContent-Type: message/partial; id=\"ABC@host.com\"; number=2; total=3\n\nSubject: x\n\nbody\n")
        let m = MIMEMessage(bytes: raw)
        #expect(m.partial == MessagePartial(id: "ABC@host.com", number: 2, total: 3))
        #expect(m.root.embeddedMessage == nil)
        #expect(MIMEMessage(bytes: TestSupport.crlf("Subject: x\n\nbody\n")).partial == nil)
    }

    @Test("A DSN's delivery-status is parsed per recipient")
    func deliveryStatus() throws {
        let raw = TestSupport.crlf(
            """
            From: MAILER-DAEMON@example.org
            Subject: Undelivered Mail Returned to Sender
            Content-Type: multipart/report; report-type=delivery-status; boundary="r"

            --r
            Content-Type: text/plain

            Sorry.
            --r
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.org
            Arrival-Date: Mon, 3 Nov 2025 10:00:00 +0000

            Final-Recipient: rfc822; nobody@example.net
            Original-Recipient: rfc822;Nobody@example.net
            Action: Failed
            Status: 5.1.1 (user unknown)
            Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>:
                Recipient address rejected

            Final-Recipient: rfc822; late@example.net
            Action: delayed
            Status: 4.4.1

            --r--

            """)
        let m = MIMEMessage(bytes: raw)
        let status = try #require(m.deliveryStatus)
        #expect(status.reportingMTA == "mx.example.org")
        #expect(status["arrival-date"] == "Mon, 3 Nov 2025 10:00:00 +0000")
        #expect(status.recipients.count == 2)
        let first = status.recipients[0]
        #expect(first.finalRecipient == "nobody@example.net")
        #expect(first.originalRecipient == "Nobody@example.net")
        #expect(first.action == "failed")
        #expect(first.status == "5.1.1")
        #expect(first.diagnosticCode == "smtp; 550 5.1.1 <nobody@example.net>:    Recipient address rejected")
        #expect(status.recipients[1].action == "delayed")
        #expect(status.recipients[1].status == "4.4.1")
        #expect(m.root.children[0].deliveryStatus == nil)
    }

    @Test("Delivery-status parsing tolerates junk")
    func deliveryStatusJunk() {
        let status = DeliveryStatus(parsing: Array("\n\n  folded-first\n: no name\nnot a field\nX: y\r\n\r\n\r\nA: b".utf8))
        #expect(status.messageFields == [DeliveryStatus.Field(name: "X", value: "y")])
        #expect(status.recipients.map(\.fields) == [[DeliveryStatus.Field(name: "A", value: "b")]])
        #expect(DeliveryStatus(parsing: [UInt8]()).recipients.isEmpty)
    }
}
