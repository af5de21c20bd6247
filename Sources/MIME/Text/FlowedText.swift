/// RFC 3676 `format=flowed` unwrapping.
///
/// A line that ends in a space is "soft": it continues on the next line
/// (when that line has the same quote depth). Quote depth is the number of
/// leading `>`; one space after the quote marks (or at the start of an
/// unquoted line) is space-stuffing and is removed. With `DelSp=yes` the
/// trailing space of a soft line is removed when joining (it was added by
/// the sender, e.g. for languages without spaces between words). The
/// signature separator `-- ` is never soft.
///
/// The result has one line per paragraph; quoted paragraphs are written
/// with their depth as `>` marks followed by one space (`>> text`).
public enum FlowedText {
    /// Unwraps flowed text. `text` may use LF or CRLF line ends; the result
    /// uses LF. Linear in the input.
    public static func unflow(_ text: String, delSp: Bool = false) -> String {
        // Split on LF bytes: as Characters, CRLF is one grapheme and would not split.
        let lines = Array(text.utf8).split(separator: 10, omittingEmptySubsequences: false)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        // The paragraph being built (open while its last line was soft): its quote depth and text so far.
        var pending: [UInt8] = []
        var pendingDepth = 0
        var open = false

        func emit(_ depth: Int, _ body: [UInt8], newline: Bool) {
            if depth > 0 {
                out += String(repeating: ">", count: depth)
                if !body.isEmpty { out += " " }
            }
            out += String(decoding: body, as: UTF8.self)
            if newline { out += "\n" }
        }

        for (n, rawLine) in lines.enumerated() {
            let isLast = n == lines.count - 1
            if isLast && rawLine.isEmpty {
                // The empty string after a final line break.
                if open { emit(pendingDepth, pending, newline: true) }
                break
            }
            var line = Array(rawLine)
            if line.last == 13 { line.removeLast() }
            var depth = 0
            while depth < line.count && line[depth] == UInt8(ascii: ">") { depth += 1 }
            var content = Array(line[depth...])
            if content.first == 32 { content.removeFirst() }  // space-stuffing
            let isSignature = content == [45, 45, 32]  // "-- "
            let soft = !isSignature && content.last == 32
            if open && depth != pendingDepth {
                // Improperly flowed: a soft line followed by a different depth ends its paragraph.
                emit(pendingDepth, pending, newline: true)
                pending = []
                open = false
            }
            if !open {
                pendingDepth = depth
                pending = []
            }
            if soft {
                if delSp { content.removeLast() }
                pending += content
                open = true
                if isLast { emit(pendingDepth, pending, newline: false) }
            } else {
                pending += content
                emit(pendingDepth, pending, newline: !isLast)
                pending = []
                open = false
            }
        }
        return out
    }
}
