import LiaisonCore
import MIME
import Testing

@Suite("Statement extraction")
struct ExtractionTests {
    let extractor = StatementExtractor(directory: testDirectory)

    @Test("Datatracker notification: every field, with its source line")
    func datatrackerLayout() throws {
        let statement = extractor.extract(from: MIMEMessage(bytes: try fixture("1-datatracker.eml")))
        #expect(statement.layout == .datatracker)
        #expect(statement.title == "LS on YANG models for access network management")
        #expect(statement.submissionDate == CalendarDate(year: 2026, month: 11, day: 20))
        #expect(statement.fromOrganization == "Broadband Forum")
        #expect(statement.fromContacts.map(\.address) == ["t-alice@example.test"])
        #expect(statement.toGroups == ["mars"])
        #expect(statement.toContacts.map(\.address) == ["t-mars-chairs@example.test"])
        #expect(statement.ccContacts.map(\.address) == ["t-ops-ads@example.test"])
        #expect(statement.responseContacts.map(\.address) == ["t-alice@example.test"])
        #expect(statement.technicalContacts == [Contact(name: "Björn Engineer", address: "t-bjorn@example.test")])
        #expect(statement.purpose == .action)
        #expect(statement.deadline == CalendarDate(year: 2027, month: 1, day: 15))
        #expect(statement.identifiers == ["LIAISE-420"])
        #expect(statement.body.hasPrefix("The Broadband Forum has started work"))
        #expect(statement.attachments.count == 1)
        #expect(statement.attachments.first?.filename == "statement.docx")
        #expect(statement.attachments.first?.size == 1134)
        #expect(statement.missing.isEmpty)
        #expect(statement.sources[.title]?.location == "line 1")
        #expect(statement.sources[.purpose]?.origin == .body)
    }

    @Test("Plain \"LS on …\" mail from a peer domain")
    func subjectLineLayout() throws {
        let statement = extractor.extract(from: MIMEMessage(bytes: try fixture("2-itu-plain.eml")))
        #expect(statement.layout == .subjectLine)
        #expect(statement.title == "LS on management of 400G optical transport interfaces")
        #expect(statement.sources[.title]?.origin == .header)
        #expect(statement.fromOrganization == "ITU-T")
        #expect(statement.toGroups == ["ccamp"])
        #expect(statement.purpose == .action)
        #expect(statement.deadline == CalendarDate(year: 2027, month: 1, day: 15))
        #expect(statement.identifiers == ["SG15-LS54"])
        #expect(statement.missing.isEmpty)
    }

    @Test("A mail with no usable fields lists what is missing")
    func noFields() throws {
        let statement = extractor.extract(from: MIMEMessage(bytes: try fixture("3-no-fields.eml")))
        #expect(statement.layout == .unrecognised)
        #expect(statement.needsTriage)
        #expect(statement.missing == [.title, .to, .purpose])
    }

    @Test(
        "Subjects that name a statement give its title",
        arguments: [
            ("LS on 400G interfaces", "LS on 400G interfaces"),
            ("Re: [mars] LS on YANG", "LS on YANG"),
            ("New Liaison Statement, \"LS on the consent of Q.3962\"", "LS on the consent of Q.3962"),
            ("Liaison statement: Work on network slicing", "Work on network slicing"),
            ("Reply LS on time-sensitive networking", "Reply LS on time-sensitive networking"),
        ])
    func titles(subject: String, title: String) {
        #expect(StatementExtractor.title(fromSubject: subject) == title)
    }

    @Test("Subjects that are not statements give no title", arguments: ["Lunch on Friday", "Nightly report", "LSD", ""])
    func notTitles(subject: String) {
        #expect(StatementExtractor.title(fromSubject: subject) == nil)
    }

    @Test("A for-action statement without a deadline needs triage")
    func actionWithoutDeadline() {
        let raw = Array(
            "From: Jane <jane@itu.int>\r\nSubject: LS on timing\r\n\r\nTo: IETF MARS WG\r\nFor action, please.\r\n".utf8)
        let statement = extractor.extract(from: MIMEMessage(bytes: raw))
        #expect(statement.purpose == .action)
        #expect(statement.toGroups == ["mars"])
        #expect(statement.missing == [.deadline])
    }
}

@Suite("Dates and identifiers")
struct DateTextTests {
    @Test(
        "Date forms seen in statements",
        arguments: [
            ("Please reply by 2027-01-15", 2027, 1, 15),
            ("Deadline: 15 January 2027", 2027, 1, 15),
            ("by January 15, 2027 at the latest", 2027, 1, 15),
            ("Deadline: 15.01.2027", 2027, 1, 15),
            ("reply by 05/01/2027", 2027, 1, 5),
            ("3rd March 2027", 2027, 3, 3),
            ("29 Feb. 2028", 2028, 2, 29),
        ])
    func dayFirstDates(text: String, year: Int, month: Int, day: Int) {
        #expect(DateText().firstDate(in: text) == CalendarDate(year: year, month: month, day: day))
    }

    @Test("Month-first when configured")
    func monthFirst() {
        #expect(DateText(dayFirst: false).firstDate(in: "05/01/2027") == CalendarDate(year: 2027, month: 5, day: 1))
    }

    @Test("Impossible dates are not dates", arguments: ["31 February 2027", "2027-13-01", "32.01.2027", "no date here"])
    func impossible(text: String) {
        #expect(DateText().firstDate(in: text) == nil)
    }

    @Test("Identifiers of other bodies")
    func identifiers() {
        let text = "See S2-2401234 and SP-150829, C4-185491-LSOUT; ITU-T SG15-LS54 and LIAISE-420-02. Not A1-12 nor 2024-01-01."
        #expect(Identifiers.find(in: text) == ["S2-2401234", "SP-150829", "C4-185491", "SG15-LS54", "LIAISE-420-02"])
    }

    @Test("Reference numbers round-trip")
    func references() {
        let reference = StatementReference(prefix: "LS", year: 2026, number: 7)
        #expect(reference.description == "LS-2026-0007")
        #expect(StatementReference("LS-2026-0007") == reference)
        #expect(StatementReference("LS-2026-12345")?.number == 12345)
        #expect(StatementReference("LS-26-0007") == nil)
        #expect(StatementReference("LS-2026-0000") == nil)
    }
}
