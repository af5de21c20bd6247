/// Finds identifiers other bodies give their documents: 3GPP Tdoc numbers (`S2-2401234`,
/// `SP-150829`, `C4-185491`), ITU-T liaison numbers (`SG15-LS54`) and Broadband Forum liaison
/// numbers (`LIAISE-420`, `LIAISE-420-02`).
public enum Identifiers {
    /// Returns the identifiers in `text`, in order of first appearance, without duplicates.
    public static func find(in text: String) -> [String] {
        var found: [String] = []
        let patterns: [Regex<Substring>] = [
            /\bSG\d{1,2}-LS\d{1,4}\b/.ignoresCase(),
            /\bLIAISE-\d{1,4}(?:-\d{1,3})?\b/.ignoresCase(),
            /\b[A-Z][A-Z0-9]?-\d{6,7}\b/,
        ]
        var matches: [(String.Index, String)] = []
        for pattern in patterns {
            for match in text.matches(of: pattern) {
                matches.append((match.range.lowerBound, String(match.output).uppercased()))
            }
        }
        for (_, identifier) in matches.sorted(by: { $0.0 < $1.0 }) where !found.contains(identifier) {
            found.append(identifier)
        }
        return found
    }
}
