import Foundation

/// The source of the current date and time; injected so that tests drive time.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// A clock that always reads a settable instant, for tests and dry runs.
public final class FixedClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date

    /// Creates a clock that reads `instant` until it is moved.
    public init(_ instant: Date) {
        self.instant = instant
    }

    public func now() -> Date {
        lock.withLock { instant }
    }

    /// Moves the clock to `instant`.
    public func set(_ instant: Date) {
        lock.withLock { self.instant = instant }
    }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        lock.withLock { instant += seconds }
    }
}
