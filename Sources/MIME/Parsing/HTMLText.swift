/// Reduces HTML to readable plain text for ``MIMEMessage/textBody()`` when a
/// message has no text/plain part. Not an HTML parser: it drops tags,
/// comments, scripts and styles, breaks lines at block elements and decodes
/// the common entities.
enum HTMLText {
    static let blockTags: Set<[UInt8]> = Set(
        [
            "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
            "table", "ul", "ol", "blockquote", "pre", "hr", "title",
        ].map { Array($0.utf8) })
    static let skippedTags: Set<[UInt8]> = Set(["script", "style", "head"].map { Array($0.utf8) })
    static let entities: [[UInt8]: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "copy": "©", "reg": "®", "hellip": "…", "mdash": "—", "ndash": "–",
        "laquo": "«", "raquo": "»", "euro": "€", "eacute": "é", "egrave": "è",
        "ecirc": "ê", "agrave": "à", "aacute": "á", "acirc": "â", "ccedil": "ç",
        "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü",
        "szlig": "ß", "Eacute": "É", "oacute": "ó", "iacute": "í", "uacute": "ú",
        "ntilde": "ñ", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“", "bull": "•",
    ]
    .reduce(into: [:]) { $0[Array($1.key.utf8)] = $1.value }

    static func reduce(_ html: String) -> String {
        let s = Array(html.utf8)
        let n = s.count
        var out: [UInt8] = []
        out.reserveCapacity(n / 2)
        var pendingSpace = false
        var i = 0

        func newline() {
            while out.last == 32 { out.removeLast() }
            // At most one blank line in a row.
            if out.count >= 2 && out[out.count - 1] == 10 && out[out.count - 2] == 10 { return }
            if !out.isEmpty { out.append(10) }
            pendingSpace = false
        }
        func emit(_ bytes: some Sequence<UInt8>) {
            if pendingSpace && !out.isEmpty && out.last != 10 { out.append(32) }
            pendingSpace = false
            out.append(contentsOf: bytes)
        }

        while i < n {
            let b = s[i]
            if b == UInt8(ascii: "<") {
                // Comment.
                if i + 3 < n && s[i + 1] == UInt8(ascii: "!") && s[i + 2] == UInt8(ascii: "-")
                    && s[i + 3] == UInt8(ascii: "-")
                {
                    var j = i + 4
                    while j + 2 < n
                        && !(s[j] == UInt8(ascii: "-") && s[j + 1] == UInt8(ascii: "-")
                            && s[j + 2] == UInt8(ascii: ">"))
                    { j += 1 }
                    i = min(j + 3, n)
                    continue
                }
                var j = i + 1
                let closing = j < n && s[j] == UInt8(ascii: "/")
                if closing { j += 1 }
                var name: [UInt8] = []
                while j < n, (s[j] | 0x20) >= 97 && (s[j] | 0x20) <= 122 || (s[j] >= 48 && s[j] <= 57) {
                    if name.count < 16 { name.append(s[j] | 0x20) }
                    j += 1
                }
                let tagEnd = ByteIndex.first(UInt8(ascii: ">"), in: s, from: j) ?? n
                i = min(tagEnd + 1, n)
                if name.isEmpty { continue }
                if !closing && skippedTags.contains(name) {
                    // Skip to the matching close tag.
                    let close = Array("</".utf8) + name
                    var k = i
                    var found = n
                    while k + close.count <= n {
                        if s[k] == UInt8(ascii: "<") && HeaderText.lowercased(s[k..<(k + close.count)]) == close {
                            found = k
                            break
                        }
                        k += 1
                    }
                    i = found < n ? min((ByteIndex.first(UInt8(ascii: ">"), in: s, from: found) ?? n) + 1, n) : n
                    continue
                }
                if blockTags.contains(name) {
                    newline()
                } else if name == Array("td".utf8) || name == Array("th".utf8) {
                    pendingSpace = true
                }
                continue
            }
            if b == 32 || b == 9 || b == 10 || b == 13 {
                pendingSpace = true
                i += 1
                continue
            }
            if b == UInt8(ascii: "&") {
                var j = i + 1
                while j < n && j - i <= 10 && s[j] != UInt8(ascii: ";") && s[j] != UInt8(ascii: "&") && s[j] > 32 {
                    j += 1
                }
                if j < n && s[j] == UInt8(ascii: ";") {
                    let ent = Array(s[(i + 1)..<j])
                    if let e = decodeEntity(ent) {
                        emit(e.utf8)
                        i = j + 1
                        continue
                    }
                }
            }
            emit(CollectionOfOne(b))
            i += 1
        }
        while let l = out.last, l == 32 || l == 10 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeEntity(_ ent: [UInt8]) -> String? {
        if let e = entities[ent] ?? entities[HeaderText.lowercased(ent)] { return e }
        guard ent.first == UInt8(ascii: "#"), ent.count >= 2 else { return nil }
        var value: UInt32 = 0
        if ent[1] | 0x20 == UInt8(ascii: "x") {
            for c in ent.dropFirst(2) {
                let h = QuotedPrintable.hexValue[Int(c)]
                guard h != 0xFF, value < 0x110000 else { return nil }
                value = value * 16 + UInt32(h)
            }
        } else {
            for c in ent.dropFirst() {
                guard c >= 48 && c <= 57, value < 0x110000 else { return nil }
                value = value * 10 + UInt32(c - 48)
            }
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return String(Character(scalar))
    }
}
