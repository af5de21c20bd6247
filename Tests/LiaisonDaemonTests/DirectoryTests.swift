import Foundation
import LiaisonCore
import Testing

@testable import LiaisonDaemon

@Suite("Directory file and rules in the configuration")
struct DirectoryTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A configuration in a temporary folder next to a copy of the realistic IETF directory.
    func configuration(rules: String = "") throws -> (path: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("ietf-directory.yaml"), to: folder.appendingPathComponent("ietf-directory.yaml"))
        try Data("pw\n".utf8).write(to: folder.appendingPathComponent("password"))
        let text = """
            service:
              address: statements@ietf.org
              liaison_manager: liaison-manager@example.org
              state_directory: state
            imap: { url: "imaps://imap.example.org:993", username: statements, password_file: password }
            smtp: { url: "smtp://smtp.example.org:587" }
            directory_file: ietf-directory.yaml
            \(rules)
            """
        let path = folder.appendingPathComponent("liaison.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (path, folder)
    }

    @Test("The realistic IETF directory loads: 130 groups, 3 bodies, 7 areas, 30 organizations, an archive")
    func realistic() throws {
        let configuration = try ConfigurationLoader.load(path: try configuration().path)
        let directory = configuration.directory
        #expect(directory.groups.count == 133)
        #expect(directory.areas.count == 7)
        #expect(directory.organizations.count == 30)
        #expect(directory.archive.map(\.address) == ["statements-archive@ietf.org"])
        #expect(directory.addressee(forAddress: "CCAMP-chairs@ietf.org") == "ccamp")
        #expect(directory.groups["iesg"]?.liaisonContacts.map(\.address) == ["iesg@ietf.org"])
        #expect(directory.organization(named: "Study Group 15")?.name == "ITU-T")
        #expect(directory.organization(forDomain: "list.etsi.org")?.name == "ETSI")
    }

    @Test("Rules carry their file and line; bad expressions, duplicates and unreachable rules are reported")
    func ruleProblems() throws {
        let rules = """
            rules:
              - name: catch-all
                stop: true
                cc: [tracker@example.org]
              - name: itu
                when: { identifier: "SG(15" }
                add_groups: [ccamp]
              - name: itu
                when: { from_organization: ITU-T }
                lead: nosuchgroup
            """
        let (path, _) = try configuration(rules: rules)
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.load(path: path) }
        let text = error?.description ?? ""
        #expect(text.contains("liaison.yaml:13: rules[1].when.identifier: not a valid regular expression"), "\(text)")
        #expect(text.contains("liaison.yaml:17: rules[2].lead: unknown group or area nosuchgroup"), "\(text)")
        #expect(text.contains("rules: rule name itu is used twice (first at liaison.yaml:12)"), "\(text)")
        #expect(text.contains("rule itu (liaison.yaml:12) is unreachable: rule catch-all (liaison.yaml:9) matches every statement and stops"), "\(text)")
    }

    @Test("Problems in the directory file name that file and its line")
    func directoryFileProblems() throws {
        let (path, folder) = try configuration()
        let directoryFile = folder.appendingPathComponent("ietf-directory.yaml")
        let text = try String(contentsOf: directoryFile, encoding: .utf8)
            .replacingOccurrences(of: "      area: rtg\n      list: \"CCAMP", with: "      area: rgt\n      list: \"CCAMP")
        try Data(text.utf8).write(to: directoryFile)
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.load(path: path) }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "      area: rgt" }.map { $0 + 1 }
        #expect(error?.description.contains("\(directoryFile.path):\(line ?? 0): directory.groups[") == true, "\(String(describing: error))")
        #expect(error?.description.contains("unknown area rgt") == true)
    }

    @Test("Loading the directory and routing a statement are cheap (figures reported)")
    func cost() throws {
        let (path, _) = try configuration()
        let clock = ContinuousClock()
        var configuration: Configuration?
        let load = try clock.measure { configuration = try ConfigurationLoader.load(path: path) }
        let loaded = try #require(configuration)
        let router = Router(directory: loaded.directory, rules: loaded.rules, liaisonManager: loaded.intake.liaisonManager)
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on 400G"
        statement.toGroups = ["ccamp", "teas"]
        statement.fromOrganization = "ITU-T"
        statement.purpose = .action
        let rounds = 2_000
        var last = RoutingDecision()
        let routing = clock.measure {
            for _ in 0..<rounds { last = router.route(statement) }
        }
        #expect(last.groups == ["ccamp", "teas"])
        #expect(last.cc.map(\.address).contains("itu-t-liaison-manager@example.org"))
        print("directory-cost: load \(load); routing \(routing / rounds) per statement (debug build)")
    }
}
