import HourlyImageAPI
import HourlyImageCore
import Testing

@Suite("afterFetch: the one step after a fetch, without listing the disk again")
struct AfterFetchTests {
    @Test("a first fetch becomes current, expiring a TTL later, and nothing more is fetched")
    func firstFetch() {
        let r = resource(ttl: "30m")
        let first = Lifecycle.decide(r, blobs: [], now: t0)
        #expect(first.fetch == .current)
        let after = Lifecycle.afterFetch(.success(image("a")), slot: .current, decision: first, resource: r, blobs: [], now: t0, jitter: 0.5)
        #expect(after.status.current?.sha256 == image("a").sha256)
        #expect(after.status.current?.expiresAt == at(1800))
        #expect(after.fetch == nil, "the fetched file counts as on the volume")
    }

    @Test("a fetched file already on the volume (same content) is not counted twice, so nothing is pruned by it")
    func sameContent() {
        let r = serving(ttl: "1h", graceCount: 1, keep: 1)
        let onDisk = blobs(image("a"))
        let first = Lifecycle.decide(r, blobs: onDisk, now: at(3600))
        #expect(first.fetch == .pending)
        let after = Lifecycle.afterFetch(
            .success(image("a")), slot: .pending, decision: first, resource: r, blobs: onDisk, now: at(3600), jitter: 0.5)
        #expect(!after.actions.contains { if case .prune = $0 { true } else { false } })
    }

    @Test("a failed fetch keeps the served image and records the failure with a backoff")
    func failure() {
        let r = serving(ttl: "1h")
        let onDisk = blobs(image("a"))
        let first = Lifecycle.decide(r, blobs: onDisk, now: at(3600))
        let after = Lifecycle.afterFetch(
            .failure(FetchFailure(reason: .timeout, message: "slow")), slot: .pending, decision: first, resource: r, blobs: onDisk,
            now: at(3600), jitter: 0.5)
        #expect(after.status.current?.sha256 == image("a").sha256)
        #expect(after.status.consecutiveFailures == 1)
        #expect(after.status.nextAttemptTime == at(3605))
    }
}
