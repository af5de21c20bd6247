import Foundation
import LiaisonCore
import MIME
import Testing

/// Outgoing statements: draft parsing, profile checks, approvers, the state machine, and the
/// processor's records for submissions and approval replies.
@Suite("Outgoing statements")
struct OutgoingStatementTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    static var directory: Directory {
        var directory = testDirectory
        directory.groups["ietf"] = Group(
            acronym: "ietf", name: "The IETF", liaisonContacts: [Contact(name: "The IETF Chair", address: "t-chair@example.test")])
        directory.groups["iab"] = Group(
            acronym: "iab", name: "The IAB", liaisonContacts: [Contact(address: "t-iab-chair@example.test")],
            liaisonCCContacts: [Contact(address: "t-iab@example.test")])
        directory.profiles = [
            PeerProfile(
                name: "ITU-T", liaisonAddress: Contact(name: "TSB", address: "tsbsg15@itu.int"),
                requiredFields: ["Question(s)", "Study Group", "For action to|For comment to|For information to", "Contact"],
                attachmentTypes: ["pdf", "doc", "docx"], titlePattern: "^(Reply )?LS on ", titleHint: "start with \"LS on\""),
            PeerProfile(name: "default", requiredFields: []),
        ]
        return directory
    }

    static var settings: IntakeSettings {
        var settings = testSettings
        settings.submissionAddress = Contact(name: "Liaison Submissions", address: "t-submit@example.test")
        return settings
    }

    static var processor: IntakeProcessor {
        IntakeProcessor(
            settings: settings, extractor: StatementExtractor(directory: directory),
            router: Router(directory: directory, rules: [], liaisonManager: settings.liaisonManager),
            mail: OutgoingMailFactory(settings: settings, templates: EchoTemplates()))
    }

    static let location = ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: 7)

    static func draftMail(from sender: String = "t-mars-chairs@example.test", fields: String, attachment: (String, String)? = nil) -> [UInt8] {
        var text = """
            From: MARS Chairs <\(sender)>\r
            To: Liaison Submissions <t-submit@example.test>\r
            Subject: Draft: LS on access node YANG models\r
            Message-ID: <draft-1@example.test>\r
            Date: Wed, 18 Nov 2026 10:00:00 +0000\r
            MIME-Version: 1.0\r

            """
        let body = fields.replacingOccurrences(of: "\n", with: "\r\n")
        if let (name, type) = attachment {
            text += """
                Content-Type: multipart/mixed; boundary="b"\r
                \r
                --b\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                \(body)\r
                --b\r
                Content-Type: \(type); name="\(name)"\r
                Content-Disposition: attachment; filename="\(name)"\r
                Content-Transfer-Encoding: base64\r
                \r
                SGVsbG8=\r
                --b--\r

                """
        } else {
            text += "Content-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n"
        }
        return Array(text.utf8)
    }

    static let complete = """
        Title: LS on access node YANG models
        From: IETF MARS WG
        To: ITU-T SG15 <rapporteur-q14@itu.int>
        Cc: Alice <alice@example.test>
        Response Contacts: MARS Chairs <t-mars-chairs@example.test>
        Technical Contacts: Bob <bob@example.test>
        Purpose: For action
        Deadline: 2027-03-01
        Question(s): 14/15
        Study Group: 15
        For action to: Q14/15
        Contact: Bob <bob@example.test>
        Body:
        The MARS WG asks SG15 to review its YANG models.
        """

    func draft(_ raw: [UInt8]) -> OutgoingDraft {
        Self.processor.draft(of: MIMEMessage(bytes: raw))
    }

    @Test("A draft in the Datatracker layout: fields, From group, To organization, the peer's own fields")
    func parsesDraft() {
        let draft = draft(Self.draftMail(fields: Self.complete))
        #expect(draft.title == "LS on access node YANG models")
        #expect(draft.fromGroups == ["mars"])
        #expect(draft.toOrganization == "ITU-T")
        #expect(draft.toContacts.map(\.address) == ["rapporteur-q14@itu.int"])
        #expect(draft.ccContacts.map(\.address) == ["alice@example.test"])
        #expect(draft.purpose == .action)
        #expect(draft.deadline == CalendarDate(year: 2027, month: 3, day: 1))
        #expect(draft.field("question(s)") == "14/15")
        #expect(draft.peerFields.map(\.label) == ["Question(s)", "Study Group", "For action to", "Contact"])
        #expect(draft.body == "The MARS WG asks SG15 to review its YANG models.")
        #expect(!draft.claimsPriorApproval)
        #expect(draft.submitter?.address == "t-mars-chairs@example.test")
    }

    @Test("A complete draft for ITU-T has no problems")
    func completeDraftPasses() {
        let (profile, problems) = Self.processor.check(draft(Self.draftMail(fields: Self.complete)), now: Self.now)
        #expect(profile.name == "ITU-T")
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("Every problem is listed: missing ITU-T fields, deadline for action, title convention")
    func listsProblems() {
        let fields = """
            Title: YANG models for access nodes
            From: IETF MARS WG
            To: ITU-T SG15 <rapporteur-q14@itu.int>
            Purpose: For action
            Study Group: 15
            Body:
            Please review.
            """
        let (_, problems) = Self.processor.check(draft(Self.draftMail(fields: fields)), now: Self.now)
        #expect(problems.count == 5, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("Title:") && $0.contains("start with \"LS on\"") })
        #expect(problems.contains { $0.hasPrefix("Deadline: required") })
        #expect(problems.contains { $0.hasPrefix("Question(s): missing") })
        #expect(problems.contains { $0.hasPrefix("For action to: missing") && $0.contains("\"For comment to:\"") })
        #expect(problems.contains { $0.hasPrefix("Contact: missing") })
        #expect(!problems.contains { $0.hasPrefix("Study Group") })
    }

    @Test("Attachments: a type the peer does not accept, and Word without a readable copy")
    func attachmentProblems() {
        let zip = Self.processor.check(draft(Self.draftMail(fields: Self.complete, attachment: ("models.zip", "application/zip"))), now: Self.now)
        #expect(zip.problems == ["Attachment models.zip: .zip is not accepted by ITU-T (accepted: .pdf, .doc, .docx)"])
        let word = Self.processor.check(
            draft(Self.draftMail(fields: Self.complete, attachment: ("ls.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
            now: Self.now)
        #expect(word.problems.count == 1)
        #expect(word.problems.first?.contains("needs a readable copy") == true)
        let pdf = Self.processor.check(draft(Self.draftMail(fields: Self.complete, attachment: ("ls.pdf", "application/pdf"))), now: Self.now)
        #expect(pdf.problems.isEmpty)
    }

    @Test("Unknown From group, unknown peer, no purpose, past deadline, no body")
    func basicProblems() {
        let fields = """
            Title: LS on something
            From: Some Group
            To: Nobody Known <x@nowhere.example>
            Deadline: 2020-01-01
            Body:
            """
        let (profile, problems) = Self.processor.check(draft(Self.draftMail(fields: fields)), now: Self.now)
        #expect(profile.name == "default")
        #expect(problems.contains { $0.hasPrefix("From: \"Some Group\" names no IETF") })
        #expect(problems.contains { $0.hasPrefix("To: \"Nobody Known") })
        #expect(problems.contains { $0.hasPrefix("Purpose: missing") })
        #expect(problems.contains { $0 == "Deadline: 2020-01-01 is already past" })
        #expect(problems.contains { $0.hasPrefix("Body: empty") })
    }

    @Test("Approvers: a WG's area directors, an area's directors, the IETF Chair, the IAB")
    func approvers() {
        let policy = ApprovalPolicy(directory: Self.directory)
        #expect(policy.approvers(for: ["mars"]).map(\.address) == ["t-ops-ads@example.test"])
        #expect(policy.approvers(for: ["rtg"]).map(\.address) == ["t-rtg-ads@example.test"])
        #expect(policy.approvers(for: ["ietf"]).map(\.address) == ["t-chair@example.test"])
        #expect(policy.approvers(for: ["iab"]).map(\.address) == ["t-iab-chair@example.test", "t-iab@example.test"])
        #expect(policy.approvers(for: []).isEmpty)
        #expect(policy.mayApprove("T-OPS-ADS@example.test", groups: ["mars"]))
        #expect(!policy.mayApprove("t-mars-chairs@example.test", groups: ["mars"]))
    }

    @Test("States: pending-approval → sent → replied; no approval after sending, no reply before")
    func stateMachine() {
        #expect(OutgoingState.pendingApproval.after(.approved) == .sent)
        #expect(OutgoingState.sent.after(.replied) == .replied)
        #expect(OutgoingState.sent.after(.approved) == nil)
        #expect(OutgoingState.pendingApproval.after(.replied) == nil)
        #expect(OutgoingState.replied.after(.closed) == nil)
        #expect(OutgoingState.pendingApproval.after(.closed) == .closed)
    }

    @Test("An approval reply: a line Approved counts, quoted text does not")
    func approvalLine() {
        func reply(_ body: String) -> ApprovalReply? {
            let raw = "From: t-ops-ads@example.test\r\nTo: t-submit@example.test\r\nSubject: Re: [LS-2026-0003] Approval needed: LS on x\r\n\r\n\(body)\r\n"
            return ApprovalReply.parse(MIMEMessage(bytes: Array(raw.utf8)), prefix: "LS")
        }
        #expect(reply("Approved.")?.approved == true)
        #expect(reply("Approved.")?.reference == StatementReference(prefix: "LS", year: 2026, number: 3))
        #expect(reply("Looks fine.\r\n> Approved")?.approved == false)
        #expect(reply("Not approved yet")?.approved == false)
    }

    @Test("Mail to the submission address is a draft; the same mail to the intake address is a statement")
    func triage() {
        let raw = Self.draftMail(fields: Self.complete)
        guard case .submission(_, .draft(let draft)) = Self.processor.triage(raw) else {
            Issue.record("not handled as a submission")
            return
        }
        #expect(draft.title == "LS on access node YANG models")
        let intake = Array(String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "t-submit@", with: "t-intake@").utf8)
        if case .submission = Self.processor.triage(intake) { Issue.record("intake mail taken as a submission") }
    }

    @Test("A chair's draft waits for the area directors; nothing goes to the peer")
    func chairDraftWaits() throws {
        let raw = Self.draftMail(fields: Self.complete)
        let message = MIMEMessage(bytes: raw)
        let draft = Self.processor.draft(of: message)
        let (profile, _) = Self.processor.check(draft, now: Self.now)
        let reference = StatementReference(prefix: "LS", year: 2026, number: 12)
        let record = try Self.processor.submissionRecord(
            message: message, draft: draft, profile: profile, reference: reference, location: Self.location,
            sha256: String(repeating: "a", count: 64), now: Self.now)
        #expect(record.outgoing.map(\.kind) == [.approvalRequest])
        #expect(record.outgoing.first?.envelope.recipients == ["t-ops-ads@example.test", "t-mars-chairs@example.test"])
        guard case .submitted(let lifecycle)? = record.outgoingStatement else {
            Issue.record("no lifecycle")
            return
        }
        #expect(lifecycle.state == .pendingApproval)
        #expect(lifecycle.approvalMessageID == record.outgoing.first?.messageID)
        let request = MIMEMessage(bytes: record.outgoing.first?.raw ?? [])
        #expect(request.subject == "[LS-2026-0012] Approval needed: LS on access node YANG models")
        #expect(request.header["Auto-Submitted"] == "auto-generated")
        #expect(request.header["Reply-To"]?.contains("t-submit@example.test") == true)
        // The statement row: reminders go to the From group's chairs, not the peer.
        #expect(record.statement?.routing.to.map(\.address) == ["t-mars-chairs@example.test"])
        #expect(record.statement?.statement.toContacts.isEmpty == true)
        #expect(record.statement?.statement.identifiers == ["LS-2026-0012"])
    }

    @Test("An area director's own draft is sent at once, to the peer with the right copies")
    func directorDraftIsSent() throws {
        let raw = Self.draftMail(from: "t-ops-ads@example.test", fields: Self.complete, attachment: ("ls.pdf", "application/pdf"))
        let message = MIMEMessage(bytes: raw)
        let draft = Self.processor.draft(of: message)
        let (profile, _) = Self.processor.check(draft, now: Self.now)
        let record = try Self.processor.submissionRecord(
            message: message, draft: draft, profile: profile, reference: StatementReference(prefix: "LS", year: 2026, number: 13),
            location: Self.location, sha256: String(repeating: "b", count: 64), now: Self.now)
        #expect(record.outgoing.map(\.kind) == [.outgoingStatement])
        let sent = try #require(record.outgoing.first)
        let mail = MIMEMessage(bytes: sent.raw)
        #expect(mail.to.map(\.address) == ["tsbsg15@itu.int", "rapporteur-q14@itu.int"])
        #expect(
            mail.cc.map(\.address) == [
                "t-lm-itu@example.test", "t-mars-chairs@example.test", "t-mars@example.test", "alice@example.test", "bob@example.test",
                "t-ops-ads@example.test",
            ])
        #expect(mail.subject == "[LS-2026-0013] LS on access node YANG models")
        #expect(mail.attachments.first?.filename == "ls.pdf")
        #expect(mail.attachments.first?.decodedBody() == Array("Hello".utf8))
        #expect(sent.envelope.recipients.count == 8)
        guard case .submitted(let lifecycle)? = record.outgoingStatement else {
            Issue.record("no lifecycle")
            return
        }
        #expect(lifecycle.state == .sent)
        #expect(lifecycle.sentMessageID == sent.messageID)
    }

    @Test("Prior approval counts only from a chair, director or liaison manager")
    func priorApproval() throws {
        for (sender, sent) in [("t-mars-chairs@example.test", true), ("mallory@example.test", false)] {
            let raw = Self.draftMail(from: sender, fields: "Approval: obtained at IETF 125\n" + Self.complete)
            let message = MIMEMessage(bytes: raw)
            let draft = Self.processor.draft(of: message)
            #expect(draft.claimsPriorApproval)
            let record = try Self.processor.submissionRecord(
                message: message, draft: draft, profile: Self.directory.profile(for: nil), reference: StatementReference(prefix: "LS", year: 2026, number: 14),
                location: Self.location, sha256: String(repeating: "c", count: 64), now: Self.now)
            #expect(record.outgoing.map(\.kind) == [sent ? .outgoingStatement : .approvalRequest], "\(sender)")
        }
    }

    @Test("An approval from an unauthorized address is ignored and logged; an area director's sends the statement")
    func approvalReplies() throws {
        let submission = MIMEMessage(bytes: Self.draftMail(fields: Self.complete))
        let reference = StatementReference(prefix: "LS", year: 2026, number: 15)
        let outgoing = OutgoingStatementRecord(
            reference: reference, state: .pendingApproval, submitter: "t-mars-chairs@example.test", fromGroups: ["mars"],
            peerOrganization: "ITU-T", profile: "ITU-T", approvers: ["t-ops-ads@example.test"],
            submissionSHA256: String(repeating: "d", count: 64), approvalMessageID: "LS-2026-0015.approval-request.1@example.test",
            submittedAt: Self.now)
        func answer(from sender: String) throws -> IntakeRecord {
            let raw = "From: \(sender)\r\nTo: t-submit@example.test\r\nSubject: Re: [LS-2026-0015] Approval needed\r\nMessage-ID: <a-\(sender)>\r\n\r\nApproved\r\n"
            let message = MIMEMessage(bytes: Array(raw.utf8))
            let reply = try #require(ApprovalReply.parse(message, prefix: "LS"))
            return try Self.processor.approvalRecord(
                message: message, reply: reply, outgoing: outgoing, submission: submission, location: Self.location,
                sha256: String(repeating: "e", count: 64), now: Self.now)
        }
        let forged = try answer(from: "mallory@example.test")
        #expect(forged.outgoing.isEmpty)
        #expect(forged.outgoingStatement == nil)
        #expect(forged.events.map(\.kind) == ["approval-ignored"])
        #expect(forged.events.first?.detail.contains("not an approver of MARS") == true)

        let real = try answer(from: "t-ops-ads@example.test")
        #expect(real.outgoing.map(\.kind) == [.outgoingStatement])
        #expect(real.events.map(\.kind) == ["approved", "sent"])
        #expect(real.outgoingStatement == .approved(reference, by: "t-ops-ads@example.test", sentMessageID: real.outgoing.first?.messageID ?? ""))
    }

    @Test("With sender authentication required, an unauthenticated approval is ignored")
    func unauthenticatedApproval() throws {
        var settings = Self.settings
        settings.senderAuthentication = SenderAuthenticationPolicy(trustedAuthservIDs: ["mx.example.test"])
        let processor = IntakeProcessor(
            settings: settings, extractor: StatementExtractor(directory: Self.directory),
            router: Router(directory: Self.directory, rules: [], liaisonManager: settings.liaisonManager),
            mail: OutgoingMailFactory(settings: settings, templates: EchoTemplates()))
        let outgoing = OutgoingStatementRecord(
            reference: StatementReference(prefix: "LS", year: 2026, number: 16), state: .pendingApproval,
            submitter: "t-mars-chairs@example.test", fromGroups: ["mars"], peerOrganization: "ITU-T", profile: "ITU-T",
            approvers: ["t-ops-ads@example.test"], submissionSHA256: String(repeating: "d", count: 64), submittedAt: Self.now)
        let raw = "From: t-ops-ads@example.test\r\nTo: t-submit@example.test\r\nSubject: Re: [LS-2026-0016] Approval needed\r\n\r\nApproved\r\n"
        let message = MIMEMessage(bytes: Array(raw.utf8))
        let reply = try #require(ApprovalReply.parse(message, prefix: "LS"))
        let record = try processor.approvalRecord(
            message: message, reply: reply, outgoing: outgoing, submission: MIMEMessage(bytes: Self.draftMail(fields: Self.complete)),
            location: Self.location, sha256: String(repeating: "e", count: 64), now: Self.now)
        #expect(record.outgoing.isEmpty)
        #expect(record.events.first?.kind == "approval-ignored")
        #expect(record.events.first?.detail.contains("not authenticated") == true)
    }

    @Test("A draft with problems: the list goes back to the submitter (RFC 3834), nothing else")
    func rejectedDraft() {
        let raw = Self.draftMail(fields: "Title: LS on x\nFrom: IETF MARS WG\nBody:\nhi")
        let message = MIMEMessage(bytes: raw)
        let draft = Self.processor.draft(of: message)
        let (profile, problems) = Self.processor.check(draft, now: Self.now)
        let record = Self.processor.rejectedDraftRecord(
            message: message, draft: draft, profile: profile, problems: problems, location: Self.location,
            sha256: String(repeating: "f", count: 64), now: Self.now)
        #expect(record.statement == nil)
        #expect(record.outgoing.map(\.kind) == [.draftProblems])
        #expect(record.outgoing.first?.envelope == MailEnvelope(sender: "", recipients: ["t-mars-chairs@example.test"]))
        let mail = MIMEMessage(bytes: record.outgoing.first?.raw ?? [])
        #expect(mail.header["Auto-Submitted"] == "auto-replied")
        #expect(mail.inReplyTo == ["draft-1@example.test"])
        #expect(record.destination == "Processed")
    }
}
