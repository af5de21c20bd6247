import Foundation
import LiaisonCore
import MIME
import Testing

@testable import LiaisonStore

/// The `v6-engagement` schema: invitations, their replies, reminders and summary, each once.
@Suite("Invitation store")
struct EngagementStoreTests {
    let invitationReference = StatementReference(prefix: "INV", year: 2026, number: 1)

    func invitationRecord(uid: UInt32) throws -> IntakeRecord {
        let bytes = Fixture.raw(Int(uid), salt: "-inv")
        let invitation = Invitation(
            reference: invitationReference, manager: Contact(name: "EM", address: "em@ietf.org"), title: "Operator input",
            communities: ["NANOG", "RIPE"], groups: ["mars"], work: ["draft-ietf-mars-x"],
            closing: try #require(CalendarDate(year: 2026, month: 12, day: 7)), body: "Please comment.",
            createdAt: Fixture.t0, messageID: "req@ietf.org")
        var record = IntakeRecord(
            location: ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: uid), raw: bytes, sha256: SHA256.hex(of: bytes),
            messageID: "req@ietf.org", receivedAt: Fixture.t0, disposition: .invitation(invitationReference), statement: nil, events: [],
            outgoing: [Fixture.outgoing("INV-2026-0001.invitation.1@ietf.org", kind: .invitation, reference: nil, recipients: ["list@nanog.example"])],
            destination: "Processed")
        record.invitation = InvitationRecord(
            invitation: invitation, deliveries: [InvitationDelivery(community: "NANOG", messageID: "INV-2026-0001.invitation.1@ietf.org")])
        return record
    }

    @Test("A v4 database migrates to v6-engagement keeping its messages; invitations, replies, reminders and the summary are recorded once")
    func migrateAndRecord() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("liaison.sqlite")
        try SQLiteStore.createSchema(at: path, upTo: "v4")
        do {
            let v4 = try SQLiteStore(pathWithoutMigrating: path)
            try await v4.commit(Fixture.statementRecord(1))
            try await v4.commit(Fixture.quarantineRecord(2, uid: 2))
        }
        let store = try SQLiteStore(path: path)
        #expect(Array(SQLiteStore.knownMigrations.prefix(4)) == ["v1", "v2", "v3", "v4"])
        #expect(try await store.diagnostics().appliedMigrations.contains("v6-engagement"))
        #expect(try await store.integrityCheck())
        #expect(try await store.receivedMessageCounts() == ["statement": 1, "quarantined": 1])
        #expect(try await store.pendingMoves(mailbox: "INBOX", uidValidity: 1).map(\.location.uid).sorted() == [1, 2])

        try await store.commit(try invitationRecord(uid: 3))
        #expect(try await store.receivedMessageCounts() == ["statement": 1, "quarantined": 1, "invitation": 1])
        let stored = try #require(try await store.invitation(reference: invitationReference))
        #expect(stored.communities == ["NANOG", "RIPE"] && stored.groups == ["mars"] && stored.closing.description == "2026-12-07")
        #expect(try await store.invitationDelivery(messageIDs: ["x@y", "INV-2026-0001.invitation.1@ietf.org"])?.community == "NANOG")

        // A reply recorded as statement LS-2026-0004, linked in the same transaction.
        var reply = Fixture.statementRecord(4)
        reply.invitationReply = InvitationReply(
            invitation: invitationReference, statement: Fixture.reference(4), community: "NANOG",
            sender: Contact(name: "Olivia", address: "olivia@nanog.example"), receivedAt: Fixture.t0, excerpt: "We deploy it.")
        try await store.commit(reply)
        #expect(try await store.invitationReplies(to: invitationReference).map(\.excerpt) == ["We deploy it."])

        let reminder = Fixture.outgoing("r7@ietf.org", kind: .invitationReminder, reference: nil, recipients: ["em@ietf.org"])
        #expect(try await store.recordInvitationReminder(invitationReference, daysBefore: 7, message: reminder, at: Fixture.t0))
        #expect(!(try await store.recordInvitationReminder(invitationReference, daysBefore: 7, message: reminder, at: Fixture.t0)))
        let summary = Fixture.outgoing("s@ietf.org", kind: .invitationSummary, reference: nil, recipients: ["mars@ietf.org"])
        #expect(try await store.unsummarizedInvitations().map(\.reference) == [invitationReference])
        #expect(try await store.recordInvitationSummary(invitationReference, replies: 1, message: summary, at: Fixture.t0))
        let again = Fixture.outgoing("s2@ietf.org", kind: .invitationSummary, reference: nil, recipients: ["mars@ietf.org"])
        #expect(!(try await store.recordInvitationSummary(invitationReference, replies: 1, message: again, at: Fixture.t0)))
        #expect(try await store.unsummarizedInvitations().isEmpty)
        #expect(try await store.dueOutgoing(at: Fixture.t0).filter { $0.message.kind == .invitationSummary }.count == 1)
        #expect(try await store.integrityCheck())
    }
}
