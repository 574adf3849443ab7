import SystemSupport

/// The one policy behind every retry, as controller-runtime's reconcile result and kube-rs'
/// `error_policy` are: what a failed step does next, by why it failed and how often in a row.
///
/// The reconciler asks it after a write lost a race, the web after a grace-view compare-and-swap
/// did, the controller after a pass threw (a store or volume error, or a conflict this policy gave
/// up retrying at once), and `Lifecycle.record` after a fetch failed (the answer is written to
/// `status.nextAttemptTime`, so a restart keeps the schedule). Cancellation is not a failure.
public struct RetryPolicy: Sendable, Hashable {
    /// Why a step failed.
    public enum Failure: Sendable, Hashable {
        /// A write lost a race: the object changed since it was read (HTTP 409, a failed compare-and-swap).
        case conflict
        /// The store or the volume failed: the API server unreachable or refusing, a disk error.
        case unavailable
        /// The image source failed; the status records the failure.
        case fetch
    }

    /// What to do next.
    public enum Next: Sendable, Hashable {
        /// Re-read the object and try again at once, in the same pass (or the same page view).
        case retryNow
        /// Give the key back to the queue, to run again after this many seconds.
        case requeue(afterSeconds: Double)
    }

    /// Conflicts retried at once, with a fresh read, before the key goes back to the queue.
    public var conflictRetries: Int
    /// The schedule after failed passes (store or volume errors), per key.
    public var errors: Backoff
    /// The schedule after failed fetches, of docs/design.md.
    public var fetches: Backoff

    /// Creates a policy.
    public init(conflictRetries: Int, errors: Backoff, fetches: Backoff) {
        self.conflictRetries = conflictRetries
        self.errors = errors
        self.fetches = fetches
    }

    /// Four immediate conflict retries; passes back off 1 s, 2 s, 4 s … 300 s; fetches 5 s, 10 s, 20 s … 300 s, ±10 %.
    public static let standard = RetryPolicy(
        conflictRetries: 4, errors: Backoff(initial: 1, maximum: 300, jitter: 0), fetches: Backoff(initial: 5, maximum: 300, jitter: 0.1))

    /// What follows the `attempt`th failure of this kind in a row (1 = the first); `unit` is a random number in [0, 1) for jitter.
    public func next(after failure: Failure, attempt: Int, unit: Double = 0.5) -> Next {
        switch failure {
        case .conflict:
            if attempt <= conflictRetries { return .retryNow }
            let (beyond, overflow) = attempt.subtractingReportingOverflow(conflictRetries)
            return .requeue(afterSeconds: errors.delay(failures: overflow ? .max : beyond, unit: unit))
        case .unavailable:
            return .requeue(afterSeconds: errors.delay(failures: attempt, unit: unit))
        case .fetch:
            return .requeue(afterSeconds: fetches.delay(failures: attempt, unit: unit))
        }
    }

    /// The seconds to wait after the `attempt`th failure of this kind in a row (0 for an immediate retry).
    public func delay(after failure: Failure, attempt: Int, unit: Double = 0.5) -> Double {
        switch next(after: failure, attempt: attempt, unit: unit) {
        case .retryNow: 0
        case .requeue(let seconds): seconds
        }
    }
}
