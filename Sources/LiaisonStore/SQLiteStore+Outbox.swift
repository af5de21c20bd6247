import Foundation
import GRDB
import LiaisonCore

extension SQLiteStore {
    /// Outbox entries whose next attempt is due at `now` (state `pending`,
    /// `next_attempt_at <= now`), oldest first, each with the recipients still to try
    /// (`pending` or `temporary-failure`) in envelope order.
    public func dueOutgoing(at now: Date) async throws -> [OutboxEntry] {
        try await read("list the outgoing mail due") { db in
            let rows = try OutgoingMessageRecord
                .filter(OutgoingMessageRecord.Columns.state == OutgoingMessageRecord.State.pending)
                .filter(OutgoingMessageRecord.Columns.nextAttemptAt != nil)
                .filter(OutgoingMessageRecord.Columns.nextAttemptAt <= now)
                .order(OutgoingMessageRecord.Columns.createdAt, OutgoingMessageRecord.Columns.id)
                .fetchAll(db)
            return try rows.compactMap { row -> OutboxEntry? in
                guard let id = row.id else { return nil }
                let recipients = try Self.recipients(db, of: id)
                let pending = recipients.filter(\.isOpen).map(\.address)
                guard !pending.isEmpty else { return nil }
                return OutboxEntry(
                    id: id,
                    message: try row.message(recipients: recipients.map(\.address)),
                    pendingRecipients: pending,
                    attempts: row.attempts,
                    createdAt: row.createdAt,
                    retriedAt: row.retriedAt
                )
            }
        }
    }

    /// Records the results of one attempt to send an outbox entry, in one transaction.
    ///
    /// Each result updates its recipient (matched by address, ignoring case; results for
    /// addresses not pending are ignored, a settled recipient never changes again). The entry's
    /// `attempts` grows by one and its next attempt is set to `nextAttempt`. When no recipient
    /// is left to try, or `nextAttempt` is `nil` (give up: recipients still failing temporarily
    /// become `permanent-failure` with detail `given up…`), the entry becomes `done` (all
    /// delivered) or `failed`. When the message is about a statement, a `mail-sent` event
    /// (kind, Message-ID, the delivered recipients) and/or a `mail-failed` event (the failed
    /// addresses with their codes) are added to its history. `notice` (the delivery-failure notice
    /// to the liaison manager) is stored in the outbox in the same transaction, so no crash can
    /// leave the failure recorded and its notice lost.
    public func recordAttempt(
        outboxID: Int64, results: [RecipientResult], at date: Date, nextAttempt: Date?, notice: OutgoingMessage?
    ) async throws {
        try await write("record a delivery attempt of outbox entry \(outboxID)") { db in
            guard var message = try OutgoingMessageRecord.fetchOne(db, key: outboxID) else {
                throw StoreError.unknownOutboxEntry(id: outboxID)
            }
            var recipients = try Self.recipients(db, of: outboxID)
            // What this attempt did to each recipient it touched, by index, for the events.
            var outcomes: [Int: String] = [:]
            for result in results {
                guard let index = recipients.firstIndex(where: { $0.isOpen && $0.address.lowercased() == result.address.lowercased() })
                else { continue }
                switch result.outcome {
                case .delivered: recipients[index].state = .delivered
                case .temporaryFailure: recipients[index].state = .temporaryFailure
                case .permanentFailure: recipients[index].state = .permanentFailure
                }
                recipients[index].code = result.code
                recipients[index].detail = result.detail
                recipients[index].updatedAt = date
                outcomes[index] = result.outcome == .permanentFailure ? "permanent" : "temporary"
            }
            if nextAttempt == nil {
                for index in recipients.indices where recipients[index].isOpen {
                    let last = recipients[index].detail ?? ""
                    outcomes[index] = recipients[index].state == .pending ? "never tried, given up" : "temporary, given up"
                    recipients[index].state = .permanentFailure
                    recipients[index].detail = last.isEmpty ? "given up" : "given up: \(last)"
                    recipients[index].updatedAt = date
                }
            }
            var delivered: [String] = []
            var failed: [String] = []
            for index in outcomes.keys.sorted() {
                let recipient = recipients[index]
                try recipient.update(db)
                if recipient.state == .delivered {
                    delivered.append(recipient.address)
                } else {
                    failed.append("\(recipient.address) \(recipient.code.map { String($0) } ?? "-") (\(outcomes[index] ?? ""))")
                }
            }

            message.attempts += 1
            message.lastAttemptAt = date
            if recipients.contains(where: \.isOpen) {
                message.nextAttemptAt = nextAttempt
            } else {
                message.nextAttemptAt = nil
                message.state = recipients.allSatisfy { $0.state == .delivered } ? .done : .failed
            }
            try message.update(db)

            if let reference = message.statementReference {
                let what = "\(message.kind) <\(message.messageID)>"
                if !delivered.isEmpty {
                    var event = StatementEventRecord(
                        statementReference: reference, kind: "mail-sent",
                        detail: "\(what) delivered to \(delivered.count) recipient\(delivered.count == 1 ? "" : "s"): "
                            + delivered.joined(separator: ", "),
                        at: date)
                    try event.insert(db)
                }
                if !failed.isEmpty {
                    var detail = "\(what) failed for " + failed.joined(separator: ", ")
                    if message.state == .pending, let nextAttempt {
                        detail += "; next attempt \(Self.timestamp(nextAttempt))"
                    }
                    var event = StatementEventRecord(statementReference: reference, kind: "mail-failed", detail: detail, at: date)
                    try event.insert(db)
                }
            }
            if let notice {
                if let reference = notice.statement, try !StatementRecord.exists(db, key: reference.description) {
                    throw StoreError.unknownStatement(reference: reference.description)
                }
                try Self.insert(db, outgoing: notice, at: date)
            }
        }
    }

    /// The number of outbox entries still pending (waiting for a first attempt or a retry).
    public func outboxDepth() async throws -> Int {
        try await read("count the outbox") { db in
            try OutgoingMessageRecord
                .filter(OutgoingMessageRecord.Columns.state == OutgoingMessageRecord.State.pending)
                .fetchCount(db)
        }
    }

    /// Every outgoing message about a statement, oldest first, with each recipient's state.
    public func outgoing(reference: StatementReference) async throws -> [OutgoingRecord] {
        try await read("list the outgoing mail of \(reference)") { db in
            try OutgoingMessageRecord
                .filter(OutgoingMessageRecord.Columns.statementReference == reference.description)
                .order(OutgoingMessageRecord.Columns.createdAt, OutgoingMessageRecord.Columns.id)
                .fetchAll(db)
                .compactMap { try Self.outgoingRecord(db, row: $0) }
        }
    }

    /// The recipients of an outgoing message, in envelope order.
    static func recipients(_ db: Database, of outgoingID: Int64) throws -> [OutgoingRecipientRecord] {
        try OutgoingRecipientRecord
            .filter(OutgoingRecipientRecord.Columns.outgoingMessageID == outgoingID)
            .order(OutgoingRecipientRecord.Columns.id)
            .fetchAll(db)
    }

    /// `2026-05-04T10:00:00Z`, for event details.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
