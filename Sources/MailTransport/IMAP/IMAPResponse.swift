/// What libcurl handed back for one IMAP command, split into the parts the parsers need.
///
/// For a custom request libcurl passes the untagged (`* …`) lines that belong to the command to
/// the write callback, and every line of the session (greeting, CAPABILITY, its own SELECT, the
/// tagged completion) to the header callback.
struct IMAPResponse {
    /// The untagged lines from the write callback, without CRLF.
    var untagged: [String]
    /// All response lines from the header callback, without CRLF.
    var lines: [String]

    /// Splits write-callback bytes into lines.
    init(body: [UInt8], headerLines: [String]) {
        untagged = IMAPResponse.splitLines(body)
        lines = headerLines
    }

    /// Splits bytes on LF and drops a CR before it (on bytes: in Swift "\r\n" is one Character).
    static func splitLines(_ bytes: [UInt8]) -> [String] {
        var result: [String] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            result.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count {
            result.append(String(decoding: bytes[start...], as: UTF8.self))
        }
        return result
    }

    /// The tagged completion of the command: the last line that is neither untagged nor a
    /// continuation request, skipping the reply to the LOGOUT libcurl sends when it closes the
    /// connection after a failure (`* BYE Logging out` + `A016 OK Logout completed`).
    var tagged: IMAPTaggedLine? {
        var found: IMAPTaggedLine?
        var previous = ""
        for line in lines {
            if let tagged = IMAPTaggedLine(line), !previous.uppercased().hasPrefix("* BYE") {
                found = tagged
            }
            previous = line
        }
        return found
    }

    /// The untagged lines whose first word after `*` (or after the message number) is `keyword`.
    func untagged(_ keyword: String) -> [[IMAPValue]] {
        untagged.compactMap { line in
            guard let values = IMAPValue.parse(line), values.first == .atom("*") else { return nil }
            if values.count > 1, values[1].text?.uppercased() == keyword { return values }
            if values.count > 2, values[1].number != nil, values[2].text?.uppercased() == keyword { return values }
            return nil
        }
    }

    /// `* STATUS name (MESSAGES m UIDNEXT n UIDVALIDITY v)`.
    func status() -> (uidValidity: UInt32, uidNext: UInt32, messages: Int)? {
        for values in untagged("STATUS").reversed() {
            guard values.count >= 4, let items = values.last?.elements else { continue }
            let pairs = IMAPResponse.pairs(items)
            guard let validity = pairs["UIDVALIDITY"].flatMap(UInt32.init(exactly:)),
                let next = pairs["UIDNEXT"].flatMap(UInt32.init(exactly:)),
                let messages = pairs["MESSAGES"].flatMap(Int.init(exactly:))
            else { continue }
            return (validity, next, messages)
        }
        return nil
    }

    /// The UIDs of `* SEARCH n n …` lines; `nil` when there is no SEARCH line.
    func search() throws(IMAPParseError) -> [UInt32]? {
        let lines = untagged("SEARCH")
        guard !lines.isEmpty else { return nil }
        var result: [UInt32] = []
        for values in lines {
            for value in values.dropFirst(2) {
                if value.elements != nil { continue }  // (MODSEQ n) with CONDSTORE
                guard let number = value.number, let uid = UInt32(exactly: number), uid > 0 else {
                    throw IMAPParseError("SEARCH result \(value.text ?? "?") is not a UID")
                }
                result.append(uid)
            }
        }
        return result
    }

    /// `* ESEARCH (TAG "x") UID [ALL set] [COUNT n]`; `nil` when there is no ESEARCH line.
    func esearch() throws(IMAPParseError) -> (uids: [UInt32], count: Int?)? {
        guard let values = untagged("ESEARCH").last else { return nil }
        var index = 2
        if index < values.count, values[index].elements != nil { index += 1 }  // (TAG "A004")
        if index < values.count, values[index].text?.uppercased() == "UID" { index += 1 }
        var uids: [UInt32] = []
        var count: Int?
        while index + 1 < values.count {
            let name = values[index].text?.uppercased() ?? ""
            let value = values[index + 1]
            switch name {
            case "ALL":
                guard let text = value.text else { throw IMAPParseError("ESEARCH ALL without a set") }
                uids = try IMAPResponse.expand(sequenceSet: text)
            case "COUNT":
                guard let number = value.number else { throw IMAPParseError("ESEARCH COUNT is not a number") }
                count = Int(number)
            default:
                break
            }
            index += 2
        }
        guard index == values.count else { throw IMAPParseError("ESEARCH line has a dangling item") }
        return (uids, count)
    }

    /// The attributes of `* n FETCH (UID u …)` for `uid`.
    func fetchAttributes(uid: UInt32) -> [String: IMAPValue]? {
        for values in untagged("FETCH") {
            guard values.count >= 4, let items = values[3].elements else { continue }
            var attributes: [String: IMAPValue] = [:]
            var index = 0
            while index + 1 < items.count {
                if let name = items[index].text?.uppercased() { attributes[name] = items[index + 1] }
                index += 2
            }
            if attributes["UID"]?.number == UInt64(uid) { return attributes }
        }
        return nil
    }

    /// The capability atoms from `* CAPABILITY …` lines or `[CAPABILITY …]` response codes in
    /// `lines`, the last one winning (after login the server usually lists more).
    static func capabilities(in lines: [String]) -> Set<String>? {
        var found: Set<String>?
        for line in lines {
            let upper = line.uppercased()
            var words: [Substring]?
            if upper.hasPrefix("* CAPABILITY ") {
                words = upper.dropFirst("* CAPABILITY ".count).split(separator: " ")
            } else if let start = upper.firstRange(of: "[CAPABILITY ") {
                let rest = upper[start.upperBound...]
                words = rest.prefix { $0 != "]" }.split(separator: " ")
            }
            if let words { found = Set(words.map(String.init)) }
        }
        return found
    }

    /// The names of `* LIST (attributes) "delimiter" name` lines, decoded from modified UTF-7.
    func listedMailboxes() -> [String] {
        listedWireNames().map { ModifiedUTF7.decode($0) ?? $0 }
    }

    /// The names of `* LIST` lines as the server sent them (modified UTF-7).
    func listedWireNames() -> [String] {
        untagged("LIST").compactMap { values in
            guard values.count >= 5 else { return nil }
            return values[4].text
        }
    }

    /// Whether an untagged line reports an expunge (`* n EXPUNGE` or `* VANISHED`).
    var reportsExpunge: Bool {
        !untagged("EXPUNGE").isEmpty || !untagged("VANISHED").isEmpty
    }

    /// The `[COPYUID v src dst]` code in an untagged or tagged line.
    var copyUID: String? {
        for line in untagged + lines {
            if let code = IMAPTaggedLine.responseCode(in: line), code.uppercased().hasPrefix("COPYUID ") {
                return code
            }
        }
        return nil
    }

    /// Name/value pairs of a STATUS item list.
    private static func pairs(_ items: [IMAPValue]) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        var index = 0
        while index + 1 < items.count {
            if let name = items[index].text?.uppercased(), let value = items[index + 1].number {
                result[name] = value
            }
            index += 2
        }
        return result
    }

    /// Expands a UID sequence set such as `7:9,12`; `*` is not allowed in results.
    static func expand(sequenceSet: String, limit: Int = 10_000_000) throws(IMAPParseError) -> [UInt32] {
        var result: [UInt32] = []
        for part in sequenceSet.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count),
                let first = UInt32(bounds[0]), first > 0,
                let last = bounds.count == 2 ? UInt32(bounds[1]) : first, last > 0
            else { throw IMAPParseError("invalid sequence set element \(part)") }
            let low = min(first, last)
            let high = max(first, last)
            guard result.count + Int(high - low) < limit else {
                throw IMAPParseError("sequence set larger than \(limit) UIDs")
            }
            result.append(contentsOf: low...high)
        }
        return result
    }
}

/// A tagged completion line: `A005 OK [CODE …] text`.
struct IMAPTaggedLine: Equatable {
    /// `OK`, `NO` or `BAD`.
    var status: String
    /// The response code between brackets, e.g. `TRYCREATE` or `APPENDUID 1 5`.
    var code: String?
    /// The whole line, for error messages.
    var line: String

    /// Parses `line`; `nil` for untagged lines, continuations and anything else.
    init?(_ line: String) {
        guard !line.hasPrefix("*"), !line.hasPrefix("+") else { return nil }
        let words = line.split(separator: " ", maxSplits: 2)
        guard words.count >= 2 else { return nil }
        let status = words[1].uppercased()
        guard status == "OK" || status == "NO" || status == "BAD" else { return nil }
        self.status = status
        self.code = Self.responseCode(in: line)
        self.line = line
    }

    /// Whether the command succeeded.
    var isOK: Bool { status == "OK" }

    /// The first word of the response code, uppercased.
    var codeName: String? { code?.split(separator: " ").first.map { $0.uppercased() } }

    /// The response code of a status line (text between the first `[` and its `]`).
    static func responseCode(in line: String) -> String? {
        guard let open = line.firstIndex(of: "["),
            let close = line[open...].firstIndex(of: "]")
        else { return nil }
        return String(line[line.index(after: open)..<close])
    }

    /// The UID from `[APPENDUID validity uid]`.
    var appendUID: UInt32? {
        guard let code, codeName == "APPENDUID" else { return nil }
        let words = code.split(separator: " ")
        return words.count == 3 ? UInt32(words[2]) : nil
    }
}

/// A response that does not have the shape the command promises.
struct IMAPParseError: Error, CustomStringConvertible {
    /// What was wrong.
    var description: String

    init(_ description: String) { self.description = description }
}
