import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import MIME
import Testing

@testable import LiaisonDaemon

/// Issue 8 against the real Dovecot and Postfix, with a test clock: the courtesy notice of an
/// extended deadline, and an invitation to comment to two communities whose replies are collected
/// and summarised for the working group on the closing date (docs/engagement.md).
@Suite("Engagement through Postfix", .serialized, .enabled(if: MailStack.shouldRun))
struct EngagementTests {
    /// A TestRun whose configuration has an invitation address and two communities.
    func world(_ stack: MailStack) throws -> (TestRun, Configuration) {
        let run = try TestRun(stack: stack)
        var text = try String(contentsOfFile: run.configPath, encoding: .utf8)
        let p = run.prefix
        text = text.replacingOccurrences(
            of: "  reference_prefix: LS\n", with: "  reference_prefix: LS\n  invitation_address: \(p)-intake+invite@example.test\n")
        text = text.replacingOccurrences(
            of: "\nrules: []",
            with: """

                    - name: NANOG
                      kind: community
                      aliases: [North American Network Operators' Group]
                      domains: [nanog.example]
                      engagement_manager: "Operator Engagement <\(p)-em@example.test>"
                      contacts: "NANOG list <\(p)-nanog-list@example.test>"
                    - name: RIPE
                      kind: community
                      domains: [ripe.example]
                      engagement_manager: "Operator Engagement <\(p)-em@example.test>"
                      contacts: "RIPE WG list <\(p)-ripe-list@example.test>"

                rules: []
                """)
        try Data(text.utf8).write(to: URL(fileURLWithPath: run.configPath))
        return (run, try Liaison.configuration(at: run.configPath))
    }

    func morning(_ configuration: Configuration, _ year: Int, _ month: Int, _ day: Int) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.intake.timeZone
        return try #require(calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 9)))
    }

    func messages(_ stack: MailStack, _ address: String) -> [MIMEMessage] {
        stack.inbox(of: String(address.dropLast("@example.test".count))).map { MIMEMessage(bytes: $0) }
    }

    @Test("Action: extend sends the peer's contact a courteous notice with the new date, copied to its liaison manager")
    func extensionNotice() async throws {
        let stack = try MailStack.load()
        let (run, configuration) = try world(stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try run.sample("2-itu-plain"), to: "INBOX")
        let clock = FixedClock(try morning(configuration, 2027, 1, 10))
        let runtime = try Runtime(configuration: configuration, clock: clock, logger: Logger(label: "engage-it"))
        #expect(try await runtime.poller.pollOnce().outcomes == [.recorded(uid: 1, reference: StatementReference(year: 2027, number: 1), state: .routed)])
        let reference = "LS-2027-0001"
        let reply = """
            From: ITU-T Liaison Manager <\(run.address("lm-itu"))>\r
            To: \(run.address("intake"))\r
            Subject: Re: [\(reference)] New liaison statement: LS on management of 400G\r
            Message-ID: <\(run.prefix)-extend@example.test>\r
            \r
            CCAMP needs more time.\r
            Action: extend 2027-02-20\r

            """
        _ = try await intake.append(Array(reply.utf8), to: "INBOX")
        _ = try await runtime.poller.pollOnce()
        #expect(try await runtime.dispatcher.dispatchDue().failed == 0)

        let rapporteur = "\(run.prefix)-rapporteur@itu.int"
        func notices(_ raw: [[UInt8]]) -> [MIMEMessage] {
            raw.map { MIMEMessage(bytes: $0) }.filter { $0.subject?.contains("New reply date") == true }
        }
        try await stack.waitForDelivery {
            !notices(stack.sink(for: rapporteur)).isEmpty && !notices(stack.inbox(of: "\(run.prefix)-lm-itu")).isEmpty
        }
        let received = notices(stack.sink(for: rapporteur))
        #expect(received.count == 1)
        let notice = try #require(received.first)
        #expect(notice.subject == "[\(reference)] New reply date 2027-02-20: LS on management of 400G optical transport interfaces")
        #expect(notice.header["Auto-Submitted"] == "auto-generated")
        #expect(notice.references == ["\(run.prefix)-sg15-ls54@itu.int"])
        #expect(notice.to.map(\.address) == [rapporteur])
        #expect(notice.cc.map(\.address) == [run.address("lm-itu")])
        #expect(notice.header["Reply-To"]?.contains(run.address("lm")) == true)
        let text = try #require(notice.textBody())
        #expect(text.contains("deadline you asked for (2027-01-15)"), "\(text)")
        #expect(text.contains("We now expect to answer by 2027-02-20"))
        let events = try await runtime.store.events(reference: try #require(StatementReference(reference))).map(\.kind)
        #expect(events.contains("extended") && events.contains("extension-notice"))

        // The operator's `liaison extend` tells the peer too.
        let output = try await Liaison.extend(reference: reference, to: "2027-03-01", configPath: run.configPath)
        #expect(output.contains("extension notice queued to \(rapporteur)"), "\(output)")
        #expect(try await runtime.dispatcher.dispatchDue().failed == 0)
        try await stack.waitForDelivery { notices(stack.sink(for: rapporteur)).count >= 2 }
        #expect(
            notices(stack.sink(for: rapporteur)).compactMap(\.subject).sorted() == [
                "[\(reference)] New reply date 2027-02-20: LS on management of 400G optical transport interfaces",
                "[\(reference)] New reply date 2027-03-01: LS on management of 400G optical transport interfaces",
            ])
    }

    @Test("An invitation to comment to two communities: replies collected, the engagement manager reminded, the summary mailed once on the closing date")
    func invitation() async throws {
        let stack = try MailStack.load()
        let (run, configuration) = try world(stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let p = run.prefix
        let intake = try stack.imap(user: run.address("intake"))
        let clock = FixedClock(try morning(configuration, 2026, 11, 23))
        let invitationReference = StatementReference(prefix: "INV", year: 2026, number: 1)
        do {
            let runtime = try Runtime(configuration: configuration, clock: clock, logger: Logger(label: "engage-it"))

            func request(from sender: String, id: String) -> [UInt8] {
                Array(
                    """
                    From: \(sender)\r
                    To: Liaison invitations <\(p)-intake+invite@example.test>\r
                    Subject: Operator input on YANG models for access networks\r
                    Message-ID: <\(p)-\(id)@example.test>\r
                    \r
                    Communities: NANOG, RIPE\r
                    Work: draft-ietf-mars-access-yang\r
                    Closing: 2026-12-07\r
                    \r
                    The MARS working group would value operators' experience with these models.\r
                    Which parts would you deploy, and what is missing?\r

                    """.utf8)
            }
            // Only an engagement manager may send invitations; anyone else is quarantined and ignored.
            _ = try await intake.append(request(from: "Mallory <\(p)-mallory@example.test>", id: "forged"), to: "INBOX")
            _ = try await intake.append(request(from: "Operator Engagement <\(run.address("em"))>", id: "request"), to: "INBOX")
            let report = try await runtime.poller.pollOnce()
            try #require(report.outcomes.count == 2, "\(report.outcomes)")
            guard case .quarantined(_, let reason) = report.outcomes[0] else {
                Issue.record("the forged request was not refused: \(report.outcomes[0])")
                return
            }
            #expect(reason.contains("not a configured"))
            #expect(report.outcomes[1] == .recorded(uid: 2, reference: invitationReference, state: .routed))
            #expect(try await runtime.dispatcher.dispatchDue().failed == 0)

            func invitations(_ local: String) -> [MIMEMessage] {
                messages(stack, run.address(local)).filter { $0.subject?.hasPrefix("[INV-2026-0001] Invitation to comment") == true }
            }
            try await stack.waitForDelivery { !invitations("nanog-list").isEmpty && !invitations("ripe-list").isEmpty }
            #expect(invitations("nanog-list").count == 1 && invitations("ripe-list").count == 1)
            #expect(invitations("em").count == 2, "the engagement manager is copied on each")
            #expect(invitations("mallory").isEmpty)
            let toNanog = try #require(invitations("nanog-list").first)
            #expect(toNanog.header["Auto-Submitted"] == "auto-generated")
            #expect(toNanog.textBody()?.contains("Dear NANOG community") == true)
            #expect(toNanog.textBody()?.contains("Which parts would you deploy") == true)
            #expect(toNanog.textBody()?.contains("Please reply by: 2026-12-07") == true)
            let invitationID = try #require(toNanog.messageID)

            // Two replies: NANOG's answers the invitation's Message-ID; RIPE's names the reference only.
            clock.set(try morning(configuration, 2026, 11, 26))
            _ = try await intake.append(
                Array(
                    """
                    From: Olivia Operator <olivia@nanog.example>\r
                    To: \(run.address("intake"))\r
                    Subject: Re: [INV-2026-0001] Invitation to comment: Operator input on YANG models\r
                    Message-ID: <\(p)-nanog-reply@nanog.example>\r
                    In-Reply-To: <\(invitationID)>\r
                    \r
                    We deploy the interface model widely; the QoS part is missing counters.\r
                    \r
                    > The MARS working group would value operators' experience\r

                    """.utf8), to: "INBOX")
            _ = try await intake.append(
                Array(
                    """
                    From: Rui Router <rui@ripe.example>\r
                    To: \(run.address("intake"))\r
                    Subject: Comments for INV-2026-0001\r
                    Message-ID: <\(p)-ripe-reply@ripe.example>\r
                    \r
                    RIPE operators ask for IPv6-only examples.\r

                    """.utf8), to: "INBOX")
            // Feedback outside any invitation: routed to the WG its draft names, the engagement manager copied.
            _ = try await intake.append(
                Array(
                    """
                    From: Nora Netops <nora@nanog.example>\r
                    To: \(run.address("intake"))\r
                    Subject: Feedback on draft-ietf-mars-access-yang\r
                    Message-ID: <\(p)-feedback@nanog.example>\r
                    \r
                    Section 4 contradicts RFC 8343.\r

                    """.utf8), to: "INBOX")
            let replies = try await runtime.poller.pollOnce()
            #expect(replies.outcomes.count == 3, "\(replies.outcomes)")
            #expect(try await runtime.store.invitationReplies(to: invitationReference).map(\.community) == ["NANOG", "RIPE"])
            #expect(try await runtime.dispatcher.dispatchDue().failed == 0)
            func feedback(_ local: String) -> [MIMEMessage] {
                messages(stack, run.address(local)).filter { $0.subject?.contains("Feedback on draft-ietf-mars-access-yang") == true }
            }
            try await stack.waitForDelivery { !feedback("mars").isEmpty && !feedback("em").isEmpty }
            #expect(feedback("mars").count == 1 && feedback("mars-chairs").count == 1)
            #expect(feedback("mars").first?.cc.map(\.address).contains(run.address("em")) == true)
            #expect(feedback("lm").isEmpty, "community feedback naming a draft needs no triage")

            // Reminders to the engagement manager 7 days and 1 day before closing, each once.
            for day in [30, 30] {
                clock.set(try morning(configuration, 2026, 11, day))
                _ = try await runtime.reminders.run()
            }
            clock.set(try morning(configuration, 2026, 12, 6))
            _ = try await runtime.reminders.run()
            #expect(try await runtime.store.invitationReminders(invitationReference) == [7, 1])

            // The closing date: the summary to MARS once, across a second run and a restart.
            clock.set(try morning(configuration, 2026, 12, 7))
            _ = try await runtime.reminders.run()
            _ = try await runtime.reminders.run()
        }
        // A restart later that day: a new runtime over the same state directory sends nothing more.
        let runtime = try Runtime(configuration: configuration, clock: clock, logger: Logger(label: "engage-it"))
        clock.advance(by: 3600)
        _ = try await runtime.reminders.run()
        #expect(try await runtime.dispatcher.dispatchDue().failed == 0)

        func summaries(_ local: String) -> [MIMEMessage] {
            messages(stack, run.address(local)).filter { $0.subject?.hasPrefix("[INV-2026-0001] Community comments") == true }
        }
        func reminders() -> [MIMEMessage] {
            messages(stack, run.address("em")).filter { $0.subject?.contains("] Closes in") == true }
        }
        try await stack.waitForDelivery { !summaries("mars").isEmpty && !summaries("em").isEmpty && reminders().count >= 2 }
        #expect(summaries("mars").count == 1 && summaries("mars-chairs").count == 1 && summaries("em").count == 1)
        // Each reminder once; the mailbox's order is Postfix's delivery order, not the sending order.
        let reminderSubjects = reminders().compactMap(\.subject)
        #expect(reminderSubjects.count == 2, "\(reminderSubjects)")
        #expect(Set(reminderSubjects) == [
            "[INV-2026-0001] Closes in 7 days, 2 replies: Operator input on YANG models for access networks",
            "[INV-2026-0001] Closes in 1 day, 2 replies: Operator input on YANG models for access networks",
        ])
        let summary = try #require(summaries("mars").first)
        #expect(summary.subject == "[INV-2026-0001] Community comments on draft-ietf-mars-access-yang: 2 replies")
        #expect(summary.header["Auto-Submitted"] == "auto-generated")
        let text = try #require(summary.textBody())
        #expect(text.contains("2 replies received"), "\(text)")
        #expect(text.contains("- NANOG: Olivia Operator <olivia@nanog.example>, 2026-11-26"))
        #expect(text.contains("the QoS part is missing counters"))
        #expect(!text.contains("The MARS working group would value operators' experience\n  "), "quoted text is not in the excerpt")
        #expect(text.contains("- RIPE: Rui Router <rui@ripe.example>, 2026-11-26"))
        #expect(text.contains("RIPE operators ask for IPv6-only examples."))
    }
}
