import Foundation
import MailTransport
import Testing

@testable import LiaisonDaemon

/// `tls: none` needs `allow_plaintext: true`; secrets come from files or systemd credentials and
/// never show in errors.
@Suite("Plain text and secrets in the configuration")
struct PlaintextAndSecretConfigurationTests {
    let secretValue = "Zq8-secret-\(UInt32.random(in: 0...UInt32.max))"

    func secretFile(mode: Int = 0o600) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-secret-\(UUID().uuidString)").path
        try Data("\(secretValue)\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func load(_ text: String) throws -> Configuration {
        try ConfigurationLoader.parse(text, file: "/etc/liaison/liaison.yaml")
    }

    func problems(_ text: String) -> String {
        do {
            _ = try load(text)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: ["imap.example.org", "192.0.2.10", "10.1.2.3"])
    func plainTextToARemoteHostIsRefusedUnlessAllowed(host: String) throws {
        let base = ConfigurationTests.valid(secret: try secretFile())
        let plain = base.replacingOccurrences(of: "url: imaps://imap.example.org:993", with: "url: imap://\(host):143\n  tls: none")
        let refused = problems(plain)
        #expect(refused.contains("imap.tls: tls: none would send the password and mail in clear to \(host)"), "\(refused)")
        #expect(refused.contains("refused unless allow_plaintext: true"))
        #expect(refused.hasPrefix("/etc/liaison/liaison.yaml:"))

        let allowed = try load(plain.replacingOccurrences(of: "  tls: none", with: "  tls: none\n  allow_plaintext: true"))
        #expect(allowed.imap.tls == .none)
        #expect(allowed.imap.allowPlaintext)
        // Allowed, but said out loud at start-up and by check-config.
        #expect(SecurityWarnings.of(allowed).contains { $0.contains("go in clear to \(host)") })
        // The transport honours the setting: the mailbox can be created (no connection yet).
        let imap = try Runtime.imapConfiguration(allowed)
        #expect(imap.allowPlaintextAuthentication)
        _ = try IMAPMailbox(configuration: imap, logger: .init(label: "test"))
    }

    @Test func plainTextToLoopbackStillNeedsTheSetting() throws {
        let base = ConfigurationTests.valid(secret: try secretFile())
        let plain = base.replacingOccurrences(of: "url: smtp://smtp.example.org:587", with: "url: smtp://127.0.0.1:25\n  tls: none")
        #expect(problems(plain).contains("smtp.tls: tls: none also needs allow_plaintext: true"))
        let allowed = try load(plain.replacingOccurrences(of: "  tls: none", with: "  tls: none\n  allow_plaintext: true"))
        #expect(allowed.smtp.allowPlaintext)
        #expect(SecurityWarnings.of(allowed).isEmpty)
        #expect(try Runtime.smtpConfiguration(allowed).allowPlaintextAuthentication)
    }

    @Test func tlsSettingsNeverCarryThePlaintextPermission() throws {
        let text = ConfigurationTests.valid(secret: try secretFile())
            .replacingOccurrences(of: "url: smtp://smtp.example.org:587", with: "url: smtp://smtp.example.org:587\n  allow_plaintext: true")
        let configuration = try load(text)
        #expect(configuration.smtp.tls == .starttls)
        #expect(!configuration.smtp.allowPlaintext)
        #expect(!configuration.imap.allowPlaintext)
        #expect(try !Runtime.imapConfiguration(configuration).allowPlaintextAuthentication)
    }

    @Test func anUnreadablePasswordFileIsOneProblemNotAMissingPair() throws {
        let secret = try secretFile()
        let text = ConfigurationTests.valid(secret: secret)
            .replacingOccurrences(
                of: "url: smtp://smtp.example.org:587\n  username: statements@example.org\n  password_file: \(secret)",
                with: "url: smtp://smtp.example.org:587\n  username: statements@example.org\n  password_file: credential:smtp-password")
        let reported = problems(text)
        #expect(reported.contains("smtp.password_file"), "\(reported)")
        #expect(reported.contains("$CREDENTIALS_DIRECTORY is not set"), "\(reported)")
        #expect(!reported.contains("go together"), "\(reported)")
        // A username without any password_file is still the missing pair.
        let unpaired = text.replacingOccurrences(of: "\n  password_file: credential:smtp-password", with: "")
        #expect(problems(unpaired).contains("smtp: username and password_file go together"), "\(problems(unpaired))")
    }

    @Test func systemdCredentialsAreReadFromTheCredentialsDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let environment = ["CREDENTIALS_DIRECTORY": directory.path]
        #expect(
            SecretFile.resolve("credential:imap-password", relativeTo: "/etc/liaison", environment: environment)
                == .success(directory.appendingPathComponent("imap-password").path))
        #expect(
            SecretFile.resolve("$CREDENTIALS_DIRECTORY/smtp-password", relativeTo: "/etc/liaison", environment: environment)
                == .success(directory.appendingPathComponent("smtp-password").path))
        #expect(SecretFile.resolve("secrets/imap", relativeTo: "/etc/liaison", environment: environment) == .success("/etc/liaison/secrets/imap"))
        #expect(SecretFile.resolve("/run/keys/imap", relativeTo: "/etc/liaison", environment: environment) == .success("/run/keys/imap"))
        for bad in ["credential:", "credential:../etc/shadow", "credential:a/b", "credential:..", "$CREDENTIALS_DIRECTORY/"] {
            guard case .failure(let problem) = SecretFile.resolve(bad, relativeTo: "/etc", environment: environment) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(problem.message.contains("must name one systemd credential"))
        }
    }

    @Test func aCredentialOutsideASystemdUnitIsAClearProblem() {
        guard case .failure(let problem) = SecretFile.resolve("credential:imap-password", relativeTo: "/etc", environment: [:]) else {
            Issue.record("resolved without CREDENTIALS_DIRECTORY")
            return
        }
        #expect(problem.message.contains("$CREDENTIALS_DIRECTORY is not set"))
        #expect(problem.message.contains("LoadCredential=imap-password:"))
    }

    @Test func secretFilesAreOneShortLineAndTheirContentNeverShows() throws {
        let path = try secretFile()
        #expect(try SecretFile.read(path, key: "imap.password_file", configFile: "c.yaml") == secretValue)
        let bad: [[UInt8]] = [
            [], Array("\n".utf8), Array("\(secretValue)\nsecond".utf8), Array("\(secretValue)\0x".utf8),
            Array(repeating: UInt8(ascii: "a"), count: SecretFile.maximumSize + 1),
        ]
        for bytes in bad {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: ConfigError.self) { try SecretFile.read(path, key: "imap.password_file", configFile: "c.yaml") }
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains(secretValue) == false)
        }
    }

    @Test func secretFilesReadableByOthersAreWarnedAbout() throws {
        let shared = try secretFile(mode: 0o644)
        let warning = SecretFile.permissionWarning(shared, key: "imap.password_file")
        #expect(warning?.contains("readable by others (mode 644)") == true)
        #expect(warning?.contains(secretValue) == false)
        #expect(SecretFile.permissionWarning(try secretFile(mode: 0o600), key: "k") == nil)
        #expect(SecretFile.permissionWarning(try secretFile(mode: 0o400), key: "k") == nil)
        let configuration = try load(ConfigurationTests.valid(secret: shared))
        #expect(SecurityWarnings.of(configuration).count == 2)
    }
}
