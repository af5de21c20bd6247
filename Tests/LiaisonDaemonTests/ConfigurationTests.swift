import Foundation
import LiaisonCore
import Testing

@testable import LiaisonDaemon

@Suite("Configuration")
struct ConfigurationTests {
    /// A valid configuration; secrets point at a file that exists.
    static func valid(secret: String) -> String {
        """
        service:
          address: "Liaison <statements@example.org>"
          liaison_manager: lm@example.org
          time_zone: America/Los_Angeles
          state_directory: /tmp/liaison-config-test
        imap:
          url: imaps://imap.example.org:993
          username: statements@example.org
          password_file: \(secret)
        smtp:
          url: smtp://smtp.example.org:587
          username: statements@example.org
          password_file: \(secret)
        directory:
          areas:
            - acronym: ops
              name: Operations and Management
              directors: ops-ads@ietf.org
          groups:
            - acronym: mars
              name: MARS
              area: ops
              list: mars@ietf.org
              chairs: mars-chairs@ietf.org
          organizations:
            - name: ITU-T
              domains: [itu.int]
              liaison_managers: [itu-lm@example.org]
        rules:
          - name: itu-to-mars
            when: { from_organization: ITU-T }
            add_groups: [mars]

        """
    }

    func secretFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-secret-\(UUID().uuidString)").path
        try Data("s3cret-value\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("A valid file loads, with defaults filled in")
    func valid() throws {
        let configuration = try ConfigurationLoader.parse(Self.valid(secret: try secretFile()), file: "/etc/liaison/liaison.yaml")
        #expect(configuration.intake.serviceAddress == Contact(name: "Liaison", address: "statements@example.org"))
        #expect(configuration.intake.timeZone.identifier == "America/Los_Angeles")
        #expect(configuration.imap.tls == .implicit)
        #expect(configuration.smtp.tls == .starttls)
        #expect(configuration.imap.mailbox == "INBOX")
        #expect(configuration.intake.processedFolder == "Processed")
        #expect(configuration.directory.groups["mars"]?.area == "ops")
        #expect(configuration.rules.first?.addGroups == ["mars"])
        #expect(configuration.templatesDirectory == "/etc/liaison/templates")
        #expect(configuration.databasePath == "/tmp/liaison-config-test/liaison.sqlite")
    }

    @Test("Every problem is reported with file, line and key")
    func problems() throws {
        let secret = try secretFile()
        let text = Self.valid(secret: secret)
            .replacingOccurrences(of: "url: imaps://imap.example.org:993", with: "url: http://imap.example.org")
            .replacingOccurrences(of: "      area: ops", with: "      area: opz")
            .replacingOccurrences(of: "  time_zone: America/Los_Angeles", with: "  time_zone: Mars/Olympus\n  adress: x@y.z")
            .replacingOccurrences(of: "liaison_managers: [itu-lm@example.org]", with: "liaison_managers: [\"not an address\"]")
        let error = #expect(throws: ConfigError.self) {
            try ConfigurationLoader.parse(text, file: "liaison.yaml")
        }
        guard case .invalid(let problems) = error else {
            Issue.record("expected problems, got \(String(describing: error))")
            return
        }
        let lines = problems.map(\.description)
        #expect(lines.contains("liaison.yaml:4: service.time_zone: unknown time zone Mars/Olympus (use an IANA name such as America/Los_Angeles)"))
        #expect(lines.contains("liaison.yaml:5: service.adress: unknown key (did you mean address?)"))
        #expect(lines.contains { $0.hasPrefix("liaison.yaml:8: imap.url: must look like imap://") })
        #expect(lines.contains("liaison.yaml:23: directory.groups[0].area: unknown area opz (define it under directory.areas)"))
        #expect(lines.contains { $0.hasPrefix("liaison.yaml:29: directory.organizations[0].liaison_managers: not an address") })
        #expect(problems.count == 5)
    }

    @Test(
        "Settings that would be unsafe or meaningless are refused",
        arguments: [
            ("url: smtp://smtp.example.org:587", "url: smtp://smtp.example.org:587\n  tls: none", "smtp.tls: tls: none would send the password and mail in clear to smtp.example.org, which is not a loopback host; refused unless allow_plaintext: true"),
            ("url: smtp://smtp.example.org:587", "url: smtp://127.0.0.1:587\n  tls: none", "smtp.tls: tls: none also needs allow_plaintext: true"),
            ("url: imaps://imap.example.org:993", "url: imaps://imap.example.org:993\n  tls: starttls", "imap.tls: a imaps:// URL always uses implicit TLS"),
            ("address: \"Liaison <statements@example.org>\"", "address: \"Liaison <statements@example.org>\\r\\nBcc: x@y.z\"", "service.address: contains a control character or line break"),
        ])
    func unsafe(original: String, replacement: String, expected: String) throws {
        let text = Self.valid(secret: try secretFile()).replacingOccurrences(of: original, with: replacement)
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.parse(text, file: "c.yaml") }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }

    @Test("A missing secret file is reported by name, and a secret's value never appears in errors")
    func secrets() throws {
        let text = Self.valid(secret: "/nonexistent/imap-password")
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.parse(text, file: "c.yaml") }
        #expect(error?.description.contains("imap.password_file: file /nonexistent/imap-password does not exist or is not readable") == true)

        let secret = try secretFile()
        #expect(try SecretFile.read(secret, key: "imap.password_file", configFile: "c.yaml") == "s3cret-value")
        try Data("two\nlines\n".utf8).write(to: URL(fileURLWithPath: secret))
        let multiLine = #expect(throws: ConfigError.self) { try SecretFile.read(secret, key: "imap.password_file", configFile: "c.yaml") }
        #expect(multiLine?.description.contains("lines") == false)
    }

    @Test("Broken YAML names the line")
    func brokenYAML() {
        let error = #expect(throws: ConfigError.self) {
            try ConfigurationLoader.parse("service:\n  address: [unclosed\n", file: "c.yaml")
        }
        #expect(error?.description.hasPrefix("c.yaml:") == true)
    }
}

@Suite("Shipped example configuration")
struct ExampleConfigurationTests {
    @Test("deploy/liaison.example.yaml is valid once its secret files exist")
    func example() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-example-\(UUID().uuidString)")
        try Data("x\n".utf8).write(to: secret)
        let text = try String(contentsOf: repository.appendingPathComponent("deploy/liaison.example.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "$CREDENTIALS_DIRECTORY/imap-password", with: secret.path)
            .replacingOccurrences(of: "$CREDENTIALS_DIRECTORY/smtp-password", with: secret.path)
        let configuration = try ConfigurationLoader.parse(text, file: "/etc/liaison/liaison.yaml")
        #expect(configuration.directory.groups.count == 2)
        #expect(configuration.rules.map(\.name) == ["itu-optical-to-ccamp", "copy-actions-to-tracker"])
        #expect(configuration.retry.giveUpAfter == 5 * 86400)
        #expect(configuration.intake.ownAddresses == ["statements-owner@example.org"])
    }
}
