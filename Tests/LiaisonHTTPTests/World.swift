import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import Logging
import MIME

@testable import LiaisonHTTP

/// A real SQLite store in a temporary directory, filled through the store's public API, with a
/// fixed clock and the repository's `templates/web`.
final class World: @unchecked Sendable {
    let directory: URL
    let store: SQLiteStore
    let clock: FixedClock
    let status: ServiceStatus
    let context: ObservabilityContext

    /// 2026-06-15T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_781_524_800)

    static func day(_ text: String) -> Date {
        (try? Date(text + "T12:00:00Z", strategy: .iso8601)) ?? now
    }

    init(pollInterval: Int = 60) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-http-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        store = try SQLiteStore(path: directory.appendingPathComponent("liaison.sqlite").path)
        clock = FixedClock(World.now)
        status = ServiceStatus(started: World.now.addingTimeInterval(-30))
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let templates = try WebTemplateLibrary(directory: repository.appendingPathComponent("templates/web").path)
        context = ObservabilityContext(
            store: store, status: status, clock: clock, timeZone: TimeZone(identifier: "UTC") ?? .current,
            pollInterval: pollInterval, templates: templates)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static func reference(_ n: Int) -> StatementReference { StatementReference(prefix: "LS", year: 2026, number: n) }

    /// Commits a statement received on `recorded` (YYYY-MM-DD), with a forward and an acknowledgement.
    func statement(
        _ n: Int, title: String, organization: String = "ITU-T", groups: [String] = ["ccamp"], deadline: CalendarDate?,
        state: StatementState = .routed, recorded: String, body: String = "Please comment.\n"
    ) async throws {
        let reference = World.reference(n)
        let date = World.day(recorded)
        var statement = Statement(layout: .datatracker)
        statement.title = title
        statement.fromOrganization = organization
        statement.fromGroups = ["\(organization) SG15"]
        statement.toGroups = groups
        statement.toContacts = [Contact(address: "\(groups.first ?? "x")-chairs@ietf.org")]
        statement.purpose = deadline == nil ? .information : .action
        statement.deadline = deadline
        statement.body = body
        let raw = Array("Message-ID: <in-\(n)@example.org>\r\nSubject: \(title)\r\n\r\n\(body)".utf8)
        let routing = RoutingDecision(
            to: groups.map { Contact(address: "\($0)-chairs@ietf.org") }, cc: [Contact(address: "liaison@ietf.org")],
            reasons: ["\(groups.first ?? "x")-chairs@ietf.org: chairs of \(groups.first ?? "x") (addressed group)"],
            groups: groups, isTriage: state == .needsTriage)
        let recordedStatement = RecordedStatement(
            reference: reference, statement: statement, state: state, routing: routing, recordedAt: date,
            messageID: "in-\(n)@example.org", sender: Contact(name: "TSB", address: "tsb@itu.int"))
        try await store.commit(
            IntakeRecord(
                location: ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: UInt32(n)),
                raw: raw, sha256: SHA256.hex(of: raw), messageID: "in-\(n)@example.org", receivedAt: date,
                disposition: .statement(reference), statement: recordedStatement,
                events: [StatementEvent(kind: "received", detail: "from tsb@itu.int <b>bold</b>", at: date)],
                outgoing: [
                    outgoing("fwd-\(n)@liaison.example", kind: .forward, reference: reference, recipients: routing.to.map(\.address)),
                    outgoing("ack-\(n)@liaison.example", kind: .acknowledgement, reference: reference, recipients: ["tsb@itu.int"]),
                ],
                destination: "Processed"))
    }

    func quarantine(_ n: Int) async throws {
        let raw = Array("Subject: junk \(n)\r\n\r\nnothing\r\n".utf8)
        try await store.commit(
            IntakeRecord(
                location: ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: UInt32(n)),
                raw: raw, sha256: SHA256.hex(of: raw), messageID: nil, receivedAt: World.now,
                disposition: .quarantined(reason: "no statement found"), statement: nil, events: [],
                outgoing: [outgoing("q-\(n)@liaison.example", kind: .quarantineNotice, reference: nil, recipients: ["liaison@ietf.org"])],
                destination: "Quarantine"))
    }

    func outgoing(_ id: String, kind: OutgoingKind, reference: StatementReference?, recipients: [String]) -> OutgoingMessage {
        OutgoingMessage(
            messageID: id, kind: kind, statement: reference,
            envelope: MailEnvelope(sender: "liaison@ietf.org", recipients: recipients),
            raw: Array("Message-ID: <\(id)>\r\nSubject: x\r\n\r\nforwarded\r\n".utf8))
    }

    /// Records one attempt of the outgoing message `id` with `outcome` for every recipient.
    func attempt(_ id: String, outcome: RecipientResult.Outcome) async throws {
        guard let entry = try await store.dueOutgoing(at: World.now).first(where: { $0.message.messageID == id }) else {
            throw WorldError.noSuchOutgoing(id)
        }
        let results = entry.pendingRecipients.map { RecipientResult(address: $0, outcome: outcome, code: outcome == .delivered ? 250 : 550, detail: "test") }
        try await store.recordAttempt(outboxID: entry.id, results: results, at: World.now, nextAttempt: nil)
    }

    /// The standard data set: one statement in each dashboard category, a quarantined message,
    /// one mail delivered and one failed.
    func fill() async throws {
        try await statement(1, title: "LS on OTN evolution", deadline: CalendarDate(year: 2026, month: 9, day: 1), recorded: "2026-05-28")
        try await statement(
            2, title: "<script>alert(1)</script> & \"quotes\"", organization: "ETSI", groups: ["opsawg"],
            deadline: CalendarDate(year: 2026, month: 6, day: 1), recorded: "2026-05-29", body: "<img src=x onerror=alert(2)>\n")
        try await statement(3, title: "Unclear statement", deadline: nil, state: .needsTriage, recorded: "2026-06-10")
        try await statement(4, title: "Old statement", deadline: CalendarDate(year: 2026, month: 6, day: 2), recorded: "2026-05-20")
        _ = try await store.close(World.reference(4), reason: "answered", notice: nil, at: World.day("2026-06-03"))
        try await quarantine(100)
        try await attempt("fwd-1@liaison.example", outcome: .delivered)
        try await attempt("fwd-2@liaison.example", outcome: .permanentFailure)
    }
}

enum WorldError: Error {
    case noSuchOutgoing(String)
}
