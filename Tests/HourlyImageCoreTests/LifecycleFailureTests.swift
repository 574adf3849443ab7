import HourlyImageAPI
import SystemSupport
import Testing

@testable import HourlyImageCore

@Suite("Fetch failures and backoff")
struct LifecycleFailureTests {
    static let failure = FetchFailure(reason: .httpError, message: "https://picsum.photos/1200 answered HTTP 503")

    @Test("a failed first fetch leaves Ready=False/FetchFailed, Degraded=True and a backoff", arguments: FailureReason.allCases)
    func failureWithoutCurrent(reason: FailureReason) {
        let p = pass(resource(), now: t0, onDisk: [], fetch: .failure(FetchFailure(reason: reason, message: "boom")), jitter: 0.5)
        #expect(p.final.status.current == nil)
        #expect(p.final.condition("Ready")?.status == .false)
        #expect(p.final.condition("Ready")?.reason == "FetchFailed")
        #expect(p.final.condition("Degraded")?.status == .true)
        #expect(p.final.condition("Degraded")?.reason == reason.rawValue)
        #expect(p.final.status.consecutiveFailures == 1)
        #expect(p.final.status.nextAttemptTime == at(5))
        #expect(p.final.fetch == nil, "no retry before the backoff ends")
        #expect(p.final.requeueAt == at(5))
    }

    @Test("a failed prefetch never drops the image being served")
    func failureKeepsCurrent() {
        let p = pass(serving(), now: at(3600), onDisk: blobs(image("a")), fetch: .failure(Self.failure))
        #expect(p.final.status.current?.sha256 == image("a").sha256)
        #expect(p.final.condition("Ready")?.status == .true)
        #expect(p.final.condition("Degraded")?.status == .true)
        #expect(p.final.condition("Degraded")?.reason == "HTTPError")
        #expect(p.final.condition("Degraded")?.message.contains("still serving the previous image") == true)
        #expect(p.final.pruned.isEmpty)
    }

    @Test("once the backoff ends the fetch is retried; success resets the failure count")
    func retryAfterBackoff() {
        var r = pass(serving(), now: at(3600), onDisk: blobs(image("a")), fetch: .failure(Self.failure)).resource
        #expect(Lifecycle.decide(r, blobs: blobs(image("a")), now: at(3604)).fetch == nil)
        r = pass(r, now: at(3605), onDisk: blobs(image("a")), fetch: .success(image("b", fetchedAt: at(3605)))).resource
        #expect(r.status?.consecutiveFailures == 0)
        #expect(r.status?.nextAttemptTime == nil)
        #expect(r.status?.conditions?[type: "Degraded"]?.status == .false)
        #expect(r.status?.pending?.sha256 == image("b").sha256)
    }

    @Test("the base backoff doubles from 5 s and stops at 5 min", arguments: zip(1...9, [5.0, 10, 20, 40, 80, 160, 300, 300, 300]))
    func backoffSchedule(failures: Int, seconds: Double) {
        #expect(RetryPolicy.standard.fetches.baseDelay(failures: failures) == seconds)
        #expect(RetryPolicy.standard.fetches.delay(failures: failures, unit: 0.5) == seconds)
    }

    @Test("jitter stays within ±10 % of the base delay", arguments: [0.0, 0.25, 0.5, 0.75, 0.999_999, 1.0, -3, 7])
    func jitterBounds(unit: Double) {
        for failures in 1...12 {
            let base = RetryPolicy.standard.fetches.baseDelay(failures: failures)
            let delay = RetryPolicy.standard.fetches.delay(failures: failures, unit: unit)
            #expect(delay >= base * 0.9 && delay <= base * 1.1)
        }
        #expect(RetryPolicy.standard.fetches.delay(failures: 1, unit: 0) == 4.5)
        #expect(RetryPolicy.standard.fetches.delay(failures: 20, unit: 1) == 330)
    }

    @Test("failures in a row lengthen the wait recorded in nextAttemptTime")
    func consecutiveFailuresBackOff() {
        var r = resource()
        var now = t0
        var waits: [Int64] = []
        for _ in 0..<8 {
            let p = pass(r, now: now, onDisk: [], fetch: .failure(Self.failure))
            r = p.resource
            let next = r.status!.nextAttemptTime!
            waits.append(next.seconds(since: now))
            now = next
        }
        #expect(waits == [5, 10, 20, 40, 80, 160, 300, 300])
        #expect(r.status?.consecutiveFailures == 8)
    }

    @Test("a spec change skips the remaining backoff")
    func specChangeSkipsBackoff() {
        var r = pass(resource(), now: t0, onDisk: [], fetch: .failure(Self.failure)).resource
        r.metadata.generation = 2
        r.spec.url = "https://example.com/other.jpg"
        #expect(Lifecycle.decide(r, blobs: [], now: at(1)).fetch == .current)
    }
}
