import Foundation
import LiaisonCore
import MIME
import LiaisonStore

/// A fresh directory under the system's temporary directory, removed on deinit.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("liaison-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        path = url.path
    }

    func file(_ name: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(name).path
    }

    deinit {
        // Give the directory back its permissions in case a test took them away.
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Which kind of database a test runs on.
enum StoreKind: String, CaseIterable, Sendable {
    case memory
    case file
}

/// Keeps the temporary directory alive as long as the store.
struct Harness {
    let store: SQLiteStore
    let directory: TemporaryDirectory?

    init(_ kind: StoreKind) throws {
        switch kind {
        case .memory:
            store = try SQLiteStore.inMemory()
            directory = nil
        case .file:
            let directory = try TemporaryDirectory()
            store = try SQLiteStore(path: directory.file("liaison.sqlite"))
            self.directory = directory
        }
    }
}

/// Builders of domain values for the tests.
enum Fixture {
    /// 2026-05-28T20:26:40Z: a whole second, so it survives the store's millisecond precision.
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func raw(_ n: Int, salt: String = "") -> [UInt8] {
        Array("Message-ID: <in-\(n)\(salt)@example.org>\r\nSubject: LS \(n)\r\n\r\nBody \(n)\(salt)\r\n".utf8)
    }

    static func reference(_ number: Int, year: Int = 2026) -> StatementReference {
        StatementReference(prefix: "LS", year: year, number: number)
    }

    static func statement(title: String = "LS on OTN evolution") -> Statement {
        var statement = Statement(layout: .datatracker)
        statement.title = title
        statement.submissionDate = CalendarDate(year: 2026, month: 5, day: 20)
        statement.fromOrganization = "ITU-T"
        statement.fromGroups = ["ITU-T SG15"]
        statement.fromContacts = [Contact(name: "Rapporteur Q11/15", address: "rapporteur@itu.int")]
        statement.toGroups = ["ccamp", "mpls"]
        statement.toContacts = [Contact(address: "ccamp-chairs@ietf.org")]
        statement.ccContacts = [Contact(name: "Liaison Manager", address: "liaison@ietf.org")]
        statement.responseContacts = [Contact(address: "tsbsg15@itu.int")]
        statement.technicalContacts = [Contact(name: "Tech", address: "tech@itu.int")]
        statement.purpose = .action
        statement.deadline = CalendarDate(year: 2026, month: 9, day: 1)
        statement.identifiers = ["SG15-LS54", "TD123/15"]
        statement.body = "Dear colleagues,\nplease comment.\n"
        statement.attachments = [
            AttachmentSummary(filename: "LS54.docx", contentType: "application/msword", size: 12345, sha256: String(repeating: "ab", count: 32))
        ]
        statement.sources = [
            .title: FieldSource(origin: .body, location: "3", confidence: 0.95),
            .deadline: FieldSource(origin: .body, location: "9", confidence: 0.9),
        ]
        statement.missing = []
        return statement
    }

    static func routing() -> RoutingDecision {
        RoutingDecision(
            to: [Contact(name: "CCAMP chairs", address: "ccamp-chairs@ietf.org")],
            cc: [Contact(address: "mpls-chairs@ietf.org")],
            reasons: ["ccamp-chairs@ietf.org: chairs of ccamp (addressed group)"],
            groups: ["ccamp", "mpls"],
            isTriage: false
        )
    }

    static func recorded(_ reference: StatementReference, at date: Date = t0, title: String = "LS on OTN evolution") -> RecordedStatement {
        RecordedStatement(
            reference: reference,
            statement: statement(title: title),
            state: .routed,
            routing: routing(),
            recordedAt: date,
            messageID: "in-\(reference.number)@example.org",
            sender: Contact(name: "ITU-T TSB", address: "tsb@itu.int")
        )
    }

    static func outgoing(
        _ id: String, kind: OutgoingKind = .forward, reference: StatementReference?, recipients: [String]
    ) -> OutgoingMessage {
        OutgoingMessage(
            messageID: id,
            kind: kind,
            statement: reference,
            envelope: MailEnvelope(sender: "liaison@ietf.org", recipients: recipients),
            raw: Array("Message-ID: <\(id)>\r\nSubject: [\(reference?.description ?? "-")]\r\n\r\nforwarded\r\n".utf8)
        )
    }

    /// A record carrying a statement with two events, a forward to two recipients and an
    /// acknowledgement to the sender.
    static func statementRecord(
        _ n: Int,
        uid: UInt32? = nil,
        uidValidity: UInt32 = 1,
        mailbox: String = "INBOX",
        at date: Date = t0,
        forwardTo: [String] = ["ccamp-chairs@ietf.org", "mpls-chairs@ietf.org"]
    ) -> IntakeRecord {
        let reference = reference(n)
        let bytes = raw(n)
        return IntakeRecord(
            location: ServerLocation(mailbox: mailbox, uidValidity: uidValidity, uid: uid ?? UInt32(n)),
            raw: bytes,
            sha256: SHA256.hex(of: bytes),
            messageID: "in-\(n)@example.org",
            receivedAt: date,
            disposition: .statement(reference),
            statement: recorded(reference, at: date),
            events: [
                StatementEvent(kind: "received", detail: "from tsb@itu.int", at: date),
                StatementEvent(kind: "routed", detail: "to ccamp, mpls", at: date),
            ],
            outgoing: [
                outgoing("fwd-\(n)@liaison.example", reference: reference, recipients: forwardTo),
                outgoing("ack-\(n)@liaison.example", kind: .acknowledgement, reference: reference, recipients: ["tsb@itu.int"]),
            ],
            destination: "Processed"
        )
    }

    /// A quarantined message with a notice to the liaison manager.
    static func quarantineRecord(_ n: Int, uid: UInt32, at date: Date = t0, reason: String = "no statement found") -> IntakeRecord {
        let bytes = raw(n, salt: "-q")
        return IntakeRecord(
            location: ServerLocation(mailbox: "INBOX", uidValidity: 1, uid: uid),
            raw: bytes,
            sha256: SHA256.hex(of: bytes),
            messageID: nil,
            receivedAt: date,
            disposition: .quarantined(reason: reason),
            statement: nil,
            events: [],
            outgoing: [outgoing("q-\(n)@liaison.example", kind: .quarantineNotice, reference: nil, recipients: ["liaison@ietf.org"])],
            destination: "Quarantine"
        )
    }
}

/// The ``StoreError`` thrown by `body`, or `nil` when it threw nothing or something else.
func storeError(_ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return nil
    }
}
