import Foundation

/// When to try a temporarily failed message again, and when to give up.
///
/// The default backs off from 5 minutes, doubling up to 1 hour, and gives up after 5 days, like
/// the usual MTA queue lifetimes.
public struct RetryPolicy: Sendable, Equatable {
    /// The delay after the first failed attempt.
    public var initialDelay: TimeInterval
    /// The longest delay between two attempts.
    public var maximumDelay: TimeInterval
    /// How long after a message was stored Liaison stops trying.
    public var giveUpAfter: TimeInterval

    /// Creates a policy.
    public init(initialDelay: TimeInterval = 300, maximumDelay: TimeInterval = 3600, giveUpAfter: TimeInterval = 5 * 86400) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.giveUpAfter = giveUpAfter
    }

    /// The time of the next attempt after `attempts` failed ones, or `nil` when it is time to give up.
    public func nextAttempt(after attempts: Int, createdAt: Date, now: Date) -> Date? {
        let exponent = Double(max(0, attempts - 1))
        let delay = min(maximumDelay, initialDelay * pow(2, min(exponent, 30)))
        let next = now.addingTimeInterval(delay)
        return next.timeIntervalSince(createdAt) > giveUpAfter ? nil : next
    }
}
