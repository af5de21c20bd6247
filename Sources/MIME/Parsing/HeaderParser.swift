/// Splits a header block into fields (as byte ranges) and finds the body.
enum HeaderParser {
    /// The end of a field name starting at `pos`, and the colon after it:
    /// printable characters other than `:`, then optional whitespace (obsolete
    /// syntax), then `:`. `nil` when the line is not a field.
    @inline(__always)
    static func fieldName(_ buf: UnsafeBufferPointer<UInt8>, from pos: Int, to end: Int) -> (nameEnd: Int, colon: Int)?
    {
        var i = pos
        while i < end {
            let b = buf[i]
            // 8-bit bytes are tolerated: a mangled name still delimits a field.
            if b == UInt8(ascii: ":") || b <= 32 || b == 127 { break }
            i += 1
        }
        let nameEnd = i
        guard nameEnd > pos else { return nil }
        while i < end && HeaderText.isWSP(buf[i]) { i += 1 }
        guard i < end, buf[i] == UInt8(ascii: ":") else { return nil }
        return (nameEnd, i)
    }

    /// Parses the header block in `buf[start..<end]`, appending its fields,
    /// and returns where the body starts.
    ///
    /// - A UTF-8 byte order mark and an mbox `From ` line at the very top are
    ///   skipped when `skipFromLine`.
    /// - A blank line (CRLF or LF) ends the block; so does the end of input.
    /// - A first line that is not a field means there is no header block.
    /// - A later line that is neither a field nor a continuation starts the body.
    /// - A line longer than `limits.maxLineLength` is flagged (once); one
    ///   longer than `limits.maxHeaderLineLength` starts the body.
    static func parse(
        _ buf: UnsafeBufferPointer<UInt8>, start: Int, end: Int, skipFromLine: Bool,
        limits: MIMELimits, fields: inout [FieldSpan], defects: inout [MIMEDefect]
    ) -> Int {
        let maxHeaderBytes = limits.maxHeaderBytes
        let maxLineLength = limits.maxLineLength
        let hardLineLength = max(limits.maxHeaderLineLength, maxLineLength)
        var flaggedLongLine = false
        var pos = start
        // A UTF-8 byte order mark before a message (editors add them) is not part of a field name.
        if skipFromLine && end - pos >= 3 && buf[pos] == 0xEF && buf[pos + 1] == 0xBB && buf[pos + 2] == 0xBF {
            pos += 3
        }
        if skipFromLine && end - pos >= 5 && buf[pos] == UInt8(ascii: "F") && buf[pos + 1] == UInt8(ascii: "r")
            && buf[pos + 2] == UInt8(ascii: "o") && buf[pos + 3] == UInt8(ascii: "m") && buf[pos + 4] == 32
        {
            let lf = ByteScan.find(10, in: buf, from: pos, to: end)
            pos = lf < end ? lf + 1 : end
        }
        let blockStart = pos
        var current: FieldSpan? = nil
        var recording = true
        var first = true

        @inline(__always) func lineBounds(_ p: Int) -> (contentEnd: Int, next: Int) {
            let lf = ByteScan.find(10, in: buf, from: p, to: end)
            var contentEnd = lf
            if contentEnd > p && buf[contentEnd - 1] == 13 { contentEnd -= 1 }
            return (contentEnd, lf < end ? lf + 1 : end)
        }

        while pos < end {
            let (contentEnd, next) = lineBounds(pos)
            if contentEnd == pos {
                if let c = current { fields.append(c) }
                return next
            }
            if contentEnd - pos > maxLineLength {
                if contentEnd - pos > hardLineLength {
                    if let c = current { fields.append(c) }
                    defects.append(.headerLineTooLong)
                    return pos
                }
                if !flaggedLongLine {
                    flaggedLongLine = true
                    defects.append(.longHeaderLine)
                }
            }
            if recording && next - blockStart > maxHeaderBytes {
                recording = false
                if let c = current { fields.append(c) }
                current = nil
                defects.append(.headerBlockTooLarge)
            }
            let c = buf[pos]
            if c == 32 || c == 9 {
                if current != nil {
                    current?.valueEnd = contentEnd
                    pos = next
                    continue
                }
                if !first {  // continuation of a dropped or skipped line
                    pos = next
                    continue
                }
                // Leading whitespace before any field: " Name: value" is read
                // as a field; otherwise skip whitespace lines if a field follows.
                var p = pos
                while p < contentEnd && HeaderText.isWSP(buf[p]) { p += 1 }
                if p < contentEnd, let (nameEnd, colon) = fieldName(buf, from: p, to: contentEnd) {
                    defects.append(.continuationWithoutField)
                    if recording {
                        current = FieldSpan(nameStart: p, nameEnd: nameEnd, valueStart: colon + 1, valueEnd: contentEnd)
                    }
                    first = false
                    pos = next
                    continue
                }
                var q = next
                while q < end && HeaderText.isWSP(buf[q]) { q = lineBounds(q).next }
                if q < end, fieldName(buf, from: q, to: lineBounds(q).contentEnd) != nil {
                    defects.append(.continuationWithoutField)
                    first = false
                    pos = q
                    continue
                }
                defects.append(.missingHeaderBlock)
                return blockStart
            }
            if let (nameEnd, colon) = fieldName(buf, from: pos, to: contentEnd) {
                if let c = current { fields.append(c) }
                current =
                    recording
                    ? FieldSpan(nameStart: pos, nameEnd: nameEnd, valueStart: colon + 1, valueEnd: contentEnd) : nil
                first = false
                pos = next
                continue
            }
            if first {
                defects.append(.missingHeaderBlock)
                return blockStart
            }
            if let c = current { fields.append(c) }
            defects.append(.missingHeaderBodySeparator)
            return pos
        }
        if let c = current { fields.append(c) }
        return end
    }
}
