/// Finds identifiers other bodies give their documents: 3GPP Tdoc numbers (`S2-2401234`,
/// `SP-150829`, `C4-185491`), ITU-T liaison numbers (`SG15-LS54`, `sp16-sg17-oLS-00068`), ITU-T
/// TD numbers (`TD 123 (PLEN/15)`) and Broadband Forum liaison numbers (`LIAISE-420`, `LIAISE-420-02`).
public enum Identifiers {
    /// Returns the identifiers in `text`, in order of first appearance, without duplicates.
    public static func find(in text: String) -> [String] {
        locate(in: text).map(\.identifier)
    }

    /// The identifiers with the position of their first appearance.
    static func locate(in text: String) -> [(identifier: String, position: String.Index)] {
        var matches: [(String.Index, String)] = []
        for match in text.matches(of: /\bSG\d{1,2}-LS\d{1,4}\b/.ignoresCase()) {
            matches.append((match.range.lowerBound, String(match.output).uppercased()))
        }
        for match in text.matches(of: /\bLIAISE-\d{1,4}(?:-\d{1,3})?\b/.ignoresCase()) {
            matches.append((match.range.lowerBound, String(match.output).uppercased()))
        }
        for match in text.matches(of: /\b[A-Z][A-Z0-9]?-\d{6,7}\b/) {
            matches.append((match.range.lowerBound, String(match.output)))
        }
        for match in text.matches(of: /\bsp\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*-[io]LS-\d{3,5}\b/.ignoresCase()) {
            matches.append((match.range.lowerBound, String(match.output)))
        }
        for match in text.matches(of: /\bTD\s?\d{1,4}(?:\s?R\d{1,2})?\s?\((?:PLEN|GEN|WP\s?\d)\/\d{1,2}\)/) {
            let words = match.output.split(whereSeparator: { $0 == " " || $0 == "\t" })
            matches.append((match.range.lowerBound, words.joined(separator: " ")))
        }
        var seen = Set<String>()
        return matches.sorted { $0.0 < $1.0 }.compactMap { position, identifier in
            seen.insert(identifier.uppercased()).inserted ? (identifier, position) : nil
        }
    }
}
