import Synchronization

/// A flag the awaiting task sets when it is cancelled and the worker's transfer polls.
///
/// libcurl calls the transfer-progress callback at least once a second; it reads this flag and
/// aborts the transfer (`CURLE_ABORTED_BY_CALLBACK`), which also closes the connection, so the
/// handle is never left half-way through a command.
final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates a token that is not cancelled.
    init() {}

    /// Whether the awaiting task was cancelled.
    var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Marks the token cancelled; safe from any thread.
    func cancel() { flag.store(true, ordering: .releasing) }

    /// Throws `CancellationError` when the token is cancelled.
    func check() throws(CancellationError) {
        if isCancelled { throw CancellationError() }
    }
}
