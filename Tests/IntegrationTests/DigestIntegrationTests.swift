import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import MIME
import Testing

@testable import LiaisonDaemon

/// The weekly digest through the real Postfix: on a Monday (a test clock), each liaison manager's
/// mailbox receives exactly one, whatever restarts and second runs happen that day.
@Suite("Weekly digest through Postfix")
struct DigestIntegrationTests {
    @Test("A Monday's digests reach each liaison manager once, across a restart and a second run")
    func digests() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let intake = try stack.imap(user: run.address("intake"))
        for name in ["1-datatracker", "2-itu-plain", "3-no-fields"] {
            _ = try await intake.append(try run.sample(name), to: "INBOX")
        }
        var configuration = try Liaison.configuration(at: run.configPath)
        #expect(!configuration.digest.enabled, "TestRun turns digests off for the binary's real clock")
        configuration.digest.enabled = true

        // Monday 23 November 2026, 09:00 in the configured time zone (ISO week 2026-W48).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.intake.timeZone
        let monday = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 9)))
        let clock = FixedClock(monday)
        let managers = [run.address("lm-itu"), run.address("lm-bbf"), run.address("lm")]
        do {
            let runtime = try Runtime(configuration: configuration, clock: clock, logger: Logger(label: "digest-it"))
            #expect(try await runtime.poller.pollOnce().outcomes.count == 3)
            let digests = try await runtime.digests.run()
            #expect(digests.map(\.recipient.contact.address) == managers)
            #expect(try await runtime.digests.run().isEmpty, "a second run the same day")
            #expect(try await runtime.dispatcher.dispatchDue().failed == 0)
        }
        do {
            // A restart later that Monday: a new runtime over the same state directory.
            clock.advance(by: 3 * 3600)
            let runtime = try Runtime(configuration: configuration, clock: clock, logger: Logger(label: "digest-it"))
            #expect(try await runtime.digests.run().isEmpty)
            _ = try await runtime.dispatcher.dispatchDue()
        }

        func digests(_ address: String) -> [MIMEMessage] {
            stack.inbox(of: String(address.dropLast("@example.test".count))).map { MIMEMessage(bytes: $0) }
                .filter { $0.subject?.hasPrefix("[Liaison digest]") == true }
        }
        try await stack.waitForDelivery { managers.allSatisfy { !digests($0).isEmpty } }
        for address in managers { #expect(digests(address).count == 1, "\(address) got \(digests(address).count) digests") }

        let itu = try #require(digests(run.address("lm-itu")).first)
        #expect(itu.subject == "[Liaison digest] 2026-W48: 1 open")
        #expect(itu.header["Auto-Submitted"] == "auto-generated")
        let text = try #require(itu.textBody())
        #expect(text.contains("LS-2026-0002  LS on management of 400G optical transport interfaces"), "\(text)")
        #expect(text.contains("deadline 2027-01-15, due in 53 days"))
        #expect(digests(run.address("lm-bbf")).first?.textBody()?.contains("LS-2026-0001  LS on YANG models for access network management") == true)
        #expect(digests(run.address("lm")).first?.subject == "[Liaison digest] 2026-W48: 1 in triage")
    }
}
