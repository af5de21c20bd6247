/// Finds the mail addresses people write in statement fields, in all the forms seen:
/// `Name <a@b>`, `"Name, Jr." <a@b>`, bare `a@b`, and the Datatracker's `Org (Name <a@b>)`.
///
/// Unlike an RFC 5322 address-list parser it does not treat parentheses as comments, because
/// in these fields they hold the contact itself.
enum ContactScanner {
    static func contacts(in text: String) -> [Contact] {
        // "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org" names the address before it.
        let text = text.replacing(/[,;]?\s*mailto:([^\s,;<>()]+)/.ignoresCase()) { match in " <\(match.output.1)>" }
        var contacts: [Contact] = []
        var seen = Set<String>()
        func add(_ name: String?, _ address: String) {
            let address = address.trimmingCharacters(in: " \t.,;:'\"")
            guard isPlausibleAddress(address), seen.insert(address.lowercased()).inserted else { return }
            let name = name?.trimmingCharacters(in: " \t\"',;:()")
            contacts.append(Contact(name: name?.isEmpty == false ? name : nil, address: address))
        }
        let characters = Array(text)
        var index = 0
        var pending = ""
        while index < characters.count {
            let character = characters[index]
            if character == "<", let close = characters[index...].firstIndex(of: ">") {
                add(pending, String(characters[(index + 1)..<close]))
                pending = ""
                index = close + 1
                continue
            }
            if character == "," || character == ";" || character == "(" || character == ")" || character == "\n" {
                flushBare(&pending, add: add)
                pending = ""
            } else {
                pending.append(character)
            }
            index += 1
        }
        flushBare(&pending, add: add)
        return contacts
    }

    /// A bare `a@b` inside text that had no angle brackets.
    private static func flushBare(_ text: inout String, add: (String?, String) -> Void) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if let word = words.first(where: { $0.contains("@") }) {
            let name = words.filter { !$0.contains("@") }.joined(separator: " ")
            add(name.isEmpty ? nil : name, String(word))
        }
    }

    static func isPlausibleAddress(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@"), at != address.startIndex else { return false }
        let domain = address[address.index(after: at)...]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
            && !address.unicodeScalars.contains { $0.value <= 0x20 || $0 == "<" || $0 == ">" || $0 == "\u{7f}" }
    }
}
