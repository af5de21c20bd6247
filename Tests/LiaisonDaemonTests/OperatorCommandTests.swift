import Foundation
import LiaisonCore
import LiaisonDaemon
import LiaisonStore
import MIME
import Testing

/// `liaison outbox [retry]`, `liaison remind [--dry-run]` and `liaison due --json` over what the
/// pipeline recorded.
@Suite("Operator commands: outbox, remind, due --json")
struct OperatorCommandTests {
    /// Parses JSON output into plain values.
    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test("due --json: open statements within the window, soonest first, with stable keys")
    func dueJSON() async throws {
        let world = try CommandWorld(at: CommandWorld.morning(2026, 11, 20))
        defer { world.remove() }
        let refs = try await world.receive(["1-datatracker", "2-itu-plain", "3-no-fields"])
        try #require(refs.count == 3)

        let text = try await Liaison.dueJSON(within: 14, configPath: world.configPath, now: CommandWorld.morning(2027, 1, 10))
        let due = try #require(try json(text) as? [[String: Any]])
        #expect(due.count == 2, "the statement without a deadline is not listed: \(text)")
        for entry in due {
            #expect(Set(entry.keys) == ["reference", "title", "fromOrganization", "groups", "deadline", "daysLeft", "state"])
            #expect(entry["deadline"] as? String == "2027-01-15")
            #expect(entry["daysLeft"] as? Int == 5)
            #expect(entry["state"] as? String == "routed")
        }
        #expect(due.map { $0["reference"] as? String } == [refs[0].description, refs[1].description])
        #expect(due[0]["title"] as? String == "LS on YANG models for access network management")
        #expect(due[0]["fromOrganization"] as? String == "Broadband Forum")
        #expect(due[0]["groups"] as? [String] == ["mars"])
        #expect(due[1]["fromOrganization"] as? String == "ITU-T")
        #expect(due[1]["groups"] as? [String] == ["ccamp"])

        let overdue = try #require(
            try json(try await Liaison.dueJSON(within: 0, configPath: world.configPath, now: CommandWorld.morning(2027, 1, 20)))
                as? [[String: Any]])
        #expect(overdue.map { $0["daysLeft"] as? Int } == [-5, -5])
        let none = try await Liaison.dueJSON(within: 3, configPath: world.configPath, now: CommandWorld.morning(2027, 1, 10))
        #expect(try #require(try json(none) as? [Any]).isEmpty)
    }

    @Test("outbox: mail that failed temporarily is pending with its Message-ID, attempts and next attempt; given up, it is failed")
    func outboxListing() async throws {
        let world = try CommandWorld(at: CommandWorld.morning(2026, 11, 20))
        defer { world.remove() }
        #expect(try await Liaison.outbox(configPath: world.configPath, json: false) == "outbox: nothing pending or failed\n")
        _ = try await world.receive(["2-itu-plain"])
        world.sender.temporarilyDown.withLock { $0 = true }
        let summary = try await world.dispatcher.dispatchDue()
        #expect(summary.attempted == 2 && summary.deferred > 0 && summary.delivered == 0)

        let entries = try await world.store.outboxEntries(in: [.pending])
        try #require(entries.count == 2)
        let text = try await Liaison.outbox(configPath: world.configPath, json: false)
        #expect(text.hasPrefix("Pending (2):\n"), "\(text)")
        #expect(!text.contains("Failed"))
        for entry in entries {
            let next = try #require(entry.nextAttemptAt)
            #expect(next == CommandWorld.morning(2026, 11, 20) + 300, "retried after 5 minutes")
            #expect(
                text.contains(
                    "  #\(entry.id)  \(entry.message.kind.rawValue)  LS-2026-0001  <\(entry.message.messageID)>  1 attempt  next \(next.formatted(.iso8601))"),
                "\(text)")
            for recipient in entry.recipients {
                #expect(text.contains("      \(recipient.address)  temporary-failure 451 try later"), "\(text)")
            }
        }

        let listing = try #require(try json(try await Liaison.outbox(configPath: world.configPath, json: true)) as? [String: Any])
        #expect(Set(listing.keys) == ["pending", "failed"])
        let pending = try #require(listing["pending"] as? [[String: Any]])
        #expect((listing["failed"] as? [Any])?.isEmpty == true)
        #expect(pending.map { $0["messageID"] as? String } == entries.map(\.message.messageID))
        let first = try #require(pending.first)
        #expect(Set(first.keys) == [
            "id", "kind", "statement", "messageID", "state", "attempts", "createdAt", "lastAttemptAt", "nextAttemptAt", "recipients",
        ])
        #expect(first["id"] as? Int == Int(entries[0].id))
        #expect(first["kind"] as? String == "forward")
        #expect(first["statement"] as? String == "LS-2026-0001")
        #expect(first["state"] as? String == "pending")
        #expect(first["attempts"] as? Int == 1)
        #expect(first["nextAttemptAt"] as? String == entries[0].nextAttemptAt?.formatted(.iso8601))
        let recipient = try #require((first["recipients"] as? [[String: Any]])?.first)
        #expect(Set(recipient.keys) == ["address", "state", "code", "detail", "updatedAt"])
        #expect(recipient["state"] as? String == "temporary-failure")
        #expect(recipient["code"] as? Int == 451)

        // Six days later, still down: given up, the entries are failed (and notices to the liaison manager pending).
        world.clock.advance(by: 6 * 86_400)
        _ = try await world.dispatcher.dispatchDue()
        let after = try await Liaison.outbox(configPath: world.configPath, json: false)
        #expect(after.contains("Failed (2):"), "\(after)")
        #expect(after.contains("permanent-failure 451 given up: try later"), "\(after)")
        let failed = try #require(try json(try await Liaison.outbox(configPath: world.configPath, json: true)) as? [String: Any])
        #expect((failed["failed"] as? [[String: Any]])?.map { $0["state"] as? String } == ["failed", "failed"])
        #expect((failed["failed"] as? [[String: Any]])?.first?["nextAttemptAt"] is NSNull, "null, not missing")
    }

    @Test("outbox retry: failed mail is sent again once, with the same Message-ID, to recipients not yet delivered")
    func outboxRetry() async throws {
        let world = try CommandWorld(at: CommandWorld.morning(2026, 11, 20))
        defer { world.remove() }
        _ = try await world.receive(["2-itu-plain"])
        world.sender.temporarilyDown.withLock { $0 = true }
        _ = try await world.dispatcher.dispatchDue()
        world.clock.advance(by: 6 * 86_400)
        _ = try await world.dispatcher.dispatchDue()
        let failed = try await world.store.outboxEntries(in: [.failed])
        try #require(failed.count == 2)
        let forward = try #require(failed.first { $0.message.kind == .forward })

        await #expect(throws: OutboxCommandError.badID("x7")) {
            _ = try await Liaison.outboxRetry(ids: ["x7"], all: false, configPath: world.configPath)
        }
        await #expect(throws: StoreError.unknownOutboxEntry(id: 9999)) {
            _ = try await Liaison.outboxRetry(ids: ["9999"], all: false, configPath: world.configPath)
        }

        world.sender.temporarilyDown.withLock { $0 = false }
        let output = try await Liaison.outboxRetry(ids: ["#\(forward.id)"], all: false, configPath: world.configPath, now: world.clock.now())
        let recipients = forward.recipients.map(\.address).joined(separator: ", ")
        #expect(output.hasPrefix("#\(forward.id) forward <\(forward.message.messageID)> (LS-2026-0001): due now for \(recipients) (was failed)\n"), "\(output)")
        let history = try await world.store.events(reference: try #require(forward.message.statement))
        #expect(history.last?.kind == "mail-retry")
        #expect(history.last?.detail.contains("asked by the operator (liaison outbox retry)") == true)

        world.sender.sent.withLock { $0.removeAll() }
        _ = try await world.dispatcher.dispatchDue()
        let sent = world.sender.sent.withLock { $0 }
        let forwards = sent.filter { MIMEMessage(bytes: $0.raw).messageID == forward.message.messageID }
        #expect(forwards.count == 1, "sent once")
        #expect(forwards.first?.envelope.recipients == forward.recipients.map(\.address))
        #expect(try await world.store.outboxEntry(id: forward.id)?.state == .done)

        // Retrying it again does nothing: every recipient was delivered.
        let again = try await Liaison.outboxRetry(ids: [String(forward.id)], all: false, configPath: world.configPath, now: world.clock.now())
        #expect(again == "#\(forward.id) forward <\(forward.message.messageID)> (LS-2026-0001): delivered to every recipient, nothing to retry\n")
        world.sender.sent.withLock { $0.removeAll() }
        _ = try await world.dispatcher.dispatchDue()
        #expect(world.sender.sent.withLock { $0 }.allSatisfy { MIMEMessage(bytes: $0.raw).messageID != forward.message.messageID })

        // --all takes the rest (the acknowledgement, the notices), then there is nothing left.
        let all = try await Liaison.outboxRetry(ids: [], all: true, configPath: world.configPath, now: world.clock.now())
        #expect(all.contains("acknowledgement"), "\(all)")
        _ = try await world.dispatcher.dispatchDue()
        #expect(try await world.store.outboxEntries(in: [.pending, .failed]).isEmpty)
        #expect(
            try await Liaison.outboxRetry(ids: [], all: true, configPath: world.configPath)
                == "nothing to retry: no outgoing mail is pending or failed\n")
    }

    @Test("remind --dry-run prints what is due and records nothing; remind records it once")
    func remind() async throws {
        let world = try CommandWorld(at: CommandWorld.morning(2026, 11, 20))
        defer { world.remove() }
        let refs = try await world.receive(["2-itu-plain"])
        let reference = try #require(refs.first)
        _ = try await world.dispatcher.dispatchDue()
        let now = CommandWorld.morning(2027, 1, 1)  // two weeks before 15 January

        let dry = try await Liaison.remind(dryRun: true, configPath: world.configPath, now: now)
        #expect(
            dry == """
                \(reference)  before-14  2027-01-01
                  To:      CCAMP WG Chairs <t-ccamp-chairs@example.test>, CCAMP Discussion List <t-ccamp@example.test>
                  Cc:      ITU-T Liaison Manager <t-lm-itu@example.test>
                  Subject: [\(reference)] Deadline in two weeks: LS on management of 400G optical transport interfaces
                dry run: 1 reminder would be sent; nothing recorded

                """, "\(dry)")
        #expect(try await world.store.reminders(reference: reference).isEmpty)
        #expect(try await world.store.outboxEntries(in: [.pending]).isEmpty, "nothing queued")
        #expect(try await Liaison.remind(dryRun: true, configPath: world.configPath, now: now) == dry, "a dry run changes nothing")

        let recorded = try await Liaison.remind(dryRun: false, configPath: world.configPath, now: now)
        #expect(recorded.hasPrefix("\(reference)  before-14  2027-01-01\n"), "\(recorded)")
        #expect(recorded.contains("recorded 1 reminder;"))
        #expect(try await world.store.reminders(reference: reference).map(\.kind) == ["before-14"])
        let queued = try await world.store.outboxEntries(in: [.pending])
        #expect(queued.map(\.message.kind) == [.reminder])

        #expect(try await Liaison.remind(dryRun: true, configPath: world.configPath, now: now) == "no reminders due now (dry run)\n")
        #expect(try await Liaison.remind(dryRun: false, configPath: world.configPath, now: now) == "no reminders due now\n")
        #expect(try await world.store.outboxEntries(in: [.pending]).count == 1, "recorded once")
    }
}
