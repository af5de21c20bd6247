import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates
import MIME
import Testing

/// Header and address injection: every vector of ``InjectionCorpus`` (carrier × payload) goes
/// through the real pipeline (poll → extract → route → commit → outbox → sender), and the bytes
/// of every message we would send are checked: no extra or repeated header field, no recipient
/// beyond the routing and the acknowledged sender, no line over 998 octets, CRLF only, no NUL.
@Suite("Injection corpus")
struct InjectionTests {
    static let repository = PipelineTests.repository

    /// The header fields Liaison writes at the top level, each at most once.
    static let allowedTopFields: Set<String> = [
        "date", "from", "reply-to", "to", "cc", "subject", "message-id", "in-reply-to", "references",
        "auto-submitted", "x-liaison-loop", "x-liaison-reference", "mime-version", "content-type",
        "content-transfer-encoding",
    ]
    static let allowedPartFields: Set<String> = ["content-type", "content-transfer-encoding", "content-disposition"]

    struct World {
        let mailbox = InMemoryMailbox()
        let sender = RecordingSender()
        let store: SQLiteStore
        let poller: MailboxPoller
        let dispatcher: OutboxDispatcher
        let directoryAddresses: Set<String>

        init() throws {
            store = try SQLiteStore.inMemory()
            let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
            let templates = try TemplateLibrary(directory: InjectionTests.repository.appendingPathComponent("templates").path)
            let settings = IntakeSettings(
                serviceAddress: Contact(name: "Liaison", address: "t-intake@example.test"),
                liaisonManager: Contact(address: "t-lm@example.test"),
                instanceID: "liaison-test")
            let directory = Directory(
                areas: [Area(acronym: "ops", name: "Operations", directors: [Contact(address: "t-ops-ads@example.test")])],
                groups: [
                    Group(
                        acronym: "mars", name: "MARS", area: "ops", list: Contact(address: "t-mars@example.test"),
                        chairs: Contact(address: "t-mars-chairs@example.test"))
                ],
                organizations: [
                    Organization(name: "Peer Body", domains: ["peer.example"], liaisonManagers: [Contact(address: "t-lm-peer@example.test")])
                ])
            directoryAddresses = [
                "t-lm@example.test", "t-ops-ads@example.test", "t-mars@example.test", "t-mars-chairs@example.test",
                "t-lm-peer@example.test",
            ]
            let processor = IntakeProcessor(
                settings: settings,
                extractor: StatementExtractor(directory: directory),
                router: Router(directory: directory, rules: [], liaisonManager: settings.liaisonManager),
                mail: OutgoingMailFactory(settings: settings, templates: templates))
            poller = MailboxPoller(source: mailbox, store: store, processor: processor, clock: clock)
            dispatcher = OutboxDispatcher(store: store, sender: sender, clock: clock)
        }
    }

    /// What one vector did, for the figures.
    enum Outcome: String {
        case routed, triage, quarantined, other
    }

    /// Runs one vector; returns its outcome and the problems found in the outgoing bytes.
    static func run(_ vector: InjectionCorpus.Vector) async throws -> (Outcome, [String]) {
        let world = try World()
        let raw = vector.message
        world.mailbox.deliver(raw)
        let report = try await world.poller.pollOnce()
        _ = try await world.dispatcher.dispatchDue()
        let sent = world.sender.sent.withLock { $0 }
        var problems: [String] = []
        let outcome: Outcome
        switch report.outcomes.first {
        case .recorded(_, _, .routed)?: outcome = .routed
        case .recorded(_, _, .needsTriage)?: outcome = .triage
        case .quarantined(_, let reason)?:
            outcome = .quarantined
            print("quarantined: \(vector): \(reason)")
        default: outcome = .other
        }
        if outcome == .quarantined, ["Message-ID", "References", "Subject", "body Title"].contains(vector.carrier.name) {
            problems.append("quarantined: an odd \(vector.carrier.name) must not stop the statement being forwarded")
        }
        if sent.isEmpty { problems.append("nothing sent: the liaison manager never hears of it (\(report.outcomes))") }
        let incoming = MIMEMessage(bytes: raw)
        let acknowledged = AutoReplyPolicy.acknowledgementRecipient(for: incoming)?.address.lowercased()
        for (n, mail) in sent.enumerated() {
            let label = "mail \(n + 1)"
            problems += checkWire(mail.raw).map { "\(label): \($0)" }
            problems += checkFields(mail.raw).map { "\(label): \($0)" }
            // Recipients: the envelope only holds directory addresses, or the one acknowledged sender.
            let envelope = mail.envelope.recipients.map { $0.lowercased() }
            if mail.envelope.sender.isEmpty {
                if envelope.count != 1 || envelope.first != acknowledged {
                    problems.append("\(label): acknowledgement to \(envelope), expected only \(acknowledged ?? "-")")
                }
            } else if let stranger = envelope.first(where: { !world.directoryAddresses.contains($0) }) {
                problems.append("\(label): envelope recipient \(stranger) is not from the directory")
            }
            if envelope.contains(where: { $0.hasSuffix("@evil.test") }) { problems.append("\(label): envelope \(envelope)") }
            // The header recipients are exactly the envelope's.
            let parsed = MIMEMessage(bytes: mail.raw)
            let headerRecipients = Set((parsed.to + parsed.cc + parsed.bcc).map { $0.address.lowercased() })
            if headerRecipients != Set(envelope) {
                problems.append("\(label): header recipients \(headerRecipients.sorted()) ≠ envelope \(envelope)")
            }
            // The decoded subject holds no line break, NUL or Unicode line separator.
            if let subject = parsed.subject, subject.unicodeScalars.contains(where: isBreaking) {
                problems.append("\(label): decoded Subject holds a control or separator: \(subject.debugDescription)")
            }
        }
        return (outcome, problems)
    }

    static func isBreaking(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
            || scalar.value == 0x2029
    }

    /// CRLF only, no NUL, no line over 998 octets (RFC 5322 §2.1.1).
    static func checkWire(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        var lineStart = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0 { problems.append("NUL at \(i)") }
            if b == 13 {
                if i + 1 < bytes.count && bytes[i + 1] == 10 {
                    if i - lineStart > 998 { problems.append("line of \(i - lineStart) octets at \(lineStart)") }
                    i += 2
                    lineStart = i
                    continue
                }
                problems.append("bare CR at \(i)")
            }
            if b == 10 { problems.append("bare LF at \(i)") }
            i += 1
        }
        if bytes.count - lineStart > 998 { problems.append("last line of \(bytes.count - lineStart) octets") }
        return problems
    }

    /// The field names of a header block (bytes up to the first empty line).
    static func fieldNames(_ bytes: ArraySlice<UInt8>) -> [String] {
        var names: [String] = []
        var lineStart = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            guard bytes[i] == 10 else {
                i += 1
                continue
            }
            let line = bytes[lineStart..<i].last == 13 ? bytes[lineStart..<(i - 1)] : bytes[lineStart..<i]
            if line.isEmpty { break }
            if let first = line.first, first != 32, first != 9 {
                let name = line.prefix { $0 != UInt8(ascii: ":") }
                names.append(String(decoding: name, as: UTF8.self).lowercased())
            }
            i += 1
            lineStart = i
        }
        return names
    }

    /// Only the fields we write, each once, at the top and in each top-level part.
    static func checkFields(_ raw: [UInt8]) -> [String] {
        var problems: [String] = []
        let names = fieldNames(raw[...])
        for name in Set(names) {
            if !allowedTopFields.contains(name) { problems.append("unexpected header field \(name.debugDescription)") }
            if names.filter({ $0 == name }).count > 1 { problems.append("header field \(name) repeated") }
        }
        let parsed = MIMEMessage(bytes: raw)
        for part in parsed.root.children {
            let partNames = fieldNames(part.rawBytes)
            for name in partNames where !allowedPartFields.contains(name) {
                problems.append("unexpected part header field \(name.debugDescription)")
            }
        }
        if parsed.root.isMultipart, parsed.root.children.count != 2 {
            problems.append("\(parsed.root.children.count) parts, expected 2 (text, original)")
        }
        return problems
    }

    @Test("The corpus has at least 200 vectors from every carrier × every payload")
    func corpusSize() {
        #expect(InjectionCorpus.vectors.count >= 200)
        #expect(InjectionCorpus.vectors.count == InjectionCorpus.carriers.count * InjectionCorpus.payloads.count)
        // Each vector really carries its payload (the token was found).
        for carrier in InjectionCorpus.carriers {
            #expect(InjectionCorpus.template.contains(carrier.token), "\(carrier)")
        }
    }

    @Test("No vector adds a header field, a recipient, a bare CR/LF, a NUL or a line over 998 octets to what we send")
    func everyVector() async throws {
        var outcomes: [Outcome: Int] = [:]
        var failed = 0
        for vector in InjectionCorpus.vectors {
            let (outcome, problems) = try await Self.run(vector)
            outcomes[outcome, default: 0] += 1
            if !problems.isEmpty { failed += 1 }
            #expect(problems.isEmpty, "\(vector): \(problems)")
        }
        let summary = outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        print("Injection corpus: \(InjectionCorpus.vectors.count) vectors, \(failed) with problems; \(summary.joined(separator: ", "))")
    }

    @Test("The payload-free message is routed and acknowledged (the baseline the vectors change)")
    func baseline() async throws {
        let world = try World()
        world.mailbox.deliver(Array(InjectionCorpus.message(carrier: InjectionCorpus.carriers[0], payload: .init(name: "", bytes: [])) ))
        let report = try await world.poller.pollOnce()
        guard case .recorded(_, _, .routed)? = report.outcomes.first else {
            Issue.record("baseline not routed: \(report.outcomes)")
            return
        }
        #expect(try await world.dispatcher.dispatchDue().attempted == 2)
    }
}
