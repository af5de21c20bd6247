import Foundation

/// The header and address injection corpus: every carrier (a place in an incoming statement
/// that ends up in outgoing mail) crossed with every payload (a way of smuggling a line break,
/// NUL, separator or overlong line into it). Generated, not hand-listed: `vectors` is the
/// cartesian product, so adding a carrier or a payload adds a whole row or column.
///
/// Every payload tries to add `Bcc: injected@evil.test` (or a recipient at `evil.test`); no
/// outgoing header, envelope or header recipient may ever mention `evil.test` as a recipient.
enum InjectionCorpus {
    /// A place in the incoming message that reaches outgoing mail.
    struct Carrier: Sendable, CustomStringConvertible {
        var name: String
        /// The template token replaced by the payload.
        var token: String
        var description: String { name }
    }

    /// One way of smuggling something into a value.
    struct Payload: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var description: String { name }
    }

    /// One vector: a carrier holding a payload.
    struct Vector: Sendable, CustomStringConvertible {
        var carrier: Carrier
        var payload: Payload
        var description: String { "\(carrier.name) × \(payload.name)" }
        /// The incoming message carrying the payload.
        var message: [UInt8] { InjectionCorpus.message(carrier: carrier, payload: payload) }
    }

    static let carriers: [Carrier] = [
        Carrier(name: "Subject", token: "{SUBJECT}"),
        Carrier(name: "From display name (quoted)", token: "{FROM_NAME_Q}"),
        Carrier(name: "From display name (phrase)", token: "{FROM_NAME}"),
        Carrier(name: "From local part", token: "{FROM_LOCAL}"),
        Carrier(name: "Reply-To display name", token: "{REPLY_NAME}"),
        Carrier(name: "Reply-To address", token: "{REPLY_LOCAL}"),
        Carrier(name: "Return-Path", token: "{RETURN_PATH}"),
        Carrier(name: "Message-ID", token: "{MESSAGE_ID}"),
        Carrier(name: "References", token: "{REFERENCES}"),
        Carrier(name: "body Title", token: "{TITLE}"),
        Carrier(name: "body From contact", token: "{FROM_CONTACT}"),
        Carrier(name: "body Response Contacts", token: "{RESPONSE}"),
        Carrier(name: "body Technical Contacts address", token: "{TECHNICAL}"),
        Carrier(name: "body deadline", token: "{DEADLINE}"),
        Carrier(name: "attachment filename", token: "{FILENAME}"),
        Carrier(name: "attachment Content-Type name", token: "{CT_NAME}"),
    ]

    static let bcc = "Bcc: injected@evil.test"

    static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    static let payloads: [Payload] = {
        var list: [(String, String)] = [
            // Raw bytes in the incoming message.
            ("raw CRLF", "\r\n\(bcc)"),
            ("raw LF", "\n\(bcc)"),
            ("raw CR", "\r\(bcc)"),
            ("raw CRLF CRLF (ends the header)", "\r\n\r\n\(bcc)"),
            ("raw CRLF SP (fold)", "\r\n \(bcc)"),
            ("raw NUL", "a\u{0}\(bcc)"),
            ("raw U+2028", "\u{2028}\(bcc)"),
            ("raw U+2029", "\u{2029}\(bcc)"),
            ("raw U+0085", "\u{85}\(bcc)"),
            ("raw VT FF", "\u{0B}\u{0C}\(bcc)"),
            ("raw CRLF.CRLF", "\r\n.\r\nMAIL FROM:<x@evil.test>\r\nRCPT TO:<injected@evil.test>"),
            ("raw LF.LF", "\n.\nRCPT TO:<injected@evil.test>"),
            ("raw comma address", ", injected@evil.test"),
            ("raw angle address", "<injected@evil.test>"),
            ("overlong word 1200", String(repeating: "A", count: 1200)),
            ("overlong line 3000 with spaces", String(repeating: "word ", count: 600)),
            // RFC 2047 encoded words that decode to control characters.
            ("Q CRLF", "=?utf-8?q?a=0D=0ABcc:_injected@evil.test?="),
            ("Q LF", "=?utf-8?q?a=0ABcc:_injected@evil.test?="),
            ("Q CR", "=?utf-8?q?a=0DBcc:_injected@evil.test?="),
            ("Q NUL", "=?utf-8?q?a=00Bcc:_injected@evil.test?="),
            ("Q CRLFCRLF", "=?utf-8?q?=0D=0A=0D=0ABcc:_injected@evil.test?="),
            ("Q CRLF.CRLF", "=?utf-8?q?=0D=0A.=0D=0ARCPT_TO:<injected@evil.test>?="),
            ("Q U+2028", "=?utf-8?q?a=E2=80=A8Bcc:_injected@evil.test?="),
            ("Q U+2029", "=?utf-8?q?a=E2=80=A9Bcc:_injected@evil.test?="),
            ("Q U+0085", "=?utf-8?q?a=C2=85Bcc:_injected@evil.test?="),
            ("Q latin1 CRLF", "=?iso-8859-1?q?a=0D=0ABcc:_injected@evil.test?="),
            ("Q uppercase", "=?UTF-8?Q?a=0d=0aBcc:_injected@evil.test?="),
            ("B CRLF", "=?utf-8?b?\(b64("a\r\n\(bcc)"))?="),
            ("B LF", "=?utf-8?b?\(b64("a\n\(bcc)"))?="),
            ("B NUL", "=?utf-8?b?\(b64("a\u{0}\(bcc)"))?="),
            ("B U+2028", "=?utf-8?b?\(b64("a\u{2028}\(bcc)"))?="),
            ("B CRLF.CRLF", "=?utf-8?b?\(b64("\r\n.\r\nRCPT TO:<injected@evil.test>"))?="),
            ("two words split CR|LF", "=?utf-8?q?a=0D?= =?utf-8?q?=0ABcc:_injected@evil.test?="),
            ("UTF-7 CRLF", "=?utf-7?q?a+AA0ACg-Bcc:_injected@evil.test?="),
            ("RFC 2231 percent CRLF", "a%0D%0ABcc%3A%20injected%40evil.test"),
        ]
        list.append(("encoded overlong 1500", "=?utf-8?b?\(b64(String(repeating: "é", count: 750)))?="))
        return list.map { Payload(name: $0.0, bytes: Array($0.1.utf8)) }
    }()

    /// Every carrier × every payload.
    static var vectors: [Vector] {
        carriers.flatMap { carrier in payloads.map { Vector(carrier: carrier, payload: $0) } }
    }

    /// A Datatracker-layout statement for the MARS WG from a peer at `peer.example`, with the
    /// carrier's token replaced by the payload and every other token by nothing.
    static func message(carrier: Carrier, payload: Payload) -> [UInt8] {
        var bytes = Array(template.utf8)
        let tokens = carriers.map(\.token)
        for token in tokens {
            let replacement = token == carrier.token ? payload.bytes : []
            bytes = replace(Array(token.utf8), with: replacement, in: bytes)
        }
        return bytes
    }

    static func replace(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + replacement.count)
        var i = 0
        while i < bytes.count {
            if i + pattern.count <= bytes.count, bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
                out += replacement
                i += pattern.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static let template = """
        Return-Path: <sender{RETURN_PATH}@peer.example>\r
        From: "Peer Sender{FROM_NAME_Q}" <sender{FROM_LOCAL}@peer.example>\r
        Sender: Peer {FROM_NAME} <sender@peer.example>\r
        Reply-To: Replies{REPLY_NAME} <replies{REPLY_LOCAL}@peer.example>\r
        To: t-intake@example.test\r
        Subject: LS on injection testing{SUBJECT}\r
        Date: Fri, 20 Nov 2026 09:30:00 +0000\r
        Message-ID: <vector{MESSAGE_ID}@peer.example>\r
        References: <earlier@peer.example> <older{REFERENCES}@peer.example>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="=_vector"\r
        \r
        --=_vector\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: 8bit\r
        \r
        Title: LS on injection testing{TITLE}\r
        Submission Date: 2026-11-20\r
        Please reply by 2027-01-15{DEADLINE}\r
        \r
        From: Peer Body (Jane Rapporteur{FROM_CONTACT} <sender@peer.example>)\r
        To: MARS WG Chairs <t-mars-chairs@example.test>\r
        Response Contacts: Jane Rapporteur{RESPONSE} <sender@peer.example>\r
        Technical Contacts: Tech <tech{TECHNICAL}@peer.example>\r
        Purpose: For action\r
        \r
        Body: Please review the attached document.\r
        --=_vector\r
        Content-Type: text/plain; name="notes{CT_NAME}.txt"\r
        Content-Disposition: attachment; filename="notes{FILENAME}.txt"\r
        \r
        Some notes.\r
        --=_vector--\r

        """
}
