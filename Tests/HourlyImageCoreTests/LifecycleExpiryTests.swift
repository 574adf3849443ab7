import HourlyImageAPI
import Testing

@testable import HourlyImageCore

@Suite("Steps 3 and 4: expiry, grace views and promotion")
struct LifecycleExpiryTests {
    @Test("at expiry the next image is fetched into pending while current stays", arguments: [0, 1, 3])
    func expiryPrefetches(graceCount: Int) {
        let r = serving(graceCount: graceCount)
        let d = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(3600))
        #expect(d.fetch == .pending)
        #expect(d.status.current?.sha256 == image("a").sha256)
        #expect(d.condition("Fresh")?.status == .false)
        #expect(d.condition("Fresh")?.reason == "InGrace")
        #expect(d.condition("Fresh")?.message == "expired; 0 of \(graceCount) grace view\(graceCount == 1 ? "" : "s") used; fetching the next image")
        #expect(d.condition("Ready")?.status == .true)
    }

    @Test("with graceCount 0 the prefetched image is promoted as soon as it lands")
    func graceZeroPromotesOnArrival() {
        let p = pass(serving(graceCount: 0), now: at(3600), onDisk: blobs(image("a")), fetch: .success(image("b", fetchedAt: at(3600))))
        #expect(p.final.promoted)
        #expect(p.final.status.current?.sha256 == image("b").sha256)
        #expect(p.final.status.current?.servedSince == at(3600))
        #expect(p.final.status.current?.expiresAt == at(7200))
        #expect(p.final.status.pending == nil)
        #expect(p.final.status.graceViews == 0)
        #expect(p.final.condition("Fresh")?.status == .true)
        #expect(p.final.requeueAt == at(7200))
    }

    @Test("pending arriving before the grace views run out waits for them", arguments: [1, 3])
    func pendingWaitsForGraceViews(graceCount: Int) {
        let p = pass(serving(graceCount: graceCount), now: at(3600), onDisk: blobs(image("a")), fetch: .success(image("b", fetchedAt: at(3600))))
        #expect(!p.final.promoted)
        #expect(p.final.status.current?.sha256 == image("a").sha256)
        #expect(p.final.status.pending?.sha256 == image("b").sha256)
        #expect(p.final.status.pending?.servedSince == nil)
        #expect(p.final.fetch == nil, "one pending image is enough")
        #expect(p.final.condition("Fresh")?.message.hasSuffix("the next image is ready") == true)
    }

    @Test("grace views short of graceCount keep current; reaching it promotes", arguments: [(1, 0, false), (1, 1, true), (3, 2, false), (3, 3, true), (3, 5, true)])
    func graceViewsPromote(graceCount: Int, views: Int, promotes: Bool) {
        let r = serving(graceCount: graceCount, graceViews: views, pending: image("b", fetchedAt: at(3600)))
        let d = Lifecycle.decide(r, blobs: blobs(image("a"), image("b", fetchedAt: at(3600))), now: at(3700))
        #expect(d.promoted == promotes)
        #expect(d.status.current?.sha256 == (promotes ? image("b") : image("a")).sha256)
        if promotes {
            #expect(d.status.current?.servedSince == at(3700))
            #expect(d.status.current?.expiresAt == at(7300))
            #expect(d.status.graceViews == 0)
        }
    }

    @Test("pending arriving after the grace views ran out is promoted at once")
    func pendingAfterGraceViews() {
        let p = pass(serving(graceCount: 1, graceViews: 2), now: at(3700), onDisk: blobs(image("a")), fetch: .success(image("b", fetchedAt: at(3700))))
        #expect(p.first.fetch == .pending)
        #expect(p.final.promoted)
        #expect(p.final.status.current?.sha256 == image("b").sha256)
    }

    @Test("grace views used up without a pending image keep serving current")
    func graceUsedNoPending() {
        let d = Lifecycle.decide(serving(graceCount: 1, graceViews: 4), blobs: blobs(image("a")), now: at(3700))
        #expect(d.status.current?.sha256 == image("a").sha256)
        #expect(d.fetch == .pending)
        #expect(d.condition("Fresh")?.message == "expired; 1 of 1 grace view used; fetching the next image")
    }

    @Test("lastTransitionTime moves only when a condition's status flips")
    func lastTransitionTime() {
        let r = serving(graceCount: 3)
        let fresh = r.status!.conditions![type: "Fresh"]!
        let later = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(100))
        #expect(later.condition("Fresh")?.lastTransitionTime == fresh.lastTransitionTime)
        var expired = r
        expired.status = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(3600)).status
        #expect(expired.status?.conditions?[type: "Fresh"]?.lastTransitionTime == at(3600))
        expired.status?.graceViews = 1
        let again = Lifecycle.decide(expired, blobs: blobs(image("a")), now: at(3650))
        #expect(again.condition("Fresh")?.lastTransitionTime == at(3600), "message changed, status did not")
        #expect(again.condition("Fresh")?.message.hasPrefix("expired; 1 of 3") == true)
        #expect(again.condition("Ready")?.lastTransitionTime == t0)
    }
}
