/// Builds the part index of a message in one pass over its bytes.
///
/// The work list is explicit (no recursion), so nesting depth costs heap,
/// not stack; ``MIMELimits`` bound the depth and the part count. Each
/// multipart level scans its own body once for its delimiter, so the total
/// work is at most the input size times the nesting depth actually parsed.
struct MessageParser {
    let limits: MIMELimits
    var buffers: [[UInt8]]
    var nodes: [PartNode] = []
    /// Content type of each node, parallel to `nodes` (kept apart so that a
    /// node is plain data, copied without reference counting).
    var contentTypes: [ContentType] = []
    var fields: [FieldSpan] = []
    var defects: [LocatedDefect] = []
    var partCount = 0
    var partLimitReported = false

    static func parse(_ bytes: [UInt8], limits: MIMELimits) -> MessageStorage {
        var parser = MessageParser(limits: limits, buffers: [bytes])
        // Typical messages: a few parts, a few dozen fields.
        parser.nodes.reserveCapacity(4)
        parser.contentTypes.reserveCapacity(4)
        parser.fields.reserveCapacity(32)
        parser.run()
        return MessageStorage(
            buffers: parser.buffers, nodes: parser.nodes, contentTypes: parser.contentTypes, fields: parser.fields,
            defects: parser.defects, maxLineLength: limits.maxLineLength)
    }

    mutating func run() {
        let count = buffers[0].count
        nodes.append(
            PartNode(buffer: 0, start: 0, bodyStart: 0, end: count, depth: 0, isMessage: true, inDigest: false))
        contentTypes.append(.textPlainASCII)
        var stack = [0]
        while let index = stack.popLast() {
            process(index, stack: &stack)
        }
    }

    mutating func report(_ defect: MIMEDefect, at node: Int) {
        defects.append(LocatedDefect(node: node, defect: defect))
    }

    /// Whether one more part may be created; reports the limit once.
    mutating func mayAddPart(at node: Int) -> Bool {
        if partCount < limits.maxParts {
            partCount += 1
            return true
        }
        if !partLimitReported {
            partLimitReported = true
            report(.partLimitReached, at: node)
        }
        return false
    }

    mutating func process(_ index: Int, stack: inout [Int]) {
        var node = nodes[index]
        let bytes = buffers[node.buffer]
        bytes.withUnsafeBufferPointer { buf in
            // Header block.
            var headerDefects: [MIMEDefect] = []
            let fieldStart = fields.count
            node.bodyStart = HeaderParser.parse(
                buf, start: node.start, end: node.end, skipFromLine: node.isMessage,
                limits: limits, fields: &fields, defects: &headerDefects)
            node.fields = fieldStart..<fields.count
            for d in headerDefects { report(d, at: index) }

            // Content type.
            var contentType: ContentType = node.inDigest ? .messageRFC822 : .textPlainASCII
            var ctRaw: ArraySlice<UInt8>? = nil
            var cteRaw: ArraySlice<UInt8>? = nil
            for fi in node.fields {
                let f = fields[fi]
                // Only Content-* names matter here: test the length and the
                // first byte before comparing.
                let length = f.nameEnd - f.nameStart
                guard length >= 12, buf[f.nameStart] | 0x20 == UInt8(ascii: "c") else { continue }
                let name = bytes[f.nameStart..<f.nameEnd]
                if length == 12 {
                    if ctRaw == nil && HeaderText.equalsIgnoringCase(name, "content-type") {
                        ctRaw = bytes[f.valueStart..<f.valueEnd]
                    }
                } else if length == 25 {
                    if cteRaw == nil && HeaderText.equalsIgnoringCase(name, "content-transfer-encoding") {
                        cteRaw = bytes[f.valueStart..<f.valueEnd]
                        node.transferField = fi
                    }
                } else if length == 19 {
                    if node.dispositionField < 0 && HeaderText.equalsIgnoringCase(name, "content-disposition") {
                        node.dispositionField = fi
                    }
                }
            }
            if let cteRaw { node.transfer = TransferEncoding.kind(cteRaw) }
            if let ctRaw {
                var ctDefects: [MIMEDefect] = []
                if let parsed = ContentTypeParser.parseContentType(raw: ctRaw, defects: &ctDefects) {
                    contentType = parsed
                } else if case let unfolded = HeaderText.unfold(ctRaw), !unfolded.isEmpty {
                    // An empty value is treated as absent; a garbled one is reported.
                    report(.invalidContentType(String(decoding: unfolded, as: UTF8.self)), at: index)
                    // Keep the parameters: a `name` still tells the file name.
                    var ignored: [MIMEDefect] = []
                    var fallback = ContentType.textPlainASCII
                    let (_, parameters) = ContentTypeParser.parseParameterized(unfolded[...], defects: &ignored)
                    fallback.parameters.merge(parameters) { _, new in new }
                    contentType = fallback
                }
            }
            contentTypes[index] = contentType

            let type = contentType
            if type.type == "multipart" {
                guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
                    report(.missingBoundaryParameter, at: index)
                    return
                }
                guard node.depth < limits.maxDepth else {
                    report(.depthLimitReached, at: index)
                    return
                }
                splitMultipart(
                    &node, index: index, buf: buf, boundary: boundary, inDigest: type.subtype == "digest", stack: &stack)
            } else if type.type == "message" && (type.subtype == "rfc822" || type.subtype == "global") {
                guard node.depth < limits.maxDepth else {
                    report(.depthLimitReached, at: index)
                    return
                }
                guard mayAddPart(at: index) else { return }
                let child: PartNode
                if node.transfer == .base64 || node.transfer == .quotedPrintable {
                    let encoding = node.transfer.name
                    // Forbidden by RFC 2046 but seen: parse the decoded message.
                    report(.encodedCompositePart(encoding), at: index)
                    var ignored: [MIMEDefect] = []
                    let decoded = TransferEncoding.decode(
                        bytes[node.bodyStart..<node.end], kind: node.transfer, name: encoding, defects: &ignored)
                    buffers.append(decoded)
                    child = PartNode(
                        buffer: buffers.count - 1, start: 0, bodyStart: 0, end: decoded.count,
                        depth: node.depth + 1, isMessage: true, inDigest: false)
                } else {
                    child = PartNode(
                        buffer: node.buffer, start: node.bodyStart, bodyStart: node.bodyStart, end: node.end,
                        depth: node.depth + 1, isMessage: true, inDigest: false)
                }
                node.embedded = nodes.count
                nodes.append(child)
                contentTypes.append(.textPlainASCII)
                stack.append(node.embedded)
            }
        }
        nodes[index] = node
    }

    /// Finds the delimiter lines of `boundary` in the node's body and adds
    /// one child per part. A delimiter is `--boundary` at the start of a
    /// line, optionally followed by `--` (closing), then only whitespace; the
    /// line break before it belongs to it.
    mutating func splitMultipart(
        _ node: inout PartNode, index: Int, buf: UnsafeBufferPointer<UInt8>,
        boundary: String, inDigest: Bool, stack: inout [Int]
    ) {
        let pattern: [UInt8] = [45, 45] + Array(boundary.utf8)
        let bodyStart = node.bodyStart
        let end = node.end
        var ranges: [Range<Int>] = []
        var partStart: Int? = nil
        var closed = false
        var pos = bodyStart
        node.preambleEnd = bodyStart
        node.epilogueStart = end

        pattern.withUnsafeBufferPointer { pat in
            var atLineStart = true
            while pos < end,
                let c = ByteScan.findAtLineStart(pat, in: buf, from: pos, to: end, fromIsLineStart: atLineStart)
            {
                atLineStart = false
                var k = c + pat.count
                var isClose = false
                if k + 1 < end && buf[k] == 45 && buf[k + 1] == 45 {
                    isClose = true
                    k += 2
                }
                while k < end && HeaderText.isWSP(buf[k]) { k += 1 }
                if k < end && buf[k] != 10 && buf[k] != 13 {
                    pos = c + 1  // a longer line that merely starts like the boundary
                    continue
                }
                var next = k
                if next < end && buf[next] == 13 { next += 1 }
                if next < end && buf[next] == 10 { next += 1 }

                // The line break before the delimiter belongs to the delimiter.
                var contentEnd = c
                if c > bodyStart {
                    contentEnd = c - 1
                    if contentEnd > bodyStart && buf[contentEnd - 1] == 13 { contentEnd -= 1 }
                }
                if let s = partStart {
                    ranges.append(s..<max(s, contentEnd))
                } else {
                    node.preambleEnd = contentEnd
                }
                if isClose {
                    closed = true
                    node.epilogueStart = next
                    break
                }
                partStart = next
                pos = next
                atLineStart = true
            }
        }

        if let s = partStart, !closed {
            ranges.append(s..<end)
            report(.missingClosingBoundary(boundary: boundary), at: index)
        }
        if ranges.isEmpty && partStart == nil {
            report(.boundaryNotFound(boundary: boundary), at: index)
            node.preambleEnd = end
            return
        }

        let firstChild = nodes.count
        for r in ranges {
            guard mayAddPart(at: index) else { break }
            nodes.append(
                PartNode(
                    buffer: node.buffer, start: r.lowerBound, bodyStart: r.lowerBound, end: r.upperBound,
                    depth: node.depth + 1, isMessage: false, inDigest: inDigest))
            contentTypes.append(.textPlainASCII)
        }
        node.children = firstChild..<nodes.count
        for child in node.children.reversed() { stack.append(child) }
    }
}
