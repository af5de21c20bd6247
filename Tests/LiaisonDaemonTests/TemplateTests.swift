import Foundation
import LiaisonCore
import LiaisonTemplates
import MIME
import Testing

/// The real templates of `templates/`, rendered through the real library and mail factory.
@Suite("Templates")
struct TemplateTests {
    static let folder = PipelineTests.repository.appendingPathComponent("templates").path
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let settings = IntakeSettings(
        serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"),
        liaisonManager: Contact(address: "t-lm@example.test"),
        instanceID: "liaison-test")

    static func directory(organization: String) -> Directory {
        Directory(
            areas: [Area(acronym: "ops", name: "Operations", directors: [Contact(address: "t-ops-ads@example.test")])],
            groups: [
                Group(
                    acronym: "mars", name: "Management of Access and Residential Systems", area: "ops",
                    list: Contact(address: "t-mars@example.test"), chairs: Contact(address: "t-mars-chairs@example.test"))
            ],
            organizations: [
                Organization(
                    name: organization, aliases: ["\(organization) SG15"], liaisonManagers: [Contact(address: "t-lm-org@example.test")])
            ])
    }

    /// A statement from `organization` SG15 (Q14/15) to MARS, for action by 2027-01-15.
    func sample(organization: String = "ITU-T", state: StatementState = .routed) -> RecordedStatement {
        var statement = Statement(layout: .subjectLine)
        statement.title = "LS on management of 400G interfaces"
        statement.fromOrganization = "\(organization) SG15"
        statement.fromGroups = ["Q14/15"]
        statement.toGroups = ["mars"]
        statement.toContacts = [Contact(address: "t-mars-chairs@example.test")]
        statement.responseContacts = [Contact(address: "t-rapporteur@example.test")]
        statement.purpose = .action
        statement.deadline = CalendarDate(year: 2027, month: 1, day: 15)
        statement.identifiers = ["SG15-LS54"]
        if state == .needsTriage { statement.missing = [.purpose] }
        return RecordedStatement(
            reference: StatementReference(year: 2026, number: 7), statement: statement, state: state,
            routing: RoutingDecision(
                to: [Contact(address: "t-mars-chairs@example.test"), Contact(address: "t-mars@example.test")],
                cc: [Contact(address: "t-ops-ads@example.test")], groups: ["mars"], lead: "mars"),
            recordedAt: now, messageID: "ls54@example.test", sender: Contact(address: "t-rapporteur@example.test"))
    }

    static let original = MIMEMessage(
        bytes: Array("From: t-rapporteur@example.test\r\nSubject: LS on management of 400G interfaces\r\nMessage-ID: <ls54@example.test>\r\n\r\nText.\r\n".utf8))

    /// The mail `template` makes for the sample statement, through the factory.
    func mail(_ template: String, organization: String = "ITU-T", library: TemplateLibrary) throws -> OutgoingMessage {
        let directory = Self.directory(organization: organization)
        let factory = OutgoingMailFactory(settings: settings, templates: library)
        let record = sample(organization: organization, state: template == "triage" ? .needsTriage : .routed)
        switch template {
        case "acknowledgement":
            return try factory.acknowledgement(
                record, original: Self.original, recipient: MailAddress(address: "t-rapporteur@example.test"), directory: directory, now: now)
        case "forward", "triage":
            return try factory.forward(record, original: Self.original, directory: directory, now: now)
        case "closed":
            return try factory.closedNotice(record, reason: "action taken, said by t-mars-chairs@example.test", directory: directory, now: now)
        default:
            let kinds: [String: ReminderKind] = [
                "reminder": .before(days: 4), "reminder-before": .before(days: 7), "reminder-deadline": .before(days: 0),
                "reminder-overdue": .overdue(days: 3),
            ]
            let kind = try #require(kinds[template], "no sample for \(template)")
            let open = OpenStatement(reference: record.reference, statement: record.statement, routing: record.routing)
            let offset: Int
            switch kind {
            case .before(let days): offset = days
            case .overdue(let days): offset = -days
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = settings.timeZone
            let day = try #require(CalendarDate(year: 2027, month: 1, day: 15)?.adding(days: -offset))
            let noon = try #require(calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)))
            let planner = ReminderPlanner(
                schedule: ReminderSchedule(daysBefore: [max(offset, 0)], overdueDays: max(-offset, 1)), timeZone: settings.timeZone,
                directory: directory)
            let planned = try #require(planner.due([open], at: noon).first)
            return try factory.reminder(planned, for: open, directory: directory, now: now, template: template)
        }
    }

    @Test("templates/ holds every required template, every fallback's target, and validates")
    func requiredAndFallbacks() throws {
        let library = try TemplateLibrary(directory: Self.folder)
        try library.checkRequired()
        for name in OutgoingMailFactory.statementTemplates { #expect(library.contains(name), "\(name).mustache") }
        for (name, fallback) in OutgoingMailFactory.templateFallbacks {
            #expect(TemplateLibrary.requiredNames.contains(fallback), "\(name) falls back to \(fallback), which must be required")
        }
        #expect(library.overrides["itu-t"] == ["acknowledgement"])
    }

    @Test(
        "Every mail about a statement names the From and To groups, the purpose, the deadline and the reference",
        arguments: OutgoingMailFactory.statementTemplates, ["ITU-T", "Broadband Forum"])
    func namesEverything(template: String, organization: String) throws {
        let library = try TemplateLibrary(directory: Self.folder)
        let message = MIMEMessage(bytes: try mail(template, organization: organization, library: library).raw)
        let body = try #require(message.textBody())
        for needed in ["LS-2026-0007", organization, "Q14/15", "MARS (Management of Access and Residential Systems)", "For action", "2027-01-15"] {
            #expect(body.contains(needed), "\(template) for \(organization) does not name \(needed)")
        }
        #expect(!body.contains("{{"), "no unrendered tags")
        #expect(message.subject?.hasPrefix("[LS-2026-0007] ") == true)
        #expect(message.header["X-Liaison-Reference"] == "LS-2026-0007")
        #expect(message.header["Auto-Submitted"] == (template == "acknowledgement" ? "auto-replied" : "auto-generated"))
    }

    @Test("Each template says what its mail is for")
    func purposeOfEachMail() throws {
        let library = try TemplateLibrary(directory: Self.folder)
        let expected = [
            "acknowledgement": "Thank you for your liaison statement",
            "forward": "A liaison statement was received and recorded as LS-2026-0007",
            "triage": "needs triage by the liaison manager",
            "reminder-before": "Deadline in one week: a reply to this liaison statement is expected by 2027-01-15, in 7 day(s)",
            "reminder-deadline": "The deadline of this liaison statement is today, 2027-01-15",
            "reminder-overdue": "OUT OF DATE: the deadline of this liaison statement passed 3 day(s) ago (2027-01-15)",
            "reminder": "Deadline in four days: a reply to this liaison statement is expected by 2027-01-15",
            "closed": "The liaison statement LS-2026-0007 is closed",
        ]
        for (template, phrase) in expected {
            let body = MIMEMessage(bytes: try mail(template, organization: "Broadband Forum", library: library).raw).textBody() ?? ""
            #expect(body.contains(phrase), "\(template): \(body)")
        }
        let triage = MIMEMessage(bytes: try mail("triage", library: library).raw).textBody() ?? ""
        #expect(triage.contains("the purpose could not be found"), "the triage notice says why")
        #expect(triage.contains("liaison close LS-2026-0007 --taken"), "and what to do")
        let closed = MIMEMessage(bytes: try mail("closed", library: library).raw).textBody() ?? ""
        #expect(closed.contains("Why:       action taken, said by t-mars-chairs@example.test"))
    }

    @Test("ITU-T statements are acknowledged with templates/organizations/itu-t/acknowledgement.mustache, others with the default")
    func shippedOverride() throws {
        let library = try TemplateLibrary(directory: Self.folder)
        #expect(library.file(for: "acknowledgement", organization: "ITU-T") == "organizations/itu-t/acknowledgement.mustache")
        #expect(library.file(for: "acknowledgement", organization: "Broadband Forum") == "acknowledgement.mustache")
        #expect(library.file(for: "forward", organization: "ITU-T") == "forward.mustache")
        let itu = MIMEMessage(bytes: try mail("acknowledgement", organization: "ITU-T", library: library).raw).textBody() ?? ""
        #expect(itu.contains("Thank you for your liaison statement to the IETF."))
        #expect(itu.contains("Your references: SG15-LS54"))
        let other = MIMEMessage(bytes: try mail("acknowledgement", organization: "Broadband Forum", library: library).raw).textBody() ?? ""
        #expect(!other.contains("to the IETF."))
    }
}

/// Per-organization templates in a scratch folder: chosen by organization, validated at load.
@Suite("Template overrides")
struct TemplateOverrideTests {
    /// A template folder with `files` (relative path → text); removed by the caller.
    func folder(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-templates-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root.path
    }

    @Test("Slugs: lower case, runs of other characters become one dash", arguments: [
        ("ITU-T", "itu-t"), ("Broadband Forum", "broadband-forum"), ("3GPP", "3gpp"), ("IEEE 802.1", "ieee-802-1"), (" ETSI ", "etsi"),
    ])
    func slugs(name: String, slug: String) {
        #expect(TemplateLibrary.slug(name) == slug)
    }

    @Test("An organization's template is used for it, the default for everyone else")
    func chosenByOrganization() throws {
        let path = try folder([
            "acknowledgement.mustache": "default {{reference}}",
            "forward.mustache": "forward {{reference}}",
            "organizations/broadband-forum/acknowledgement.mustache": "BBF {{reference}}",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let library = try TemplateLibrary(directory: path)
        let context = TemplateValue.object(["reference": .string("LS-2026-0007")])
        #expect(try library.render("acknowledgement", organization: "Broadband Forum", context: context) == "BBF LS-2026-0007")
        #expect(try library.render("acknowledgement", organization: "ITU-T", context: context) == "default LS-2026-0007")
        #expect(try library.render("acknowledgement", organization: nil, context: context) == "default LS-2026-0007")
        #expect(try library.render("forward", organization: "Broadband Forum", context: context) == "forward LS-2026-0007")
        #expect(library.overrides == ["broadband-forum": ["acknowledgement"]])
        #expect(library.names == ["acknowledgement", "forward"], "overrides are not default templates")
    }

    @Test("A syntax error in an organization's template names its file")
    func syntaxErrorNamesFile() throws {
        let path = try folder([
            "acknowledgement.mustache": "fine",
            "organizations/itu-t/acknowledgement.mustache": "{{#open}} never closed",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try TemplateLibrary(directory: path)
        } throws: { error in
            guard case TemplateError.syntax(let file, _) = error else { return false }
            return file.hasSuffix("organizations/itu-t/acknowledgement.mustache")
        }
    }

    @Test("An organization's template without a default of the same name is refused (a misspelt name)")
    func overrideWithoutDefault() throws {
        let path = try folder([
            "acknowledgement.mustache": "fine",
            "organizations/itu-t/acknowledgment.mustache": "typo",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try TemplateLibrary(directory: path)
        } throws: { error in
            guard case TemplateError.overrideWithoutDefault(let file, "acknowledgment") = error else { return false }
            return file.hasSuffix("organizations/itu-t/acknowledgment.mustache") && "\(error)".contains("does not exist")
        }
    }

    @Test("A folder not named by a slug is refused, with the slug to use")
    func folderMustBeSlug() throws {
        let path = try folder([
            "acknowledgement.mustache": "fine",
            "organizations/ITU-T/acknowledgement.mustache": "override",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try TemplateLibrary(directory: path)
        } throws: { error in
            guard case TemplateError.badOrganizationFolder(let folder, "itu-t") = error else { return false }
            return folder.hasSuffix("organizations/ITU-T")
        }
    }
}
