import Foundation
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

@Suite("Deadlines in every form")
struct DeadlineTests {
    @Test(
        "Deadline phrases give a day and a confidence",
        arguments: [
            ("2027-01-15", "2027-01-15", 0.9), ("15 January 2027", "2027-01-15", 0.9), ("January 15, 2027", "2027-01-15", 0.9),
            ("15.01.2027", "2027-01-15", 0.9), ("15/01/2027", "2027-01-15", 0.9), ("the end of March 2027", "2027-03-31", 0.8),
            ("end of February 2028.", "2028-02-29", 0.8), ("mid-May 2027", "2027-05-15", 0.5), ("mid May 2027", "2027-05-15", 0.5),
            ("the middle of June 2027", "2027-06-15", 0.5), ("March 2027", "2027-03-31", 0.6),
        ])
    func phrases(text: String, iso: String, confidence: Double) {
        #expect(DateText().deadline(in: text) == .date(CalendarDate(iso: iso)!, confidence: confidence))
    }

    @Test("A phrase without a day is no date", arguments: ["before the next SG15 meeting in Geneva", "as soon as possible"])
    func undated(text: String) {
        #expect(DateText().deadline(in: text) == .notADate(text))
        #expect(DateText().deadline(in: "  ") == nil)
    }

    @Test("Meeting ranges give their first day", arguments: ["CT4#86 20th – 24th Aug 2018 West Palm Beach", "20-24 August 2018", "20 to 24 August 2018"])
    func ranges(text: String) {
        #expect(DateText().firstDate(in: text) == CalendarDate(year: 2018, month: 8, day: 20))
    }

    @Test("A day without a year is in the mail's year, or the next once it has passed")
    func yearless() {
        let sent = CalendarDate(year: 2026, month: 11, day: 20)
        #expect(DateText().deadline(in: "15 January", after: sent) == .date(CalendarDate(year: 2027, month: 1, day: 15)!, confidence: 0.7))
        #expect(DateText().deadline(in: "December 1st", after: sent) == .date(CalendarDate(year: 2026, month: 12, day: 1)!, confidence: 0.7))
        #expect(DateText().deadline(in: "15 January") == .notADate("15 January"))
    }

    @Test("Month-first slashes when configured")
    func monthFirst() {
        #expect(DateText(dayFirst: false).deadline(in: "01/15/2027") == .date(CalendarDate(year: 2027, month: 1, day: 15)!, confidence: 0.9))
    }
}

@Suite("Layouts, triage reasons and replies")
struct ExtractionLayoutTests {
    let extractor = StatementExtractor(directory: testDirectory)

    func extract(_ text: String) -> Statement {
        extractor.extract(from: MIMEMessage(bytes: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)))
    }

    @Test("'Please reply by the end of March 2027' is the last day of March, read from its line")
    func endOfMonth() {
        let statement = extract("From: Jane <jane@itu.int>\nSubject: LS on timing\n\nTo: IETF MARS WG\nFor action.\nPlease reply by the end of March 2027.\n")
        #expect(statement.deadline == CalendarDate(year: 2027, month: 3, day: 31))
        #expect(statement.sources[.deadline] == FieldSource(origin: .body, location: "line 3", confidence: 0.8))
        #expect(statement.missing.isEmpty)
    }

    @Test("'Please reply by 15 January' in a mail of November 2026 is 2027-01-15, less sure")
    func yearlessInMail() {
        let statement = extract(
            "From: Jane <jane@itu.int>\nDate: Fri, 20 Nov 2026 10:00:00 +0100\nSubject: LS on timing\n\nTo: IETF MARS WG\nFor action.\nPlease reply by 15 January.\n")
        #expect(statement.deadline == CalendarDate(year: 2027, month: 1, day: 15))
        #expect(statement.sources[.deadline]?.confidence == 0.7)
    }

    @Test("Fields are read from the first 64 KiB of a text; the body is kept whole")
    func scanLimit() {
        let filler = String(repeating: "Background text of the statement.\n", count: 3000)
        let statement = extract("From: Jane <jane@itu.int>\nSubject: LS on timing\n\nTo: IETF MARS WG\nFor action.\n\(filler)Deadline: 2027-01-15\n")
        #expect(statement.deadline == nil)
        #expect(statement.toGroups == ["mars"])
        #expect(statement.body.hasSuffix("Deadline: 2027-01-15"))
    }

    @Test("A deadline that is no date: needs-triage with the words quoted")
    func meetingDeadline() {
        let statement = extract(
            "From: Jane <jane@itu.int>\nSubject: LS on timing\n\nTo: IETF MARS WG\nFor action.\nDeadline: before the next SG15 meeting\n")
        #expect(statement.needsTriage)
        #expect(statement.missing == [.deadline])
        #expect(statement.triageReasons.map(\.description) == ["deadline: 'before the next SG15 meeting' is not a date"])
    }

    @Test("Every missing field has a reason")
    func reasons() {
        let statement = extract("From: Robot <robot@example.test>\nSubject: Hello\n\nNothing here.\n")
        #expect(statement.missing == [.title, .to, .purpose])
        #expect(statement.triageReasons.map(\.field) == [.title, .to, .purpose])
        #expect(statement.triageReasons.allSatisfy { !$0.reason.isEmpty })
    }

    @Test("ITU-T header: for-action groups are the action holders, for-information groups are addressed too")
    func ituHeader() {
        let statement = extract(
            """
            From: Rapporteur <q14@itu.int>
            Subject: LS on OTN

            Question(s): 14/15
            Study Group: 15
            Source: ITU-T Study Group 15
            Title: LS on OTN management
            For action to: IETF CCAMP WG
            For information to: MARS
            Deadline: 15 January 2027
            Contact: Q14/15 Rapporteur <q14@itu.int>
            """)
        #expect(statement.layout == .ituT)
        #expect(statement.title == "LS on OTN management")
        #expect(statement.toGroups == ["ccamp", "mars"])
        #expect(statement.actionHolders == ["ccamp"])
        #expect(statement.purpose == .action)
        #expect(statement.fromOrganization == "ITU-T")
        #expect(statement.fromGroups == ["ITU-T Study Group 15"])
        #expect(statement.technicalContacts.map(\.address) == ["q14@itu.int"])
        #expect(statement.sources[.to]?.location == "line 5")
    }

    @Test("3GPP template: ACTION lines name the action holders; Response to links the answered LS")
    func threeGPP() {
        let statement = extract(
            """
            From: CT4 <ct4@3gpp.org>
            Subject: Reply LS on OTN timing

            Title: Reply LS on OTN timing
            Response to: LS (S2-2401234) on OTN timing
            Source: CT4
            To: IETF MARS, IETF CCAMP
            Contact Person:
               Name: CT4 Rapporteur
               E-mail Address: ct4@3gpp.org
            Send any reply LS to: 3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org
            1. Overall Description:
            Text.
            2. Actions:
            To IETF CCAMP group.
            ACTION: CT4 asks CCAMP to review.
            3. Date of Next TSG-CT4 Meetings:
            CT4#107  17th - 21st January 2022  Online
            """)
        #expect(statement.layout == .threeGPP)
        #expect(statement.actionHolders == ["ccamp"])
        #expect(statement.purpose == .action)
        #expect(statement.deadline == CalendarDate(year: 2022, month: 1, day: 17))
        #expect(statement.sources[.deadline]?.confidence == 0.5)
        #expect(statement.responseContacts == [Contact(name: "3GPP Liaisons Coordinator", address: "3GPPLiaison@etsi.org")])
        #expect(statement.technicalContacts == [Contact(name: "CT4 Rapporteur", address: "ct4@3gpp.org")])
        #expect(statement.inResponseTo.contains(ResponseReference(kind: .identifier, value: "S2-2401234")))
        #expect(statement.inResponseTo.contains(ResponseReference(kind: .title, value: "LS on OTN timing")))
        #expect(!statement.identifiers.contains("S2-2401234"))
        #expect(statement.fromOrganization == nil || statement.fromGroups == ["CT4"])
    }

    @Test("A reply subject and References give in-response-to clues")
    func reply() {
        let statement = extract(
            "From: Jane <jane@itu.int>\nTo: t-mars@example.test\nSubject: Re: Reply LS on OTN timing\nIn-Reply-To: <a@b>\nReferences: <a@b>\n\nIn response to your LS SG15-LS54, thanks.\n")
        #expect(statement.purpose == .response)
        #expect(statement.inResponseTo == [
            ResponseReference(kind: .identifier, value: "SG15-LS54"), ResponseReference(kind: .title, value: "LS on OTN timing"),
            ResponseReference(kind: .messageID, value: "a@b"),
        ])
        #expect(statement.identifiers.isEmpty)
    }
}

@Suite("Stored statements")
struct StatementCodingTests {
    @Test("A statement recorded before action holders, replies and triage reasons existed still decodes")
    func oldShape() throws {
        let old = """
            {"title":"LS on YANG","fromOrganization":"ITU-T","fromGroups":["ITU-T SG15"],"fromContacts":[{"address":"a@itu.int"}],
             "toGroups":["mars"],"toContacts":[],"ccContacts":[],"responseContacts":[],"technicalContacts":[],
             "purpose":"action","deadline":"2027-01-15","identifiers":["SG15-LS54"],"body":"Text",
             "attachments":[{"filename":"a.docx","contentType":"application/zip","size":3,"sha256":"ab"}],
             "sources":["title",{"origin":"header","location":"Subject","confidence":0.9}],
             "missing":[],"layout":"subject-line"}
            """
        let statement = try JSONDecoder().decode(Statement.self, from: Data(old.utf8))
        #expect(statement.title == "LS on YANG")
        #expect(statement.deadline == CalendarDate(year: 2027, month: 1, day: 15))
        #expect(statement.actionHolders.isEmpty)
        #expect(statement.inResponseTo.isEmpty)
        #expect(statement.triageReasons.isEmpty)
        #expect(statement.attachments.first?.read == false)
        #expect(statement.attachments.first?.unreadReason == nil)
        #expect(statement.sources[.title]?.location == "Subject")
        #expect(statement.layout == .subjectLine)
    }

    @Test("New fields survive a round trip; an unknown layout decodes as unrecognised")
    func roundTrip() throws {
        var statement = Statement(layout: .threeGPP)
        statement.actionHolders = ["ccamp"]
        statement.inResponseTo = [ResponseReference(kind: .identifier, value: "S2-2401234")]
        statement.triageReasons = [TriageReason(field: .deadline, reason: "none")]
        statement.missing = [.deadline]
        statement.attachments = [AttachmentSummary(filename: "a.zip", contentType: "application/zip", size: 1, sha256: "00", read: false, unreadReason: "bomb")]
        let data = try JSONEncoder().encode(statement)
        #expect(try JSONDecoder().decode(Statement.self, from: data) == statement)
        let future = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"3gpp\"", with: "\"etsi\"")
        #expect(try JSONDecoder().decode(Statement.self, from: Data(future.utf8)).layout == .unrecognised)
    }
}

@Suite("More identifiers")
struct IdentifierTests {
    @Test("ITU-T TD numbers and study-period LS numbers")
    func itu() {
        #expect(Identifiers.find(in: "See TD 456 (GEN/11) and TD12R1 (PLEN/15); also sp16-sg17-oLS-00068.") == [
            "TD 456 (GEN/11)", "TD12R1 (PLEN/15)", "sp16-sg17-oLS-00068",
        ])
    }
}
