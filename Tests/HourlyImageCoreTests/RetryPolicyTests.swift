import SystemSupport
import Testing

@testable import HourlyImageCore

@Suite("One retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy.standard

    @Test("a lost race is retried at once, four times, then handed to the queue with the error backoff")
    func conflicts() {
        #expect((1...4).map { policy.next(after: .conflict, attempt: $0) } == Array(repeating: .retryNow, count: 4))
        #expect(policy.next(after: .conflict, attempt: 5) == .requeue(afterSeconds: 1))
        #expect(policy.next(after: .conflict, attempt: 7) == .requeue(afterSeconds: 4))
        #expect(policy.delay(after: .conflict, attempt: 1) == 0)
    }

    @Test("failed passes back off 1 s, 2 s, 4 s … 300 s without jitter", arguments: zip([1, 2, 3, 9, 10, 1000, Int.max], [1.0, 2, 4, 256, 300, 300, 300]))
    func unavailable(attempt: Int, seconds: Double) {
        #expect(policy.next(after: .unavailable, attempt: attempt, unit: 0) == .requeue(afterSeconds: seconds))
        #expect(policy.next(after: .unavailable, attempt: attempt, unit: 0.99) == .requeue(afterSeconds: seconds))
    }

    @Test("failed fetches follow docs/design.md: 5 s doubling to 300 s, ±10 %")
    func fetches() {
        #expect(policy.delay(after: .fetch, attempt: 1) == 5)
        #expect(policy.delay(after: .fetch, attempt: 2) == 10)
        #expect(policy.delay(after: .fetch, attempt: 8) == 300)
        #expect(policy.delay(after: .fetch, attempt: 1, unit: 0) == 4.5)
        #expect(policy.delay(after: .fetch, attempt: 1, unit: 1) == 5.5)
    }

    @Test("hostile counts never trap: zero, negative and extreme attempts and retry limits")
    func hostileCounts() {
        for attempt in [Int.min, -1, 0] {
            #expect(policy.next(after: .conflict, attempt: attempt) == .retryNow)
            #expect(policy.delay(after: .unavailable, attempt: attempt) == 0)
        }
        let odd = RetryPolicy(conflictRetries: Int.min, errors: policy.errors, fetches: policy.fetches)
        #expect(odd.next(after: .conflict, attempt: Int.max) == .requeue(afterSeconds: 300))
        #expect(odd.next(after: .conflict, attempt: 1) == .requeue(afterSeconds: 300))
        let none = RetryPolicy(conflictRetries: 0, errors: policy.errors, fetches: policy.fetches)
        #expect(none.next(after: .conflict, attempt: 1) == .requeue(afterSeconds: 1))
    }

    @Test("the lifecycle's nextAttemptTime comes from the policy it is given")
    func lifecycleUsesPolicy() {
        let slow = RetryPolicy(conflictRetries: 4, errors: policy.errors, fetches: Backoff(initial: 60, maximum: 600, jitter: 0))
        let failure = FetchFailure(reason: .httpError, message: "HTTP 503")
        let first = Lifecycle.decide(resource(), blobs: [], now: t0, policy: slow)
        let failed = Lifecycle.afterFetch(.failure(failure), slot: .current, decision: first, resource: resource(), blobs: [], now: t0, jitter: 0.5, policy: slow)
        #expect(failed.status.nextAttemptTime == at(60))
        #expect(failed.requeueAt == at(60))
        let later = Lifecycle.decide(resource(status: failed.status), blobs: [], now: at(59), policy: slow)
        #expect(later.fetch == nil, "no fetch before the policy's delay")
        #expect(Lifecycle.decide(resource(status: failed.status), blobs: [], now: at(60), policy: slow).fetch == .current)
    }
}
