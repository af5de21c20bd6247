// libFuzzer target: the header-level parsers on their own, fed the input
// as one header value: address lists, dates, content types with RFC 2231
// parameters, encoded words, message ids, unstructured decoding, a header
// block, and the text helpers (format=flowed, uuencode, delivery-status).
// Built by scripts/fuzz together with Sources/MIME.

@_cdecl("LLVMFuzzerTestOneInput")
public func headerFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let value = String(decoding: bytes, as: UTF8.self)
    var sink = 0

    for a in MailAddress.parseList(value) {
        sink &+= a.address.utf8.count &+ (a.displayName?.utf8.count ?? 0)
    }
    sink &+= MIMEDateTime(parsing: value).map { Int($0.secondsSince1970 & 1) } ?? 0
    if let type = ContentType(parsing: value) {
        sink &+= type.description.utf8.count &+ type.parameters.count
    }
    sink &+= EncodedWords.decode(value).utf8.count

    // The same bytes as the value of real fields (raw bytes, not only valid UTF-8),
    // so the lazy accessors run over them.
    var raw: [UInt8] = []
    for name in ["From", "To", "Date", "Message-ID", "References", "Subject", "Content-Type", "Content-Disposition"] {
        raw += Array(name.utf8) + [58, 32] + bytes + [13, 10]
    }
    raw += [13, 10, 104, 105, 13, 10]
    let message = MIMEMessage(bytes: raw)
    sink &+= message.subject?.utf8.count ?? 0
    sink &+= message.from.count &+ message.to.count
    sink &+= message.date == nil ? 0 : 1
    sink &+= message.messageID?.utf8.count ?? 0
    sink &+= message.references.count
    sink &+= message.root.filename?.utf8.count ?? 0
    sink &+= message.root.contentType.parameters.count
    for field in message.header.fields { sink &+= field.decodedValue.utf8.count }

    // The input as a header block of its own.
    let block = MIMEMessage(bytes: bytes)
    for field in block.header.fields { sink &+= field.decodedValue.utf8.count &+ field.value.utf8.count }

    // Text helpers.
    sink &+= FlowedText.unflow(value, delSp: size % 2 == 0).utf8.count
    for file in UUEncode.files(in: bytes) { sink &+= file.size }
    sink &+= DeliveryStatus(parsing: bytes).recipients.count

    if sink == 0x7FFF_FFFF_FFFF { print(sink) }
    return 0
}
