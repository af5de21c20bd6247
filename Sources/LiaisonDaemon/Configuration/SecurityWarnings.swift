import Foundation
import MailTransport

/// Settings that are allowed but weaken security, said out loud at start-up (a log warning) and
/// by `check-config` (a note): plain text to a host that is not loopback, and secret files
/// readable by other users.
enum SecurityWarnings {
    /// One line per weakness of `configuration`; empty when there is none.
    static func of(_ configuration: Configuration) -> [String] {
        var warnings: [String] = []
        let servers: [(key: String, url: String, plaintext: Bool)] = [
            ("imap", configuration.imap.url, configuration.imap.tls == .none),
            ("smtp", configuration.smtp.url, configuration.smtp.tls == .none),
        ]
        for server in servers where server.plaintext {
            let host = URLComponents(string: server.url)?.host ?? server.url
            if !isLoopback(host) {
                warnings.append(
                    "\(server.key).tls: none with allow_plaintext: true: the password and mail go in clear to \(host)")
            }
        }
        var secrets = [("imap.password_file", configuration.imap.passwordFile)]
        if let file = configuration.smtp.passwordFile { secrets.append(("smtp.password_file", file)) }
        for (key, file) in secrets {
            if let warning = SecretFile.permissionWarning(file, key: key) { warnings.append(warning) }
        }
        return warnings
    }

    private static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower.hasPrefix("127.") || lower == "::1" || lower == "[::1]"
    }
}
