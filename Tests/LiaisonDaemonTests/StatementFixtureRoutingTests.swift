import Foundation
import LiaisonCore
import MIME
import Testing

@testable import LiaisonDaemon

/// The statement fixtures of `Tests/LiaisonDocumentsTests/Fixtures/statements`, read and routed as
/// the daemon does (attachments read, the realistic IETF directory of `Fixtures/ietf-directory.yaml`,
/// no rules), against the `expectedRecipients` (`to`, `cc` addresses) of each fixture's JSON.
@Suite("Statement fixtures: expected recipients")
struct StatementFixtureRoutingTests {
    static let statements = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LiaisonDocumentsTests/Fixtures/statements")

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: statements.path)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }.sorted()
    }()

    struct NoTemplates: TemplateRendering {
        func render(_ name: String, context: TemplateValue) throws -> String { name }
    }

    /// A configuration using the realistic directory, in a temporary folder.
    static func configuration() throws -> Configuration {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-fixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: fixtures.appendingPathComponent("ietf-directory.yaml"), to: folder.appendingPathComponent("ietf-directory.yaml"))
        try Data("pw\n".utf8).write(to: folder.appendingPathComponent("password"))
        let text = """
            service:
              address: statements@ietf.org
              liaison_manager: liaison-manager@example.org
              state_directory: state
            imap: { url: "imaps://imap.example.org:993", username: statements, password_file: password }
            smtp: { url: "smtp://smtp.example.org:587" }
            directory_file: ietf-directory.yaml
            """
        let path = folder.appendingPathComponent("liaison.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try ConfigurationLoader.load(path: path)
    }

    @Test("Each fixture reaches its expected recipients", arguments: names)
    func recipients(name: String) throws {
        let raw = try Data(contentsOf: Self.statements.appendingPathComponent("\(name).eml"))
        let json = try Data(contentsOf: Self.statements.appendingPathComponent("\(name).json"))
        let expected = try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
        let processor = Runtime.processor(for: try Self.configuration(), templates: NoTemplates())
        let statement = processor.extractor.extract(from: MIMEMessage(bytes: [UInt8](raw)))
        let decision = processor.router.route(statement)
        let to = decision.to.map(\.address)
        let cc = decision.cc.map(\.address)
        if let out = ProcessInfo.processInfo.environment["LIAISON_RECIPIENTS_OUT"] {
            // Recording run: one JSON line per fixture, merged into the fixtures by hand.
            let line = try JSONSerialization.data(withJSONObject: ["name": name, "to": to, "cc": cc], options: [.sortedKeys])
            let handle = FileHandle(forWritingAtPath: out) ?? {
                _ = FileManager.default.createFile(atPath: out, contents: nil)
                return FileHandle(forWritingAtPath: out)
            }()
            handle?.seekToEndOfFile()
            handle?.write(line + Data("\n".utf8))
            try handle?.close()
        }
        let recipients = try #require(expected["expectedRecipients"] as? [String: [String]], "\(name): no expectedRecipients")
        #expect(to == recipients["to"], "\(name): to")
        #expect(cc == recipients["cc"], "\(name): cc")
        #expect(!to.isEmpty)
    }
}
