/// Gathers the defects of a subtree: those recorded while indexing, plus
/// those only found by decoding (header text, addresses, dates, bodies).
enum DefectCollector {
    static let addressFields = ["from", "to", "cc", "bcc", "reply-to", "sender"]

    static func collect(storage: MessageStorage, root: Int) -> [MIMEDefect] {
        let indexes = storage.subtree(of: root)
        let inSubtree = Set(indexes)
        var result: [MIMEDefect] = []
        for d in storage.defects where inSubtree.contains(d.node) { result.append(d.defect) }
        for i in indexes {
            let part = MIMEPart(storage: storage, index: i)
            let node = storage.nodes[i]
            let header = part.header
            for field in header.fields {
                let name = field.name
                _ = HeaderText.decoded(field.rawValue, field: name, defects: &result)
            }
            if node.isMessage {
                for name in addressFields {
                    for raw in header.rawValues(name) {
                        _ = AddressParser.parseList(HeaderText.unfold(raw), defects: &result)
                    }
                }
                if let raw = header.firstRawValue("date") {
                    let unfolded = HeaderText.unfold(raw)
                    if DateParser.parse(unfolded) == nil {
                        result.append(.invalidDate(String(decoding: unfolded, as: UTF8.self)))
                    }
                }
            }
            let type = storage.contentTypes[i].type
            let isLeaf = type != "multipart" && node.embedded < 0
            if isLeaf {
                let hasLongLine = part.rawBody.withUnsafeBufferPointer {
                    ByteScan.hasLineLonger(than: storage.maxLineLength, in: $0)
                }
                if hasLongLine { result.append(.longBodyLine) }
                if type == "text" {
                    _ = part.decodeText(defects: &result)
                } else {
                    _ = TransferEncoding.decode(part.rawBody, encoding: part.transferEncoding, defects: &result)
                }
            }
        }
        return result
    }
}
