import Dispatch

/// Runs blocking work on one private serial `DispatchQueue`, off Swift's cooperative pool.
///
/// The executor owns a piece of non-`Sendable` state (a libcurl session) and only ever touches it
/// from jobs on its queue, one job at a time, so the easy handle inside is never used by two
/// threads at once. A job is a whole operation (e.g. "size FETCH, URL fetch, restore `\Seen`").
///
/// Cancelling the awaiting task sets the job's ``CancellationToken``: a job that has not started
/// yet is skipped, a running one aborts its transfer at libcurl's next progress call. The
/// continuation is only resumed when the job has really finished with the state, so a cancelled
/// caller can never race the next job for the handle.
final class BlockingExecutor<State>: @unchecked Sendable {
    // @unchecked: `state` is only read or written on `queue` (see `run` and `deinit`).
    private let queue: DispatchQueue
    private var state: State?

    /// Creates an executor whose queue is labelled `label`, owning `state`.
    init(label: String, state: State) {
        self.queue = DispatchQueue(label: label)
        self.state = state
    }

    deinit {
        // Release the state (and so the easy handle, whose cleanup may send LOGOUT/QUIT and
        // block) on the queue, not on whichever thread dropped the last reference.
        let box = StateBox(state)
        state = nil
        queue.async { box.release() }
    }

    /// Runs `work` with the state on the executor's queue and returns its result.
    ///
    /// - Throws: whatever `work` throws, or `CancellationError` when the task was cancelled
    ///   before the job started.
    func run<T: Sendable>(
        _ work: @escaping @Sendable (State, CancellationToken) throws -> T
    ) async throws -> T {
        let token = CancellationToken()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.async {
                    guard !token.isCancelled, let state = self.state else {
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    continuation.resume(with: Result { try work(state, token) })
                }
            }
        } onCancel: {
            token.cancel()
        }
    }
}

/// Carries the state to the queue for release in `deinit`.
private final class StateBox<State>: @unchecked Sendable {
    // @unchecked: written once here, released once on the executor's queue.
    private var state: State?

    init(_ state: State?) { self.state = state }

    func release() { state = nil }
}
