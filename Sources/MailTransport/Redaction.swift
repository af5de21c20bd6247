/// Keeps a secret out of text that may end up in an error or a log.
enum Redaction {
    /// `text` with every occurrence of `secret` replaced by `<redacted>` (no-op for an empty secret).
    static func scrub(_ text: String, secret: String?) -> String {
        guard let secret, !secret.isEmpty, text.contains(secret) else { return text }
        return text.replacing(secret, with: "<redacted>")
    }
}
