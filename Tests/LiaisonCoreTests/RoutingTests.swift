import LiaisonCore
import Testing

@Suite("Routing")
struct RoutingTests {
    let manager = Contact(name: "IETF Liaison Manager", address: "t-lm@example.test")

    func statement(to groups: [String], from organization: String? = "ITU-T", purpose: Purpose = .action) -> Statement {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on something"
        statement.toGroups = groups
        statement.fromOrganization = organization
        statement.purpose = purpose
        return statement
    }

    @Test("A working group: chairs and list in To, area directors and the sender's liaison manager in Cc")
    func workingGroup() {
        let decision = Router(directory: testDirectory, rules: [], liaisonManager: manager).route(statement(to: ["mars"]))
        #expect(decision.to.map(\.address) == ["t-mars-chairs@example.test", "t-mars@example.test"])
        #expect(decision.cc.map(\.address) == ["t-ops-ads@example.test", "t-lm-itu@example.test"])
        #expect(decision.groups == ["mars"])
        #expect(!decision.isTriage)
        #expect(decision.reasons.contains("t-ops-ads@example.test: directors of area ops (area of mars)"))
    }

    @Test("An area: its directors in To")
    func area() {
        let decision = Router(directory: testDirectory, rules: [], liaisonManager: manager).route(statement(to: ["rtg"]))
        #expect(decision.to.map(\.address) == ["t-rtg-ads@example.test"])
        #expect(decision.cc.map(\.address) == ["t-lm-itu@example.test"])
    }

    @Test("Liaison contacts replace the default To; liaison copy contacts are added")
    func overrides() {
        var directory = testDirectory
        directory.groups["mars"]?.liaisonContacts = [Contact(address: "t-mars-liaison@example.test")]
        directory.groups["mars"]?.liaisonCCContacts = [Contact(address: "t-mars-secretary@example.test")]
        let decision = Router(directory: directory, rules: [], liaisonManager: manager).route(statement(to: ["mars"]))
        #expect(decision.to.map(\.address) == ["t-mars-liaison@example.test"])
        #expect(decision.cc.map(\.address) == ["t-ops-ads@example.test", "t-mars-secretary@example.test", "t-lm-itu@example.test"])
    }

    @Test("Two groups share no duplicate recipient, and To wins over Cc")
    func deduplication() {
        var directory = testDirectory
        directory.groups["ccamp"]?.area = "ops"
        directory.groups["ccamp"]?.chairs = Contact(address: "t-ops-ads@example.test")
        let decision = Router(directory: directory, rules: [], liaisonManager: manager).route(statement(to: ["mars", "ccamp"]))
        #expect(decision.to.map(\.address) == ["t-mars-chairs@example.test", "t-mars@example.test", "t-ops-ads@example.test", "t-ccamp@example.test"])
        #expect(decision.cc.map(\.address) == ["t-lm-itu@example.test"])
        #expect(Set(decision.allAddresses).count == decision.allAddresses.count)
    }

    @Test("Rules add groups and recipients when their conditions hold")
    func rules() {
        let rules = [
            RoutingRule(name: "itu-optical", fromOrganization: "ITU-T", titleContains: "something", addGroups: ["ccamp"]),
            RoutingRule(name: "bbf-only", fromOrganization: "Broadband Forum", addCc: [Contact(address: "t-never@example.test")]),
            RoutingRule(name: "actions", purpose: .action, addCc: [Contact(address: "t-tracker@example.test")]),
        ]
        let decision = Router(directory: testDirectory, rules: rules, liaisonManager: manager).route(statement(to: ["mars"]))
        #expect(decision.groups == ["mars", "ccamp"])
        #expect(decision.allAddresses.contains("t-ccamp-chairs@example.test"))
        #expect(decision.allAddresses.contains("t-tracker@example.test"))
        #expect(!decision.allAddresses.contains("t-never@example.test"))
        #expect(decision.reasons.contains("group ccamp added by rule itu-optical"))
    }

    @Test("Nothing known addressed: the liaison manager, for triage", arguments: [[], ["unknown-wg"]])
    func unroutable(groups: [String]) {
        let decision = Router(directory: testDirectory, rules: [], liaisonManager: manager).route(statement(to: groups))
        #expect(decision.isTriage)
        #expect(decision.to == [manager])
        #expect(decision.cc.isEmpty)
    }
}
