import Foundation
import LiaisonCore
import Testing

@testable import LiaisonDaemon

@Suite("HTTP configuration")
struct HTTPConfigurationTests {
    func parse(_ section: String) throws -> LiaisonDaemon.Configuration {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-secret-\(UUID().uuidString)").path
        try Data("s3cret-value\n".utf8).write(to: URL(fileURLWithPath: secret))
        defer { try? FileManager.default.removeItem(atPath: secret) }
        return try ConfigurationLoader.parse(ConfigurationTests.valid(secret: secret) + section, file: "c.yaml")
    }

    func problem(_ section: String) -> String {
        do {
            _ = try parse(section)
            return "no problem"
        } catch {
            return "\(error)"
        }
    }

    @Test("Without an http section the server is off")
    func absent() throws {
        #expect(try parse("").http == nil)
    }

    @Test("A loopback address and port are read", arguments: [
        ("127.0.0.1:9465", "127.0.0.1", 9465), ("localhost:8080", "localhost", 8080), ("[::1]:9465", "::1", 9465),
    ])
    func loopback(listen: String, host: String, port: Int) throws {
        let http = try parse("http:\n  listen: \"\(listen)\"\n").http
        #expect(http == HTTPSettings(host: host, port: port))
    }

    @Test("A non-loopback address needs allow_remote: true")
    func remote() throws {
        let refused = problem("http:\n  listen: 0.0.0.0:9465\n")
        #expect(refused.contains("http.listen: 0.0.0.0 is not a loopback address"), "\(refused)")
        #expect(refused.contains("c.yaml:"))
        let allowed = try parse("http:\n  listen: 0.0.0.0:9465\n  allow_remote: true\n").http
        #expect(allowed == HTTPSettings(host: "0.0.0.0", port: 9465, allowRemote: true))
    }

    @Test("Malformed addresses, a missing listen key and unknown keys are reported with their key", arguments: [
        ("http:\n  listen: 127.0.0.1\n", "http.listen: expected HOST:PORT"),
        ("http:\n  listen: 127.0.0.1:70000\n", "http.listen: expected HOST:PORT"),
        ("http:\n  listen: \"::1:9465\"\n", "http.listen: expected HOST:PORT"),
        ("http:\n  allow_remote: true\n", "http.listen: is required"),
        ("http:\n  listen: 127.0.0.1:9465\n  lisen: x\n", "http.lisen: unknown key (did you mean listen?)"),
    ])
    func malformed(section: String, expected: String) {
        let text = problem(section)
        #expect(text.contains(expected), "\(text)")
    }

    @Test("check-config reports missing dashboard templates only when http is on")
    func webTemplates() throws {
        var configuration = try parse("http:\n  listen: 127.0.0.1:9465\n")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        configuration.templatesDirectory = repository.appendingPathComponent("templates").path
        #expect(HTTPWiring.templateProblem(configuration) == nil)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty.appendingPathComponent("web"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        configuration.templatesDirectory = empty.path
        let problem = HTTPWiring.templateProblem(configuration)
        #expect(problem?.contains("calendar") == true, "\(problem ?? "nil")")
        configuration.http = nil
        #expect(HTTPWiring.templateProblem(configuration) == nil)
    }
}
