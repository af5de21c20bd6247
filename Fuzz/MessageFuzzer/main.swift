// libFuzzer target: the whole parser. Parses the input as a message and
// walks everything a caller could read: every header decoded, addresses,
// dates, ids, every body transfer-decoded and charset-converted, the text
// view, attachments, uuencoded files, delivery-status and partial helpers,
// and the defect list. Built by scripts/fuzz together with Sources/MIME.

@_cdecl("LLVMFuzzerTestOneInput")
public func messageFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // As mail-parser's fuzzer does: inputs starting with 0x01 are remapped onto a small
    // alphabet of structural characters, which reaches boundaries, folding and
    // encoded words much sooner than random bytes.
    if bytes.first == 1 {
        bytes = bytes.dropFirst().map { structuralAlphabet[Int($0) % structuralAlphabet.count] }
    }
    // Small limits too, so the paths taken past a limit are exercised.
    let limits =
        size % 2 == 0
        ? MIMELimits.default
        : MIMELimits(maxDepth: 4, maxParts: 20, maxHeaderBytes: 512, maxLineLength: 40, maxHeaderLineLength: 200)
    let message = MIMEMessage(bytes: bytes, limits: limits)
    walk(message)
    return 0
}

let structuralAlphabet: [UInt8] = Array("0123456789abcdefm:=-;\" \r\n\n<>@()?/.,\tQB*'%".utf8)

func walk(_ message: MIMEMessage) {
    var sink = 0
    sink &+= message.subject?.utf8.count ?? 0
    for a in message.from + message.to + message.cc + message.bcc + message.replyTo {
        sink &+= a.address.utf8.count &+ (a.displayName?.utf8.count ?? 0)
    }
    sink &+= message.sender?.address.utf8.count ?? 0
    sink &+= message.messageID?.utf8.count ?? 0
    sink &+= message.inReplyTo.count &+ message.references.count
    sink &+= Int(message.date?.secondsSince1970 ?? 0) & 1
    sink &+= message.textBody()?.utf8.count ?? 0
    for part in message.allParts {
        for field in part.header.fields {
            sink &+= field.name.utf8.count &+ field.value.utf8.count &+ field.decodedValue.utf8.count
        }
        sink &+= part.contentType.description.utf8.count
        sink &+= part.filename?.utf8.count ?? 0
        sink &+= part.disposition?.utf8.count ?? 0
        sink &+= part.contentID?.utf8.count ?? 0
        sink &+= part.preamble.count &+ part.epilogue.count
        sink &+= part.isAttachment ? 1 : 0
        if let embedded = part.embeddedMessage {
            sink &+= embedded.subject?.utf8.count ?? 0
            sink &+= embedded.from.count &+ embedded.bytes.count
        } else if !part.isMultipart {
            sink &+= part.decodedBody().count
            sink &+= part.text()?.utf8.count ?? 0
        }
        sink &+= part.partial?.id.utf8.count ?? 0
        sink &+= part.deliveryStatus?.recipients.count ?? 0
    }
    for attachment in message.attachments { sink &+= attachment.decodedBody().count }
    for file in message.uuencodedFiles { sink &+= file.size &+ file.filename.utf8.count }
    sink &+= message.deliveryStatus?.recipients.compactMap(\.finalRecipient).count ?? 0
    sink &+= message.defects.count
    if sink == 0x7FFF_FFFF_FFFF { print(sink) }
}
