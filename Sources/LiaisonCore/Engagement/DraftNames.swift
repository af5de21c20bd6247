import Foundation
/// Internet-Draft names in text: `draft-ietf-WG-…` names the working group WG.
enum DraftNames {
    /// The known working groups (acronyms, in order of appearance) named by `draft-ietf-WG-…` in `text`.
    static func groups(in text: String, directory: Directory) -> [String] {
        var found: [String] = []
        let lower = text.lowercased()
        var start = lower.startIndex
        while let range = lower.range(of: "draft-ietf-", range: start..<lower.endIndex) {
            let rest = lower[range.upperBound...]
            let acronym = String(rest.prefix { $0.isLetter || $0.isNumber })
            if !acronym.isEmpty, directory.groups[acronym] != nil, !found.contains(acronym) { found.append(acronym) }
            start = range.upperBound
        }
        return found
    }
}
