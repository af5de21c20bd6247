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
        #expect(decision.reasons.contains("group ccamp: added by rule itu-optical"))
    }

    @Test("Nothing known addressed: the liaison manager, for triage", arguments: [[], ["unknown-wg"]])
    func unroutable(groups: [String]) {
        let decision = Router(directory: testDirectory, rules: [], liaisonManager: manager).route(statement(to: groups))
        #expect(decision.isTriage)
        #expect(decision.to == [manager])
        #expect(decision.cc.map(\.address) == ["t-lm-itu@example.test"], "the sender's liaison manager is always copied")
    }
}

@Suite("Routing: bodies, archive, leads and rules")
struct RoutingRuleTests {
    let manager = Contact(address: "t-lm@example.test")

    var directory: Directory {
        var directory = testDirectory
        directory.groups["iab"] = Group(
            acronym: "iab", name: "The IAB",
            liaisonContacts: [Contact(address: "iab-chair@iab.org"), Contact(address: "execd@iab.org")],
            liaisonCCContacts: [Contact(address: "iab@iab.org")])
        directory.areas["rtg"]?.cc = [Contact(name: "The IETF Chair", address: "chair@ietf.org")]
        directory.archive = [Contact(address: "statements-archive@ietf.org")]
        return directory
    }

    func statement(to groups: [String], copying copied: [String] = [], title: String = "LS on something") -> Statement {
        var statement = Statement(layout: .subjectLine)
        statement.title = title
        statement.toGroups = groups
        statement.ccContacts = copied.map { Contact(address: $0) }
        statement.fromOrganization = "ITU-T"
        statement.purpose = .action
        statement.identifiers = ["SG15-LS54"]
        statement.body = "Please review the 400G model."
        return statement
    }

    @Test("A body such as the IAB gets its fixed contacts; the archive is blind-copied")
    func bodyAndArchive() {
        let decision = Router(directory: directory, rules: [], liaisonManager: manager).route(statement(to: ["iab"]))
        #expect(decision.to.map(\.address) == ["iab-chair@iab.org", "execd@iab.org"])
        #expect(decision.cc.map(\.address) == ["iab@iab.org", "t-lm-itu@example.test"])
        #expect(decision.bcc.map(\.address) == ["statements-archive@ietf.org"])
        #expect(decision.envelopeAddresses.last == "statements-archive@ietf.org")
        #expect(!decision.allAddresses.contains("statements-archive@ietf.org"), "blind copies stay out of the headers")
    }

    @Test("Area directors the sender did not copy are added, and the decision notes it")
    func directorsAdded() {
        let router = Router(directory: directory, rules: [], liaisonManager: manager)
        let uncopied = router.route(statement(to: ["mars"]))
        #expect(uncopied.cc.map(\.address).contains("t-ops-ads@example.test"))
        #expect(uncopied.notes == ["area directors of ops added for mars: the statement did not copy t-ops-ads@example.test"])
        let copied = router.route(statement(to: ["mars"], copying: ["t-ops-ads@example.test"]))
        #expect(copied.notes.isEmpty)
    }

    @Test("An area statement copies the area's list (the IETF Chair)")
    func area() {
        let decision = Router(directory: directory, rules: [], liaisonManager: manager).route(statement(to: ["rtg"]))
        #expect(decision.to.map(\.address) == ["t-rtg-ads@example.test"])
        #expect(decision.cc.map(\.address).first == "chair@ietf.org")
    }

    @Test("Several groups each get the statement; the first is lead unless a rule names another")
    func lead() throws {
        let plain = Router(directory: directory, rules: [], liaisonManager: manager).route(statement(to: ["mars", "ccamp"]))
        #expect(plain.groups == ["mars", "ccamp"])
        #expect(plain.lead == "mars")
        #expect(plain.allAddresses.contains("t-ccamp-chairs@example.test"))
        let rule = RoutingRule(name: "optical-lead", origin: "rules.yaml:3", body: try RoutingPattern("400G"), lead: "ccamp")
        let led = Router(directory: directory, rules: [rule], liaisonManager: manager).route(statement(to: ["mars", "ccamp"]))
        #expect(led.lead == "ccamp")
        #expect(led.groups == ["ccamp", "mars"])
        #expect(led.reasons.contains("lead group: ccamp (rule optical-lead (rules.yaml:3))"))
    }

    @Test("Rules match identifiers, subjects, bodies and intake addresses by expression")
    func patterns() throws {
        let tracker = Contact(address: "t-tracker@example.test")
        let rules = [
            RoutingRule(name: "itu-ls", origin: "r.yaml:1", identifier: try RoutingPattern("^SG\\d+-LS"), addCc: [tracker]),
            RoutingRule(name: "never", origin: "r.yaml:5", subject: try RoutingPattern("^urgent"), addCc: [Contact(address: "t-never@example.test")]),
            RoutingRule(name: "tsv", origin: "r.yaml:9", intakeAddress: "statements+tsv@ietf.org", addGroups: ["ccamp"]),
        ]
        let router = Router(directory: directory, rules: rules, liaisonManager: manager)
        let context = RoutingContext(intakeAddresses: ["Statements+TSV@ietf.org"], subject: "LS on timing")
        let decision = router.route(statement(to: ["mars"]), context: context)
        #expect(decision.cc.contains(tracker))
        #expect(decision.reasons.contains("t-tracker@example.test: rule itu-ls (r.yaml:1)"))
        #expect(!decision.allAddresses.contains("t-never@example.test"))
        #expect(decision.groups == ["mars", "ccamp"])
    }

    @Test("A plus address naming a group addresses that group")
    func plusAddress() {
        let context = RoutingContext(intakeAddresses: ["statements+ccamp@ietf.org"])
        let decision = Router(directory: directory, rules: [], liaisonManager: manager).route(statement(to: []), context: context)
        #expect(decision.groups == ["ccamp"])
        #expect(!decision.isTriage)
        #expect(decision.reasons.contains("group ccamp: plus address statements+ccamp@ietf.org"))
    }

    @Test("Replace drops the defaults; triage sends to the liaison manager; stop ends the rules")
    func actions() {
        let replace = RoutingRule(name: "only-secretary", addTo: [Contact(address: "t-secretary@example.test")], replaceRecipients: true, stop: true)
        let unreached = RoutingRule(name: "unreached", addCc: [Contact(address: "t-never@example.test")])
        let replaced = Router(directory: directory, rules: [replace, unreached], liaisonManager: manager).route(statement(to: ["mars"]))
        #expect(replaced.to.map(\.address) == ["t-secretary@example.test"])
        #expect(!replaced.allAddresses.contains("t-mars@example.test"))
        #expect(!replaced.allAddresses.contains("t-never@example.test"))

        let triage = RoutingRule(name: "hold", titleContains: "embargoed", triage: true)
        let held = Router(directory: directory, rules: [triage], liaisonManager: manager).route(statement(to: ["mars"], title: "LS on embargoed work"))
        #expect(held.isTriage)
        #expect(held.to == [manager])
        #expect(!held.allAddresses.contains("t-mars@example.test"), "a statement held for triage is not distributed")
    }
}
