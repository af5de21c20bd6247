import Foundation
import LiaisonCore
import LiaisonStore

extension Liaison {
    /// The outgoing mail still pending (queued or retrying) and what failed for good
    /// (`liaison outbox [--json]`).
    public static func outbox(configPath: String, json: Bool) async throws -> String {
        let configuration = try configuration(at: configPath)
        let store = try SQLiteStore(path: configuration.databasePath)
        let entries = try await store.outboxEntries(in: [.pending, .failed])
        let pending = entries.filter { $0.state == .pending }
        let failed = entries.filter { $0.state == .failed }
        if json { return try OutboxJSON(pending: pending, failed: failed).encoded() + "\n" }
        return OutboxText.render(pending: pending, failed: failed)
    }

    /// Makes outbox entries due now (`liaison outbox retry ID…|--all`): a failed entry goes back
    /// to pending for its recipients not yet delivered; delivered recipients are never sent again.
    ///
    /// - Parameters:
    ///   - ids: entry identifiers as `liaison outbox` prints them (`12` or `#12`); ignored with `all`.
    ///   - now: when the entries become due (the current time, except in tests).
    public static func outboxRetry(ids: [String], all: Bool, configPath: String, now: Date = Date()) async throws -> String {
        let configuration = try configuration(at: configPath)
        let parsed = try ids.map { text -> Int64 in
            let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
            guard let id = Int64(digits), id > 0 else { throw OutboxCommandError.badID(text) }
            return id
        }
        let store = try SQLiteStore(path: configuration.databasePath)
        let retried = try await store.retryOutgoing(
            ids: all ? nil : parsed, at: now, by: "the operator (liaison outbox retry)")
        guard !retried.isEmpty else { return "nothing to retry: no outgoing mail is pending or failed\n" }
        var lines = retried.map { entry -> String in
            let about = entry.statement.map { " (\($0))" } ?? ""
            let what = "#\(entry.id) \(entry.kind) <\(entry.messageID)>\(about)"
            guard !entry.recipients.isEmpty else { return "\(what): delivered to every recipient, nothing to retry" }
            return "\(what): due now for \(entry.recipients.joined(separator: ", ")) (was \(entry.previousState.rawValue))"
        }
        if retried.contains(where: { !$0.recipients.isEmpty }) {
            lines.append("sent by the next outbox run (`liaison run`, or `liaison poll --once`)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Errors of `liaison outbox retry`.
public enum OutboxCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an outbox entry identifier like `12` or `#12`.
    case badID(String)

    public var description: String {
        switch self {
        case .badID(let text): "\(text) is not an outbox entry number like 12 or #12 (see liaison outbox)"
        }
    }
}

/// `liaison outbox` as text: a section for pending mail and one for failed mail.
enum OutboxText {
    static func render(pending: [OutgoingRecord], failed: [OutgoingRecord]) -> String {
        guard !pending.isEmpty || !failed.isEmpty else { return "outbox: nothing pending or failed\n" }
        var lines: [String] = []
        for (title, records) in [("Pending", pending), ("Failed", failed)] where !records.isEmpty {
            lines.append("\(title) (\(records.count)):")
            for record in records {
                var head = "  #\(record.id)  \(record.message.kind.rawValue)  \(record.message.statement?.description ?? "-")"
                head += "  <\(record.message.messageID)>  \(record.attempts) attempt\(record.attempts == 1 ? "" : "s")"
                if record.state == .pending {
                    head += record.nextAttemptAt.map { "  next \(OutboxText.time($0))" } ?? ""
                } else {
                    head += record.lastAttemptAt.map { "  last \(OutboxText.time($0))" } ?? ""
                }
                lines.append(head)
                for recipient in record.recipients {
                    var line = "      \(recipient.address)  \(recipient.state.rawValue)"
                    if let code = recipient.code { line += " \(code)" }
                    if let detail = recipient.detail, !detail.isEmpty { line += " \(OutboxText.oneLine(detail))" }
                    lines.append(line)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2026-11-22T10:05:00Z`.
    static func time(_ date: Date) -> String { date.formatted(.iso8601) }

    /// A server reply on one line, at most 200 characters: CR, LF and other controls become spaces.
    static func oneLine(_ text: String) -> String {
        let flat = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        return flat.count > 200 ? String(flat.prefix(199)) + "…" : flat
    }
}

/// `liaison outbox --json`: `{"pending": [entry…], "failed": [entry…]}`, keys sorted, every key
/// always present (`null` when there is no value). docs/outbox.md lists the keys.
struct OutboxJSON: Encodable {
    let pending: [Entry]
    let failed: [Entry]

    init(pending: [OutgoingRecord], failed: [OutgoingRecord]) {
        self.pending = pending.map(Entry.init)
        self.failed = failed.map(Entry.init)
    }

    struct Entry: Encodable {
        let record: OutgoingRecord

        enum Keys: String, CodingKey {
            case id, kind, statement, messageID, state, attempts, createdAt, lastAttemptAt, nextAttemptAt, recipients
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(record.id, forKey: .id)
            try container.encode(record.message.kind.rawValue, forKey: .kind)
            try container.encode(record.message.statement?.description, forKey: .statement)
            try container.encode(record.message.messageID, forKey: .messageID)
            try container.encode(record.state.rawValue, forKey: .state)
            try container.encode(record.attempts, forKey: .attempts)
            try container.encode(record.createdAt, forKey: .createdAt)
            try container.encode(record.lastAttemptAt, forKey: .lastAttemptAt)
            try container.encode(record.nextAttemptAt, forKey: .nextAttemptAt)
            try container.encode(record.recipients.map(Recipient.init), forKey: .recipients)
        }
    }

    struct Recipient: Encodable {
        let status: OutgoingRecipientStatus

        enum Keys: String, CodingKey {
            case address, state, code, detail, updatedAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(status.address, forKey: .address)
            try container.encode(status.state.rawValue, forKey: .state)
            try container.encode(status.code, forKey: .code)
            try container.encode(status.detail, forKey: .detail)
            try container.encode(status.updatedAt, forKey: .updatedAt)
        }
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
