import Foundation
import Testing

/// One test's own world on the shared mail stack: a unique address prefix, a configuration made
/// from the demo's template, a state directory, and the `liaison` binary to run.
struct TestRun {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let stack: MailStack
    let prefix: String
    let directory: URL
    let configPath: String

    init(stack: MailStack) throws {
        self.stack = stack
        prefix = "t" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-it-\(prefix)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let template = try String(
            contentsOf: Self.repository.appendingPathComponent("demo/liaison.yaml.in"), encoding: .utf8)
        let config = template
            .replacingOccurrences(of: "@PREFIX@", with: prefix)
            .replacingOccurrences(of: "@STATE@", with: directory.appendingPathComponent("state").path)
            .replacingOccurrences(of: "@TEMPLATES@", with: Self.repository.appendingPathComponent("templates").path)
            .replacingOccurrences(of: "@HOST@", with: stack.host)
            .replacingOccurrences(of: "@IMAP_PORT@", with: stack["MAILSTACK_IMAP_PORT"])
            .replacingOccurrences(of: "@SUBMISSION_PORT@", with: stack["MAILSTACK_SUBMISSION_PORT"])
            .replacingOccurrences(of: "@CA@", with: stack["MAILSTACK_CA"])
            .replacingOccurrences(of: "@PASSWORD_FILE@", with: stack["MAILSTACK_PASSWORD_FILE"])
            // The binary runs on the real clock: on a Monday it would add weekly digests to the
            // liaison managers' mailboxes. DigestIntegrationTests turns them on with a test clock.
            + "\ndigest:\n  enabled: false\n"
        configPath = directory.appendingPathComponent("liaison.yaml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    func address(_ local: String) -> String { "\(prefix)-\(local)@example.test" }

    /// A sample statement of `demo/statements`, addressed with this run's prefix.
    func sample(_ name: String) throws -> [UInt8] {
        let text = try String(
            contentsOf: Self.repository.appendingPathComponent("demo/statements/\(name).eml.in"), encoding: .utf8)
        return Array(text.replacingOccurrences(of: "@PREFIX@", with: prefix).utf8)
    }

    /// Runs `liaison ARGUMENTS --config <this run's config>`; returns the exit status and output.
    func liaison(_ arguments: String...) throws -> (status: Int32, output: String) {
        var status: Int32 = 0
        let output = run(try Self.binary(), arguments + ["--config", configPath], status: &status)
        return (status, output)
    }

    /// The `liaison` executable SwiftPM built next to the tests.
    static func binary() throws -> String {
        var candidates: [URL] = []
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            candidates.append(url.appendingPathComponent("liaison"))
            url = url.deletingLastPathComponent()
        }
        candidates.append(repository.appendingPathComponent(".build/debug/liaison"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw BinaryMissing(searched: candidates.map(\.path))
        }
        return found.path
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "the liaison executable was not built; looked in \(searched.joined(separator: ", "))" }
    }
}
