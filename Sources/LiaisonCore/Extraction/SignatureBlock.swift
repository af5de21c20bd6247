/// The signature under a letter's closing ("Best regards," / "Sincerely,"): a name, perhaps a
/// role naming the sending group ("Chair, IEEE 802.1 Working Group", "Rapporteur Q14/15") and an address.
struct SignatureBlock {
    var name: String?
    var group: String?
    var contact: Contact?
    /// The line of the first signature line.
    var line: Int

    static let closings = [
        "best regards", "kind regards", "regards", "sincerely", "yours sincerely", "yours faithfully", "best wishes",
        "with best regards", "many thanks", "thank you", "thanks", "cheers", "respectfully",
    ]

    /// The last signature block of the text, if any.
    init?(text: String) {
        let lines = LabeledLines.lines(of: text)
        guard let closing = lines.lastIndex(where: { line in
            let lower = line.lowercased().trimmingCharacters(in: " \t,.!")
            return SignatureBlock.closings.contains(lower)
        }) else { return nil }
        let following = lines[(closing + 1)...].prefix(8).enumerated().compactMap { offset, line -> (String, Int)? in
            let trimmed = line.trimmingCharacters(in: " \t")
            return trimmed.isEmpty ? nil : (trimmed, closing + 2 + offset)
        }
        guard let first = following.first else { return nil }
        line = first.1
        var name: String?
        for (index, (text, _)) in following.enumerated() {
            let lower = text.lowercased()
            if text.contains("@") {
                if let contact = ContactScanner.contacts(in: text).first {
                    self.contact = Contact(name: contact.name ?? name, address: contact.address)
                }
            } else if index == 0, !SignatureBlock.looksLikeGroup(lower), !lower.contains("rapporteur"), text.count <= 60 {
                name = text
            } else if group == nil, SignatureBlock.isRole(lower) || SignatureBlock.looksLikeGroup(lower) {
                group = SignatureBlock.groupName(in: text)
            }
        }
        self.name = name
    }

    private static func isRole(_ lower: String) -> Bool {
        let roles = ["chair", "vice-chair", "co-chair", "chairman", "rapporteur", "convenor", "convener", "liaison officer", "secretary", "editor"]
        let parts = lower.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }
        return lower.contains("rapporteur") || parts.contains { part in roles.contains { part == $0 || part.hasPrefix($0 + " of") } }
    }

    private static func looksLikeGroup(_ lower: String) -> Bool {
        ["working group", "study group", "ieee", "itu-t", "3gpp", "forum", "committee", "tsg", "secretariat"].contains { lower.contains($0) }
            || lower.contains(/\bsg ?\d{1,2}\b/)
    }

    /// "Chair, IEEE 802.1 Working Group" → "IEEE 802.1 Working Group".
    private static func groupName(in text: String) -> String {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }
        let roles = ["chair", "vice-chair", "vice chair", "co-chair", "rapporteur", "liaison officer", "secretary", "convenor"]
        let kept = parts.filter { !roles.contains($0.lowercased()) }
        var group = (kept.isEmpty ? parts : kept).joined(separator: ", ")
        for prefix in ["Chair of ", "Chair, ", "Chairman, ", "Rapporteur for ", "Liaison Officer, "] where group.hasPrefix(prefix) {
            group = String(group.dropFirst(prefix.count))
        }
        return group
    }
}
