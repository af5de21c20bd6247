/// One server response on the IDLE watcher's raw connection, as far as watching needs it.
enum IMAPIdleEvent: Equatable {
    /// `+ …`: the server accepted IDLE (or wants a literal).
    case continuation
    /// `* n EXISTS`: the mailbox now holds `n` messages.
    case exists(Int)
    /// `* n RECENT`.
    case recent(Int)
    /// `* n EXPUNGE`: message `n` is gone, the count drops by one.
    case expunge(Int)
    /// `* CAPABILITY …` (uppercased names).
    case capabilities(Set<String>)
    /// `* BYE …`: the server is closing the connection.
    case bye(String)
    /// `tag OK|NO|BAD …`: the completion of command `tag`.
    case tagged(tag: String, IMAPTaggedLine)
    /// Anything else (`* OK Still here`, `* n FETCH …`, `* FLAGS …`): ignored.
    case other

    /// Parses one response line (without CRLF).
    init(line bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("+") {
            self = .continuation
            return
        }
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count >= 2 else {
            self = .other
            return
        }
        guard words[0] == "*" else {
            if let tagged = IMAPTaggedLine(line) {
                self = .tagged(tag: String(words[0]), tagged)
            } else {
                self = .other
            }
            return
        }
        let keyword = words[1].uppercased()
        if keyword == "BYE" {
            self = .bye(line)
            return
        }
        if keyword == "CAPABILITY" {
            self = .capabilities(IMAPResponse.capabilities(in: [line]) ?? [])
            return
        }
        // `* n KEYWORD`: n is a plain number (at most 10 digits: a UInt32 count).
        guard words.count == 3, words[1].utf8.count <= 10, words[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let number = Int(words[1])
        else {
            self = .other
            return
        }
        switch words[2].uppercased() {
        case "EXISTS": self = .exists(number)
        case "RECENT": self = .recent(number)
        case "EXPUNGE": self = .expunge(number)
        default: self = .other
        }
    }
}
