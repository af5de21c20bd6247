import Foundation
import Synchronization

/// A wake-up call between services: the intake and reminder services ``signal()`` when they have
/// queued mail, and the outbox service, waiting between runs, starts its next run at once.
///
/// Signals coalesce: any number of them while nobody waits wakes the next ``wait(upTo:)`` once,
/// so a signal is never lost and never piles up. (An `AsyncStream` does not fit: cancelling a
/// task that awaits its `next()` terminates the whole stream.)
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes the waiters, or the next wait when nobody waits now.
    func signal() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            return waiting
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether a signal waits for the next wait (for tests).
    var hasPendingSignal: Bool { state.withLock { $0.pending } }

    /// How many tasks wait now (for tests).
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Returns after `duration`, at the first signal, or when the task is cancelled, whichever
    /// comes first.
    func wait(upTo duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: duration) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns at the first signal (or at once for one that came while nobody waited), or when
    /// the task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    // Cancelled before it waited: leave a pending signal for the next wait.
                    if Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
