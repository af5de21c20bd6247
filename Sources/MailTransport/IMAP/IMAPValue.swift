/// One token of an IMAP response line: an atom (including numbers, flags and `NIL`), a quoted
/// string, or a parenthesised list.
enum IMAPValue: Equatable, Sendable {
    case atom(String)
    case string(String)
    case list([IMAPValue])

    /// The atom or string text.
    var text: String? {
        switch self {
        case .atom(let text), .string(let text): text
        case .list: nil
        }
    }

    /// The elements of a list.
    var elements: [IMAPValue]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// The value of a numeric atom.
    var number: UInt64? {
        if case .atom(let text) = self, text.utf8.count <= 19 { return UInt64(text) }
        return nil
    }

    /// Splits a response line into values; `nil` when the line holds a literal (`{n}`) or an
    /// unbalanced parenthesis or quote — such lines are not parsed, never guessed.
    static func parse(_ line: String) -> [IMAPValue]? {
        var bytes = Array(line.utf8)[...]
        var stack: [[IMAPValue]] = [[]]
        while let byte = bytes.first {
            switch byte {
            case UInt8(ascii: " "):
                bytes = bytes.dropFirst()
            case UInt8(ascii: "("):
                bytes = bytes.dropFirst()
                stack.append([])
            case UInt8(ascii: ")"):
                bytes = bytes.dropFirst()
                guard stack.count > 1, let list = stack.popLast() else { return nil }
                stack[stack.count - 1].append(.list(list))
            case UInt8(ascii: "\""):
                bytes = bytes.dropFirst()
                var text: [UInt8] = []
                var closed = false
                while let next = bytes.first {
                    bytes = bytes.dropFirst()
                    if next == UInt8(ascii: "\\") {
                        guard let escaped = bytes.first else { return nil }
                        bytes = bytes.dropFirst()
                        text.append(escaped)
                    } else if next == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        text.append(next)
                    }
                }
                guard closed else { return nil }
                stack[stack.count - 1].append(.string(String(decoding: text, as: UTF8.self)))
            case UInt8(ascii: "{"):
                return nil
            default:
                var text: [UInt8] = []
                var depth = 0
                while let next = bytes.first {
                    // `[` … `]` belongs to the atom (BODY[HEADER.FIELDS (A B)]).
                    if next == UInt8(ascii: "[") { depth += 1 }
                    if next == UInt8(ascii: "]") { depth -= 1 }
                    if depth <= 0,
                        next == UInt8(ascii: " ") || next == UInt8(ascii: "(")
                            || next == UInt8(ascii: ")") || next == UInt8(ascii: "\"")
                    {
                        break
                    }
                    text.append(next)
                    bytes = bytes.dropFirst()
                }
                stack[stack.count - 1].append(.atom(String(decoding: text, as: UTF8.self)))
            }
        }
        guard stack.count == 1 else { return nil }
        return stack[0]
    }
}
