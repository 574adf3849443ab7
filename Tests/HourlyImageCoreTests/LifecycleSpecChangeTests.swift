import HourlyImageAPI
import Testing

@testable import HourlyImageCore

@Suite("Step 6 and suspend: spec changes")
struct LifecycleSpecChangeTests {
    @Test("a TTL change recomputes expiresAt from servedSince", arguments: [("10m", 600), ("2h", 7200), ("1h30m", 5400)])
    func ttlChange(ttl: String, seconds: Int64) {
        var r = serving()
        r.spec.ttl = ttl
        r.metadata.generation = 2
        let d = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(60))
        #expect(d.status.current?.servedSince == t0)
        #expect(d.status.current?.expiresAt == at(seconds))
        #expect(d.status.observedGeneration == 2)
        #expect(d.requeueAt == at(seconds))
    }

    @Test("shortening the TTL below the time already served expires the image now")
    func ttlShortenedIntoThePast() {
        var r = serving()
        r.spec.ttl = "1m"
        let d = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(300))
        #expect(d.fetch == .pending)
        #expect(d.condition("Fresh")?.reason == "InGrace")
    }

    @Test("a URL change fetches a new image and promotes it without waiting for TTL or grace views")
    func urlChange() {
        var r = serving(graceCount: 3)
        r.spec.url = "https://example.com/cat.jpg"
        r.metadata.generation = 2
        let newImage = image("c", fetchedAt: at(60), url: "https://example.com/cat.jpg")
        let p = pass(r, now: at(60), onDisk: blobs(image("a")), fetch: .success(newImage))
        #expect(p.first.fetch == .pending)
        #expect(p.first.status.current?.sha256 == image("a").sha256, "the old image is served until the new one lands")
        #expect(p.final.promoted)
        #expect(p.final.status.current?.sha256 == newImage.sha256)
        #expect(p.final.status.current?.requestedURL == "https://example.com/cat.jpg")
        #expect(p.final.status.observedGeneration == 2)
    }

    @Test("a pending image fetched for the old URL is discarded after a URL change")
    func stalePendingDiscarded() {
        var r = serving(pending: image("b", fetchedAt: at(3600)))
        r.spec.url = "https://example.com/cat.jpg"
        let d = Lifecycle.decide(r, blobs: blobs(image("a"), image("b", fetchedAt: at(3600))), now: at(3601))
        #expect(!d.promoted)
        #expect(d.status.pending == nil)
        #expect(d.fetch == .pending)
    }

    @Test("suspend keeps serving and stops fetching, even after expiry")
    func suspend() {
        let d = Lifecycle.decide(serving(suspend: true), blobs: blobs(image("a")), now: at(4000))
        #expect(d.fetch == nil)
        #expect(d.status.current?.sha256 == image("a").sha256)
        #expect(d.condition("Ready")?.status == .true)
        #expect(d.condition("Fresh")?.message.contains("suspended") == true)
        #expect(Lifecycle.decide(resource(suspend: true), blobs: [], now: t0).fetch == nil)
    }

    @Test("an invalid spec is a condition, not a retry; the current image stays served")
    func invalidSpec() {
        var r = serving()
        r.spec.ttl = "soon"
        r.spec.keep = 0
        r.metadata.generation = 2
        let d = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(10))
        #expect(d.fetch == nil)
        #expect(d.requeueAt == nil)
        guard case .invalidSpec(let issues)? = d.actions.last else {
            Issue.record("expected invalidSpec, got \(d.actions)")
            return
        }
        #expect(issues.map(\.field) == ["spec.ttl", "spec.keep"])
        #expect(d.condition("Ready")?.status == .true)
        #expect(d.condition("Degraded")?.reason == "InvalidSpec")
        #expect(d.status.current?.sha256 == image("a").sha256)
        #expect(d.status.observedGeneration == 2)
    }

    @Test("an invalid spec with no image yet is Ready=False/InvalidSpec")
    func invalidSpecNoImage() {
        let d = Lifecycle.decide(resource(url: "ftp://example.com/x"), blobs: [], now: t0)
        #expect(d.condition("Ready")?.reason == "InvalidSpec")
        #expect(d.condition("Ready")?.message.contains("spec.url") == true)
        #expect(d.fetch == nil)
    }
}

@Suite("Step 5: pruning")
struct LifecyclePruningTests {
    static func old(_ tag: String, _ age: Int64) -> ImageRecord { image(tag, fetchedAt: at(-age)) }

    @Test("the oldest blobs beyond keep are deleted")
    func prunesOldest() {
        let r = serving(keep: 2)
        let disk = blobs(image("a"), Self.old("1", 300), Self.old("2", 200), Self.old("3", 100))
        let d = Lifecycle.decide(r, blobs: disk, now: at(5))
        #expect(d.pruned == [Self.old("1", 300).file, Self.old("2", 200).file])
    }

    @Test("pruning never deletes the blobs current or pending name, even when they are the oldest", arguments: [1, 2, 3])
    func neverPrunesProtected(keep: Int) {
        let current = image("a", fetchedAt: at(-1000))
        let pending = image("b", fetchedAt: at(-900))
        var r = serving(graceCount: 5, pending: pending, keep: keep)
        r.status?.current?.file = current.file
        let disk = blobs(current, pending, Self.old("1", 10), Self.old("2", 20))
        let pruned = Lifecycle.decide(r, blobs: disk, now: at(100)).pruned
        #expect(!pruned.contains(current.file))
        #expect(!pruned.contains(pending.file))
        #expect(pruned.count == min(2, 4 - max(keep, 2)))
        #expect(Pruning.blobsToDelete(disk, keep: 1, protecting: [current.file, pending.file]).sorted() == [Self.old("1", 10).file, Self.old("2", 20).file].sorted())
    }

    @Test("nothing is pruned when the volume holds no more than keep")
    func nothingToPrune() {
        #expect(Lifecycle.decide(serving(keep: 3), blobs: blobs(image("a"), Self.old("1", 5)), now: at(1)).pruned.isEmpty)
    }
}
