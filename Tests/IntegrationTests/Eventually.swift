/// Waits (bounded) until `condition` holds, checking every 200 ms; whether it came to hold.
///
/// The integration tests watch a real daemon and real mailboxes, whose timing they cannot know:
/// they wait for the state they expect, never for a fixed time.
func eventually(_ timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}
