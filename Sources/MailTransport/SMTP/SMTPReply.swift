import LiaisonCore

/// One SMTP reply (possibly multi-line, `250-…` continued by `250 …`).
struct SMTPReply: Equatable {
    /// The three-digit code.
    var code: Int
    /// The lines, without CRLF, code included (`550 5.1.1 <x@y>: …`).
    var lines: [String]

    /// The reply as one line, for the record.
    var text: String { lines.joined(separator: " ") }

    /// Groups header-callback lines into replies; lines that are not replies are skipped.
    static func replies(from lines: [String]) -> [SMTPReply] {
        var result: [SMTPReply] = []
        var pending: [String] = []
        for line in lines {
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (0x30...0x39).contains($0) }),
                let code = Int(String(decoding: bytes[0..<3], as: UTF8.self))
            else { continue }
            pending.append(line)
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
                result.append(SMTPReply(code: code, lines: pending))
                pending = []
            }
        }
        return result
    }

    /// The outcome a reply code means for a recipient.
    var outcome: RecipientResult.Outcome {
        switch code / 100 {
        case 2: .delivered
        case 5: .permanentFailure
        default: .temporaryFailure
        }
    }
}

/// Reads per-recipient results out of one transaction's replies.
///
/// libcurl (`CURLOPT_MAIL_RCPT_ALLLOWFAILS`) says nothing about which recipients failed; the
/// replies show it. After `MAIL FROM`'s reply come exactly one reply per `RCPT TO`, in envelope
/// order, then — if any recipient was accepted — `354` for DATA and the final reply. Earlier
/// replies (greeting, EHLO, STARTTLS, AUTH) and a trailing `221` to QUIT are not counted.
enum SMTPTranscript {
    /// How a transaction ended, as far as libcurl says.
    enum Ending: Equatable {
        /// libcurl returned CURLE_OK.
        case completed
        /// Every RCPT TO was refused (libcurl 55, "RCPT failed … (last error)").
        case allRecipientsRefused
        /// MAIL FROM was refused (libcurl 55, "MAIL failed").
        case senderRefused
        /// DATA itself was refused (libcurl 55, "DATA failed").
        case dataRefused
        /// The final reply after the message was not 250 (libcurl 8).
        case messageRefused
    }

    /// One result per recipient, or `nil` when the replies do not fit the envelope (the caller
    /// then reports the transfer error instead: nothing can be said per recipient).
    static func results(replies all: [SMTPReply], recipients: [String], ending: Ending) -> [RecipientResult]? {
        var replies = all
        while replies.last?.code == 221 { replies.removeLast() }
        let count = recipients.count
        guard count > 0 else { return [] }

        func build(_ rcpt: ArraySlice<SMTPReply>, after accepted: SMTPReply?) -> [RecipientResult]? {
            var results: [RecipientResult] = []
            for (address, reply) in zip(recipients, rcpt) {
                if reply.code / 100 == 2 {
                    guard let accepted else { return nil }
                    results.append(
                        RecipientResult(
                            address: address, outcome: accepted.outcome, code: accepted.code, detail: accepted.text))
                } else {
                    results.append(
                        RecipientResult(address: address, outcome: reply.outcome, code: reply.code, detail: reply.text))
                }
            }
            return results.count == count ? results : nil
        }

        /// The RCPT replies ending just before `end`, checked to follow a 2xx MAIL FROM reply.
        func recipientReplies(endingAt end: Int) -> ArraySlice<SMTPReply>? {
            let start = end - count
            guard start >= 1, end <= replies.count, replies[start - 1].code / 100 == 2 else { return nil }
            return replies[start..<end]
        }

        switch ending {
        case .completed, .messageRefused:
            guard let data = replies.lastIndex(where: { $0.code == 354 }), data + 1 < replies.count,
                let rcpt = recipientReplies(endingAt: data)
            else { return nil }
            let final = replies[data + 1]
            if ending == .completed, final.code / 100 != 2 { return nil }
            return build(rcpt, after: final)
        case .allRecipientsRefused:
            guard let rcpt = recipientReplies(endingAt: replies.count),
                rcpt.allSatisfy({ $0.code / 100 != 2 })
            else { return nil }
            return build(rcpt, after: nil)
        case .dataRefused:
            guard let dataReply = replies.last, let rcpt = recipientReplies(endingAt: replies.count - 1) else {
                return nil
            }
            return build(rcpt, after: dataReply)
        case .senderRefused:
            guard let mail = replies.last, mail.code / 100 != 2 else { return nil }
            return recipients.map {
                RecipientResult(
                    address: $0, outcome: mail.outcome, code: mail.code, detail: "MAIL FROM refused: \(mail.text)")
            }
        }
    }
}
