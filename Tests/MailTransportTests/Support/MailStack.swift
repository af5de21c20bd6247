import Foundation
import Testing

/// The local Dovecot + Postfix stack that `scripts/mailstack start` runs, read from its env file.
///
/// The file's path is `$MAILSTACK_ENV`, else `/tmp/liaison-mailstack/env`. Without it, the
/// integration suites are disabled by their trait — except in CI (`CI=true`), where they run and
/// fail in ``require()`` with a message saying what is missing.
struct MailStack: Sendable {
    var host: String
    var imapPort: Int
    var imapsPort: Int
    var smtpPort: Int
    var submissionPort: Int
    var smtpsPort: Int
    /// The CA that signed the stack's server certificate.
    var caFile: String
    /// A CA that did not sign it (a valid PEM file all the same).
    var wrongCAFile: String
    /// The password every `…@example.test` user shares.
    var password: String
    var domain: String

    /// Where the env file is looked for.
    static let environmentFile = ProcessInfo.processInfo.environment["MAILSTACK_ENV"] ?? "/tmp/liaison-mailstack/env"

    /// Whether this run is CI, where a missing stack is a failure, not a skip.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The stack, or why it is not available.
    static let current: Result<MailStack, MailStackUnavailable> = load()

    /// For `.enabled(if:)`: run when the stack is there, and always in CI.
    static var shouldRun: Bool {
        if case .success = current { return true }
        return isCI
    }

    /// The stack; throws (failing the test) when it is not running.
    static func require() throws -> MailStack {
        try current.get()
    }

    private static func load() -> Result<MailStack, MailStackUnavailable> {
        let path = environmentFile
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(MailStackUnavailable(path: path, detail: "the env file does not exist"))
        }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            var line = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("export ") { line.removeFirst("export ".count) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: equals)...])
            if value.count >= 2, value.first == value.last, value.first == "\"" || value.first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            values[String(line[..<equals])] = value
        }
        func string(_ key: String) throws(MailStackUnavailable) -> String {
            guard let value = values[key], !value.isEmpty else {
                throw MailStackUnavailable(path: path, detail: "\(key) is missing")
            }
            return value
        }
        func port(_ key: String) throws(MailStackUnavailable) -> Int {
            guard let value = Int(try string(key)) else {
                throw MailStackUnavailable(path: path, detail: "\(key) is not a port")
            }
            return value
        }
        do throws(MailStackUnavailable) {
            let passwordFile = try string("MAILSTACK_PASSWORD_FILE")
            guard let password = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw MailStackUnavailable(path: path, detail: "cannot read \(passwordFile)")
            }
            return .success(
                MailStack(
                    host: try string("MAILSTACK_HOST"),
                    imapPort: try port("MAILSTACK_IMAP_PORT"),
                    imapsPort: try port("MAILSTACK_IMAPS_PORT"),
                    smtpPort: try port("MAILSTACK_SMTP_PORT"),
                    submissionPort: try port("MAILSTACK_SUBMISSION_PORT"),
                    smtpsPort: try port("MAILSTACK_SMTPS_PORT"),
                    caFile: try string("MAILSTACK_CA"),
                    wrongCAFile: values["MAILSTACK_BAD_CA"] ?? "/etc/ssl/certs/ca-certificates.crt",
                    password: password.trimmingCharacters(in: .whitespacesAndNewlines),
                    domain: values["MAILSTACK_DOMAIN"] ?? "example.test"
                ))
        } catch {
            return .failure(error)
        }
    }

    /// A fresh address nobody else uses, e.g. `t1f2e3d4c5b6a7980-intake@example.test`.
    func uniqueAddress(_ role: String) -> String {
        "t\(String(UInt64.random(in: 0...UInt64.max), radix: 16))-\(role)@\(domain)"
    }
}

/// Why the mail stack cannot be used.
struct MailStackUnavailable: Error, CustomStringConvertible {
    var path: String
    var detail: String

    var description: String {
        "the mail stack is not running (\(detail) at \(path)); start it with `scripts/mailstack start`"
            + " or point MAILSTACK_ENV at its env file"
    }
}
