import Foundation

/// Polls `condition` every `interval` until it holds or `timeout` passes, and looks once more at the deadline: a
/// stalled machine delays the answer but never turns a condition that came true into a failure.
public func pollUntil(timeout: Duration, every interval: Duration = .milliseconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
