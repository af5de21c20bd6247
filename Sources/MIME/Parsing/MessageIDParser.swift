/// Message-ID, In-Reply-To, References and Content-ID lists.
enum MessageIDParser {
    /// The ids in `s`, without angle brackets: every `<…>` (whitespace inside
    /// removed); when there is none, the whitespace-separated words that
    /// contain `@` (or the single word). Comments are skipped.
    static func parse(_ s: [UInt8]) -> [String] {
        var ids: [String] = []
        // Ids are shown, never validated: 8-bit bytes in them are not worth a defect.
        var ignored: [MIMEDefect] = []
        var i = 0
        let n = s.count
        var words: [[UInt8]] = []
        var word: [UInt8] = []
        func endWord() {
            if !word.isEmpty {
                words.append(word)
                word = []
            }
        }
        while i < n {
            let b = s[i]
            if b == UInt8(ascii: "(") {
                endWord()
                var depth = 0
                while i < n {
                    if s[i] == UInt8(ascii: "\\") {
                        i += 2
                        continue
                    }
                    if s[i] == UInt8(ascii: "(") { depth += 1 }
                    if s[i] == UInt8(ascii: ")") {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            break
                        }
                    }
                    i += 1
                }
                continue
            }
            if b == UInt8(ascii: "\"") {
                // Quoted phrases ("message from …") are not ids.
                endWord()
                i += 1
                while i < n && s[i] != UInt8(ascii: "\"") {
                    if s[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
                i += 1
                continue
            }
            if b == UInt8(ascii: "<") {
                endWord()
                var id: [UInt8] = []
                i += 1
                while i < n && s[i] != UInt8(ascii: ">") && s[i] != UInt8(ascii: "<") {
                    if s[i] > 32 { id.append(s[i]) }
                    i += 1
                }
                if i < n && s[i] == UInt8(ascii: ">") { i += 1 }
                if !id.isEmpty { ids.append(HeaderText.string(id, field: "id", defects: &ignored)) }
                continue
            }
            if b <= 32 || b == UInt8(ascii: ",") { endWord() } else { word.append(b) }
            i += 1
        }
        endWord()
        if !ids.isEmpty { return ids }
        let withAt = words.filter { $0.contains(UInt8(ascii: "@")) }
        if !withAt.isEmpty { return withAt.map { HeaderText.string($0, field: "id", defects: &ignored) } }
        if words.count == 1 { return [HeaderText.string(words[0], field: "id", defects: &ignored)] }
        return []
    }
}
