import Foundation
import MIME
import Testing

/// A sample of the header injection corpus (Tests/LiaisonDaemonTests/InjectionCorpus.swift)
/// through the real servers: each statement is put in the intake Maildir as Dovecot would receive
/// it (raw CR, LF, NUL and all), `liaison poll --once` reads it over IMAP and sends its mail through
/// Postfix, and every message delivered to the run's mailboxes is read back: only the header fields
/// Liaison writes (plus the delivery's own), no recipient outside the directory and the
/// acknowledged sender, and nothing ever delivered to the injected address's own mailbox.
@Suite("Injection vectors through the real Postfix", .serialized, .enabled(if: MailStack.shouldRun))
struct InjectionIntegrationTests {
    /// The header fields Liaison writes, and those the delivery adds (Postfix, the pipe to the Maildir).
    static let allowedTopFields: Set<String> = [
        "date", "from", "reply-to", "to", "cc", "subject", "message-id", "in-reply-to", "references",
        "auto-submitted", "x-liaison-loop", "x-liaison-reference", "mime-version", "content-type",
        "content-transfer-encoding", "return-path", "x-original-to", "delivered-to", "received",
    ]

    /// Where a payload goes (a token of the template).
    static let carriers: [(name: String, token: String)] = [
        ("Subject", "{SUBJECT}"), ("From display name (quoted)", "{FROM_NAME_Q}"), ("From display name (phrase)", "{FROM_NAME}"),
        ("To display name", "{TO_NAME}"), ("Cc display name", "{CC_NAME}"), ("Cc address", "{CC_LOCAL}"),
        ("Reply-To display name", "{REPLY_NAME}"), ("Reply-To address", "{REPLY_LOCAL}"), ("Message-ID", "{MESSAGE_ID}"),
        ("References", "{REFERENCES}"), ("body Title", "{TITLE}"), ("body From contact name", "{FROM_CONTACT}"),
        ("body Response Contacts", "{RESPONSE}"),
    ]

    /// One payload of each family, each trying to add the injected address (`@INJ@`).
    static func payloads(injected: String) -> [(name: String, bytes: String)] {
        let bcc = "Bcc: \(injected)"
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        let list: [(String, String)] = [
            ("raw CRLF", "\r\n\(bcc)"),
            ("raw LF", "\n\(bcc)"),
            ("raw CR", "\r\(bcc)"),
            ("raw NUL", "a\u{0}\(bcc)"),
            ("raw CRLF CRLF (ends the header)", "\r\n\r\n\(bcc)"),
            ("raw CRLF.CRLF + SMTP commands", "\r\n.\r\nMAIL FROM:<x@example.test>\r\nRCPT TO:<\(injected)>\r\nDATA\r\n"),
            ("encoded word Q CRLF", "=?utf-8?q?a=0D=0ABcc:_\(injected)?="),
            ("encoded word B CRLF", "=?utf-8?b?\(b64("a\r\n\(bcc)"))?="),
            ("encoded word Q CR", "=?utf-8?q?a=0DBcc:_\(injected)?="),
            ("raw U+2028", "\u{2028}\(bcc)"),
            ("encoded word B U+2029 U+0085", "=?utf-8?b?\(b64("a\u{2029}\u{85}\(bcc)"))?="),
            ("overlong line 1200", String(repeating: "A", count: 1200)),
            ("comma address", ", \(injected)"),
        ]
        return list
    }

    static let template = """
        From: "Peer Sender{FROM_NAME_Q}" <@P@-peer@example.test>\r
        Sender: Peer {FROM_NAME} <@P@-peer@example.test>\r
        To: Intake{TO_NAME} <@P@-intake@example.test>\r
        Cc: Someone{CC_NAME} <@P@-cc{CC_LOCAL}@example.test>\r
        Reply-To: Replies{REPLY_NAME} <@P@-peer{REPLY_LOCAL}@example.test>\r
        Subject: LS on injection @N@{SUBJECT}\r
        Date: Fri, 20 Nov 2026 09:30:00 +0000\r
        Message-ID: <vector-@N@{MESSAGE_ID}@peer.example>\r
        References: <earlier@peer.example> <older{REFERENCES}@peer.example>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: 8bit\r
        \r
        Title: LS on injection @N@{TITLE}\r
        Submission Date: 2026-11-20\r
        Please reply by 2027-01-15\r
        \r
        From: Broadband Forum (Jane Rapporteur{FROM_CONTACT} <@P@-peer@example.test>)\r
        To: MARS WG Chairs <@P@-mars-chairs@example.test>\r
        Response Contacts: Jane Rapporteur{RESPONSE} <@P@-peer@example.test>\r
        Purpose: For action\r
        \r
        Body: Please review. Marker @MARKER@.\r

        """

    /// The statement of vector `number`: the carrier's token replaced by the payload, the others by nothing.
    static func message(number: Int, carrier: String, payload: String, prefix: String) -> [UInt8] {
        var text = template.replacingOccurrences(of: "@P@", with: prefix)
            .replacingOccurrences(of: "@N@", with: String(number))
            .replacingOccurrences(of: "@MARKER@", with: marker(number, prefix: prefix))
        for (_, token) in carriers { text = text.replacingOccurrences(of: token, with: token == carrier ? payload : "") }
        return Array(text.utf8)
    }

    static func marker(_ number: Int, prefix: String) -> String { "vector-\(number)-of-\(prefix)" }

    /// The field names of the top-level header (lowercased, in order).
    static func fieldNames(_ bytes: [UInt8]) -> [String] {
        var names: [String] = []
        var lineStart = 0
        for i in bytes.indices where bytes[i] == 10 {
            let end = i > lineStart && bytes[i - 1] == 13 ? i - 1 : i
            if end == lineStart { break }
            if bytes[lineStart] != 32 && bytes[lineStart] != 9 {
                names.append(String(decoding: bytes[lineStart..<end].prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self).lowercased())
            }
            lineStart = i + 1
        }
        return names
    }

    /// Puts `raw` into a user's Maildir `new/` as a delivered message, owned as Dovecot expects.
    static func deliverRaw(_ raw: [UInt8], to user: String, name: String, stack: MailStack) throws {
        let root = "\(stack["MAILSTACK_MAILDIR_ROOT"])/example.test"
        let folder = "\(root)/\(user)/Maildir"
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(folder)/\(sub)", withIntermediateDirectories: true)
        }
        let file = "\(folder)/new/\(name)"
        try Data(raw).write(to: URL(fileURLWithPath: file))
        let owner = try FileManager.default.attributesOfItem(atPath: root)
        let ids: [FileAttributeKey: Any] = [
            .ownerAccountID: owner[.ownerAccountID] ?? 0, .groupOwnerAccountID: owner[.groupOwnerAccountID] ?? 0,
        ]
        for path in ["\(root)/\(user)", folder, "\(folder)/new", "\(folder)/cur", "\(folder)/tmp", file] {
            try FileManager.default.setAttributes(ids, ofItemAtPath: path)
        }
    }

    /// Whether a delivered message carries the marker: in its bytes, or in the decoded parts of the
    /// original it attaches.
    static func carries(_ raw: [UInt8], marker: String) -> Bool {
        let text = String(decoding: raw, as: UTF8.self)
        if text.contains(marker) { return true }
        let message = MIMEMessage(bytes: raw)
        return message.allParts.contains { part in
            if let inner = part.embeddedMessage {
                return inner.allParts.contains { String(decoding: $0.decodedBody(), as: UTF8.self).contains(marker) }
            }
            return String(decoding: part.decodedBody(), as: UTF8.self).contains(marker)
        }
    }

    @Test("52 injection vectors (13 carriers × 4, every payload family) through Dovecot, liaison and Postfix: no extra header, recipient or SMTP command")
    func vectorsThroughPostfix() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let p = run.prefix
        let injected = run.address("injected")
        let payloads = Self.payloads(injected: injected)
        var vectors: [(number: Int, name: String, raw: [UInt8])] = []
        for (c, carrier) in Self.carriers.enumerated() {
            for j in 0..<4 {
                let payload = payloads[(c * 4 + j) % payloads.count]
                let number = vectors.count + 1
                let raw = Self.message(number: number, carrier: carrier.token, payload: payload.bytes, prefix: p)
                vectors.append((number, "\(carrier.name) × \(payload.name)", raw))
                try Self.deliverRaw(raw, to: "\(p)-intake", name: "\(number).vector.\(p)", stack: stack)
            }
        }
        #expect(Set(vectors.map { $0.name.components(separatedBy: " × ")[1] }).count == payloads.count, "every payload family")

        let poll = try run.liaison("poll", "--once")
        #expect(poll.status == 0, "\(poll.output)")
        #expect(poll.output.contains(": \(vectors.count) new"), "\(poll.output)")

        // Everything the run's mailboxes receive, once Postfix is done.
        let boxes = ["mars-chairs", "mars", "ops-ads", "lm", "lm-bbf", "peer", "cc", "intake", "injected"]
        func delivered() -> [(box: String, raw: [UInt8])] {
            boxes.flatMap { box in stack.inbox(of: "\(p)-\(box)").map { (box, $0) } }
        }
        try await stack.waitForDelivery(timeout: .seconds(60)) {
            vectors.allSatisfy { vector in delivered().contains { Self.carries($0.raw, marker: Self.marker(vector.number, prefix: p)) } }
        }
        let mail = delivered()
        let directory = Set(["mars-chairs", "mars", "ops-ads", "lm", "lm-bbf", "peer"].map { run.address($0) })
        var problems: [String] = []
        for (box, raw) in mail {
            let message = MIMEMessage(bytes: raw)
            let label = "\(box): \(message.subject ?? "-")"
            let names = Self.fieldNames(raw)
            for name in Set(names) {
                if !Self.allowedTopFields.contains(name) { problems.append("\(label): unexpected field \(name.debugDescription)") }
                if name != "received" && names.filter({ $0 == name }).count > 1 { problems.append("\(label): \(name) repeated") }
            }
            let recipients = Set((message.to + message.cc + message.bcc).map { $0.address.lowercased() })
            if let stranger = recipients.first(where: { !directory.contains($0) }) {
                problems.append("\(label): recipient \(stranger) is neither in the directory nor the sender")
            }
            if let subject = message.subject, subject.unicodeScalars.contains(where: { $0.value < 0x20 || [0x85, 0x2028, 0x2029].contains($0.value) }) {
                problems.append("\(label): the decoded subject holds a line break or separator")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // Nothing delivered to the injected address, to the Cc'd peer, or to the sink for it.
        #expect(stack.inbox(of: "\(p)-injected").isEmpty, "a message reached the injected address")
        #expect(stack.inbox(of: "\(p)-cc").isEmpty, "the incoming Cc is never copied")
        #expect(stack.inbox(of: "sink").allSatisfy { !(MIMEMessage(bytes: $0).header["X-Original-To"] ?? "").contains(p) })
        // Every vector led to mail about it: a forwarded copy to the chairs, or a notice to the liaison manager.
        var forwarded = 0
        var notified = 0
        for vector in vectors {
            let marker = Self.marker(vector.number, prefix: p)
            let sha = SHA256.hex(of: vector.raw)
            let copies = stack.inbox(of: "\(p)-mars-chairs").filter { Self.carries($0, marker: marker) }
            let notices = stack.inbox(of: "\(p)-lm").filter { Self.carries($0, marker: marker) || String(decoding: $0, as: UTF8.self).contains(sha) }
            #expect(copies.count <= 1, "\(vector.name): \(copies.count) copies")
            if copies.count == 1 { forwarded += 1 } else if !notices.isEmpty { notified += 1 }
            #expect(copies.count == 1 || !notices.isEmpty, "vector \(vector.number) \(vector.name): no mail about it")
        }
        let acknowledgements = stack.inbox(of: "\(p)-peer").count
        print(
            "Injection through Postfix: \(vectors.count) vectors (\(Self.carriers.count) carriers, \(payloads.count) payload families), "
                + "\(forwarded) forwarded, \(notified) to the liaison manager only, \(acknowledgements) acknowledgements, "
                + "\(mail.count) messages delivered and checked, \(problems.count) problems, 0 to the injected address")
    }
}
