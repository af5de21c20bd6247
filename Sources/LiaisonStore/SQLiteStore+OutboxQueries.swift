import Foundation
import GRDB
public import LiaisonCore

extension SQLiteStore {
    /// The outbox entries in the given states, oldest first, each with every recipient's state:
    /// what `liaison outbox` lists (pending and failed).
    public func outboxEntries(in states: [OutgoingRecord.State]) async throws -> [OutgoingRecord] {
        let names = states.map(\.rawValue)
        return try await read("list the outbox") { db in
            try OutgoingMessageRecord
                .filter(names.contains(OutgoingMessageRecord.Columns.state))
                .order(OutgoingMessageRecord.Columns.createdAt, OutgoingMessageRecord.Columns.id)
                .fetchAll(db)
                .compactMap { try Self.outgoingRecord(db, row: $0) }
        }
    }

    /// One outbox entry by its identifier (the `#12` of `liaison outbox`), or `nil`.
    public func outboxEntry(id: Int64) async throws -> OutgoingRecord? {
        try await read("read outbox entry \(id)") { db in
            try OutgoingMessageRecord.fetchOne(db, key: id).flatMap { try Self.outgoingRecord(db, row: $0) }
        }
    }

    /// Makes outbox entries due at `now`, in one transaction (`liaison outbox retry`).
    ///
    /// A pending entry keeps its recipients and is simply due at `now`. A failed entry goes back
    /// to pending: its permanently failed (or given up) recipients become `pending` again, keeping
    /// their last code and detail; recipients already delivered stay delivered and are never sent
    /// to again. An entry delivered to everyone (`done`) is left alone and reported with no
    /// recipients. Each retried entry about a statement gets a `mail-retry` event naming `by`.
    ///
    /// - Parameter ids: the entries to retry; `nil` retries every pending and failed entry.
    /// - Throws: ``StoreError/unknownOutboxEntry(id:)`` when an identifier names no entry (and
    ///   nothing is changed).
    public func retryOutgoing(ids: [Int64]?, at now: Date, by who: String) async throws -> [OutboxRetry] {
        try await write("retry outbox entries") { db in
            let rows: [OutgoingMessageRecord]
            if let ids {
                rows = try ids.map { id in
                    guard let row = try OutgoingMessageRecord.fetchOne(db, key: id) else {
                        throw StoreError.unknownOutboxEntry(id: id)
                    }
                    return row
                }
            } else {
                rows = try OutgoingMessageRecord
                    .filter([OutgoingMessageRecord.State.pending.rawValue, OutgoingMessageRecord.State.failed.rawValue]
                        .contains(OutgoingMessageRecord.Columns.state))
                    .order(OutgoingMessageRecord.Columns.createdAt, OutgoingMessageRecord.Columns.id)
                    .fetchAll(db)
            }
            var retried: [OutboxRetry] = []
            for var row in rows {
                guard let id = row.id else { continue }
                let previous = OutgoingRecord.State(rawValue: row.state.rawValue) ?? .pending
                var due: [String] = []
                for var recipient in try Self.recipients(db, of: id) {
                    switch recipient.state {
                    case .pending, .temporaryFailure:
                        due.append(recipient.address)
                    case .permanentFailure:
                        recipient.state = .pending
                        recipient.updatedAt = now
                        try recipient.update(db)
                        due.append(recipient.address)
                    case .delivered:
                        continue
                    }
                }
                if !due.isEmpty {
                    row.state = .pending
                    row.nextAttemptAt = now
                    row.retriedAt = now
                    try row.update(db)
                    if let reference = row.statementReference {
                        var event = StatementEventRecord(
                            statementReference: reference, kind: "mail-retry",
                            detail: "\(row.kind) <\(row.messageID)> due again now for \(due.joined(separator: ", "))"
                                + " (was \(previous.rawValue)), asked by \(who)",
                            at: now)
                        try event.insert(db)
                    }
                }
                retried.append(
                    OutboxRetry(
                        id: id, messageID: row.messageID, kind: row.kind,
                        statement: row.statementReference.flatMap(StatementReference.init), previousState: previous,
                        recipients: due))
            }
            return retried
        }
    }

    /// The public record of one `outgoing_message` row with its recipients; `nil` for an unsaved row.
    static func outgoingRecord(_ db: Database, row: OutgoingMessageRecord) throws -> OutgoingRecord? {
        guard let id = row.id else { return nil }
        let recipients = try recipients(db, of: id)
        return OutgoingRecord(
            id: id,
            message: try row.message(recipients: recipients.map(\.address)),
            state: OutgoingRecord.State(rawValue: row.state.rawValue) ?? .pending,
            attempts: row.attempts,
            createdAt: row.createdAt,
            lastAttemptAt: row.lastAttemptAt,
            nextAttemptAt: row.nextAttemptAt,
            recipients: recipients.map(\.status)
        )
    }
}
