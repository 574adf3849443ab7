import HourlyImageAPI
import HourlyImageCore
import Testing

@Suite("Page views: the grace rule the web asks the core")
struct PageViewTests {
    @Test("a fresh image, or none, counts nothing")
    func fresh() {
        #expect(Lifecycle.pageView(resource(), now: t0) == .fresh)
        #expect(Lifecycle.pageView(serving(ttl: "1h"), now: at(3599)) == .fresh)
    }

    @Test("an expired image with grace left is a grace view against its sha and the count seen")
    func graceView() {
        let r = serving(ttl: "1h", graceCount: 3, graceViews: 1)
        #expect(Lifecycle.pageView(r, now: at(3600)) == .graceView(sha256: image("a").sha256, seen: 1))
    }

    @Test("grace used up: a promotion is due, at once when the next image is on the volume")
    func promotionDue() {
        #expect(Lifecycle.pageView(serving(ttl: "1h", graceCount: 1, graceViews: 1), now: at(3600)) == .promotionDue(pendingReady: false))
        let withPending = serving(ttl: "1h", graceCount: 1, graceViews: 1, pending: image("b", fetchedAt: at(3000)))
        #expect(Lifecycle.pageView(withPending, now: at(3600)) == .promotionDue(pendingReady: true))
        #expect(Lifecycle.pageView(serving(ttl: "1h", graceCount: 0), now: at(3600)) == .promotionDue(pendingReady: false))
    }

    @Test("decide promotes by the same rule the page counts by")
    func sameRule() {
        let pending = image("b", fetchedAt: at(3000))
        let used = serving(ttl: "1h", graceCount: 2, graceViews: 2, pending: pending)
        let left = serving(ttl: "1h", graceCount: 2, graceViews: 1, pending: pending)
        let onDisk = blobs(image("a"), pending)
        #expect(Lifecycle.decide(used, blobs: onDisk, now: at(3600)).status.current?.sha256 == pending.sha256)
        #expect(Lifecycle.decide(left, blobs: onDisk, now: at(3600)).status.current?.sha256 == image("a").sha256)
    }

    @Test("a counted view adds one and shows used/allowed; a hostile count saturates")
    func afterGraceView() {
        let status = serving(ttl: "1h", graceCount: 3, graceViews: 1).status!
        let next = Lifecycle.afterGraceView(status, seen: 1, graceCount: 3)
        #expect(next.graceViews == 2)
        #expect(next.graceUsage == "2/3")
        #expect(Lifecycle.afterGraceView(status, seen: .max, graceCount: 3).graceViews == .max)
    }
}
