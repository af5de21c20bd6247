import Foundation

/// Sends the due outbox entries and records every recipient's result.
///
/// Nothing is rendered here: the stored bytes are sent as they are, so a retry carries the same
/// Message-ID as the first attempt.
public struct OutboxDispatcher: Sendable {
    private let store: any StatementStore
    private let sender: any MailSender
    private let clock: any WallClock
    private let retryPolicy: RetryPolicy
    private let notices: OutgoingMailFactory?
    private let crashPoints: CrashPoints

    /// Creates a dispatcher.
    ///
    /// - Parameter notices: builds the notice to the liaison manager when recipients fail for
    ///   good (5xx, or given up); `nil` sends none.
    /// - Parameter crashPoints: test-only hook told of each send and record (``CrashPoint``).
    public init(
        store: any StatementStore,
        sender: any MailSender,
        clock: any WallClock,
        retryPolicy: RetryPolicy = RetryPolicy(),
        notices: OutgoingMailFactory? = nil,
        crashPoints: CrashPoints = .none
    ) {
        self.store = store
        self.sender = sender
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.notices = notices
        self.crashPoints = crashPoints
    }

    /// What one run of the dispatcher did.
    public struct Summary: Sendable, Equatable {
        /// Messages attempted.
        public var attempted = 0
        /// Recipients delivered.
        public var delivered = 0
        /// Recipients to be retried later.
        public var deferred = 0
        /// Recipients that failed permanently (or were given up).
        public var failed = 0

        /// Creates an empty summary.
        public init() {}
    }

    /// Sends every entry that is due now.
    ///
    /// - Throws: only when the store cannot be read or written; send failures are recorded.
    @discardableResult
    public func dispatchDue() async throws -> Summary {
        var summary = Summary()
        for entry in try await store.dueOutgoing(at: clock.now()) where !Task.isCancelled {
            let envelope = MailEnvelope(sender: entry.message.envelope.sender, recipients: entry.pendingRecipients)
            let results: [RecipientResult]
            do {
                results = try await sender.send(entry.message.raw, envelope: envelope)
            } catch {
                results = entry.pendingRecipients.map {
                    RecipientResult(address: $0, outcome: .temporaryFailure, code: 0, detail: String(describing: error))
                }
            }
            let now = clock.now()
            let retry = results.contains { $0.outcome == .temporaryFailure }
            let next = retry ? retryPolicy.nextAttempt(after: entry.attempts + 1, createdAt: entry.retryWindowStart, now: now) : nil
            let failed = results.filter { $0.outcome == .permanentFailure || ($0.outcome == .temporaryFailure && next == nil) }
            // A notice about a failed notice would only loop.
            var notice: OutgoingMessage?
            if !failed.isEmpty, entry.message.kind != .deliveryFailure, let notices {
                notice = try? notices.deliveryFailureNotice(about: entry.message, failures: failed, now: now)
            }
            crashPoints.reached(.afterSend)
            // The results and the notice in one transaction: no crash can record the failure and lose the notice.
            try await store.recordAttempt(outboxID: entry.id, results: results, at: now, nextAttempt: next, notice: notice)
            crashPoints.reached(.afterRecord)
            summary.attempted += 1
            for result in results {
                switch result.outcome {
                case .delivered: summary.delivered += 1
                case .temporaryFailure: if next == nil { summary.failed += 1 } else { summary.deferred += 1 }
                case .permanentFailure: summary.failed += 1
                }
            }
        }
        return summary
    }
}
