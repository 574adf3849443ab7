import HourlyImageAPI
import SystemSupport
import Testing

@testable import HourlyImageCore

@Suite("Step 1: no current image")
struct LifecycleFirstFetchTests {
    @Test("a new resource fetches into current right away")
    func newResourceFetchesCurrent() {
        let d = Lifecycle.decide(resource(), blobs: [], now: t0)
        #expect(d.fetch == .current)
        #expect(d.condition("Ready")?.status == .false)
        #expect(d.condition("Ready")?.reason == "NoImageYet")
        #expect(d.condition("Fresh")?.reason == "NoImageYet")
        #expect(d.status.observedGeneration == 1)
    }

    @Test("a successful first fetch serves the image with expiresAt = now + ttl and zero grace views")
    func firstFetchSucceeds() {
        let p = pass(resource(ttl: "90s"), now: t0, onDisk: [], fetch: .success(image("a")))
        let current = p.final.status.current
        #expect(current?.sha256 == image("a").sha256)
        #expect(current?.servedSince == t0)
        #expect(current?.expiresAt == at(90))
        #expect(p.final.status.graceViews == 0)
        #expect(p.final.status.consecutiveFailures == 0)
        #expect(p.final.condition("Ready")?.status == .true)
        #expect(p.final.condition("Ready")?.reason == "ImageAvailable")
        #expect(p.final.condition("Fresh")?.status == .true)
        #expect(p.final.condition("Degraded")?.status == .false)
        #expect(p.final.condition("Degraded")?.reason == "AsExpected")
        #expect(p.final.requeueAt == at(90))
        #expect(p.final.fetch == nil)
    }

    @Test("a missing finalizer is added; a deleting resource is finalized and nothing else")
    func finalizer() {
        let fresh = Lifecycle.decide(resource(finalizer: false), blobs: [], now: t0)
        #expect(fresh.actions.first == .addFinalizer)
        #expect(Lifecycle.decide(resource(finalizer: false), blobs: [], now: t0, manageFinalizer: false).actions == [.fetch(.current)])
        var deleting = serving()
        deleting.metadata.deletionTimestamp = t0
        let d = Lifecycle.decide(deleting, blobs: blobs(image("a")), now: at(10))
        #expect(d.actions == [.finalize])
        deleting.metadata.finalizers = []
        #expect(Lifecycle.decide(deleting, blobs: [], now: at(10)).actions.isEmpty)
    }

    @Test("an image file that vanished from the volume is fetched again into current")
    func lostFileRefetched() {
        let d = Lifecycle.decide(serving(), blobs: [], now: at(10))
        #expect(d.fetch == .current)
        #expect(d.condition("Ready")?.status == .false)
        #expect(d.status.current != nil, "the record stays until a new image lands")
    }
}

@Suite("Step 2: inside the TTL")
struct LifecycleInsideTTLTests {
    @Test("inside the TTL nothing happens and the resource is requeued at expiresAt", arguments: [0, 1, 1800, 3599])
    func insideTTL(seconds: Int64) {
        let r = serving()
        let d = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(seconds))
        #expect(d.actions.isEmpty)
        #expect(d.requeueAt == at(3600))
        #expect(d.status == r.status, "a pass that changes nothing writes nothing")
    }

    @Test("a clock that went backwards neither expires the image nor waits longer than one TTL")
    func clockWentBackwards() {
        let r = serving(ttl: "10m")
        let d = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(-7200))
        #expect(d.actions.isEmpty)
        #expect(d.condition("Fresh")?.status == .true)
        #expect(d.requeueAt == at(-7200 + 600))
    }

    @Test("a clock that went backwards never stretches a failure backoff past the longest delay")
    func clockBackwardsDuringBackoff() {
        var r = resource()
        r.status = Lifecycle.decide(r, blobs: [], now: t0).status
        r.status = Lifecycle.record(.failure(FetchFailure(reason: .timeout, message: "slow")), slot: .current, into: r, now: t0, jitter: 0.5)
        let d = Lifecycle.decide(r, blobs: [], now: at(-86_400))
        #expect(d.fetch == nil)
        #expect(d.requeueAt! <= at(-86_400).adding(seconds: RetryPolicy.standard.fetches.longestDelay))
    }
}
