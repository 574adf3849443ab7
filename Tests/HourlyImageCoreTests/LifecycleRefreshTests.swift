import HourlyImageAPI
import Testing

@testable import HourlyImageCore

/// `serving(...)` with the refresh annotation set to `value`.
func refreshing(_ value: String, _ base: HourlyImage = serving()) -> HourlyImage {
    var r = base
    r.metadata.annotations = (r.metadata.annotations ?? [:]).merging([RefreshRequest.annotation: value]) { $1 }
    return r
}

extension Decision {
    var refreshed: (request: String, from: ImageRecord, to: ImageRecord)? {
        for case .refreshed(let request, let from, let to) in actions { return (request, from, to) }
        return nil
    }
}

@Suite("Refresh on demand: the images.dwk.dev/refresh annotation")
struct LifecycleRefreshTests {
    @Test("a new value fetches into current at once, while fresh, and serves it as soon as it is stored")
    func refreshReplacesFreshImage() throws {
        let p = pass(refreshing("1"), now: at(600), onDisk: blobs(image("a")), fetch: .success(image("b", fetchedAt: at(600))))
        #expect(p.first.fetch == .current)
        #expect(p.final.status.current?.sha256 == image("b").sha256)
        #expect(p.final.status.current?.servedSince == at(600))
        #expect(p.final.status.current?.expiresAt == at(4200), "the TTL counts from the refresh")
        #expect(p.final.status.lastRefresh == "1")
        #expect(p.final.status.graceViews == 0)
        let refreshed = try #require(p.final.refreshed)
        #expect(refreshed.request == "1")
        #expect(refreshed.from.sha256 == image("a").sha256)
        #expect(refreshed.to.sha256 == image("b").sha256)
        #expect(p.final.fetch == nil)
        #expect(p.final.requeueAt == at(4200))
    }

    @Test("grace views are ignored: an expired image in grace is replaced at once, a prefetched next image stays next")
    func refreshIgnoresGrace() {
        let r = refreshing("now", serving(graceCount: 5, graceViews: 1, pending: image("b", fetchedAt: at(3600))))
        let p = pass(r, now: at(3700), onDisk: blobs(image("a"), image("b", fetchedAt: at(3600))), fetch: .success(image("c", fetchedAt: at(3700))))
        #expect(p.first.fetch == .current)
        #expect(p.final.status.current?.sha256 == image("c").sha256)
        #expect(p.final.status.pending?.sha256 == image("b").sha256)
        #expect(p.final.status.graceViews == 0)
        #expect(p.final.condition("Fresh")?.status == .true)
    }

    @Test("the value carried out does nothing again: a repeat, a restart (a new pass on the written status)")
    func sameValueIsDone() {
        let done = pass(refreshing("1"), now: at(600), onDisk: blobs(image("a")), fetch: .success(image("b", fetchedAt: at(600)))).resource
        let again = Lifecycle.decide(done, blobs: blobs(image("a"), image("b", fetchedAt: at(600))), now: at(700))
        #expect(again.fetch == nil)
        #expect(again.refreshed == nil)
        #expect(again.status == done.status)
        let next = Lifecycle.decide(refreshing("2", done), blobs: blobs(image("a"), image("b", fetchedAt: at(600))), now: at(700))
        #expect(next.fetch == .current, "a different value refreshes again")
    }

    @Test("no annotation, or an empty value, asks for nothing")
    func noRequest() {
        #expect(Lifecycle.decide(serving(), blobs: blobs(image("a")), now: at(600)).fetch == nil)
        #expect(Lifecycle.decide(refreshing(""), blobs: blobs(image("a")), now: at(600)).fetch == nil)
    }

    @Test("a failed refresh fetch keeps serving the old image, stays due, and retries on the fetch backoff")
    func failedRefreshStaysDue() {
        let failure = FetchFailure(reason: .sourceUnreachable, message: "connection refused")
        let p = pass(refreshing("1"), now: at(600), onDisk: blobs(image("a")), fetch: .failure(failure))
        #expect(p.final.status.current?.sha256 == image("a").sha256)
        #expect(p.final.status.lastRefresh == nil)
        #expect(p.final.refreshed == nil)
        #expect(p.final.condition("Degraded")?.status == .true)
        #expect(p.final.condition("Ready")?.status == .true)
        let retryAt = try! #require(p.final.status.nextAttemptTime)
        #expect(p.final.requeueAt == retryAt)
        // Before the backoff ends nothing is fetched; after it the refresh is tried again.
        #expect(Lifecycle.decide(p.resource, blobs: blobs(image("a")), now: at(601)).fetch == nil)
        #expect(Lifecycle.decide(p.resource, blobs: blobs(image("a")), now: retryAt).fetch == .current)
    }

    @Test("a refresh is made while suspended; scheduled fetches are not")
    func refreshWhileSuspended() {
        #expect(Lifecycle.decide(serving(suspend: true), blobs: blobs(image("a")), now: at(3700)).fetch == nil)
        let p = pass(refreshing("1", serving(suspend: true)), now: at(600), onDisk: blobs(image("a")), fetch: .success(image("b", fetchedAt: at(600))))
        #expect(p.final.status.current?.sha256 == image("b").sha256)
        #expect(p.final.status.lastRefresh == "1")
    }

    @Test("the first image of a resource created with the annotation carries it out, without a Refreshed action")
    func firstFetchCarriesOut() {
        let p = pass(refreshing("1", resource()), now: t0, onDisk: [], fetch: .success(image("a")))
        #expect(p.final.status.lastRefresh == "1")
        #expect(p.final.refreshed == nil)
        #expect(Lifecycle.decide(p.resource, blobs: blobs(image("a")), now: at(10)).fetch == nil)
    }

    @Test("the recorded value is bounded: a long one keeps a prefix, its length and a fingerprint", arguments: [129, 4096, 262_144])
    func boundedToken(length: Int) {
        let value = String(repeating: "é", count: length / 2) + String(repeating: "x", count: length % 2)
        let token = RefreshRequest.token(value)
        #expect(token.utf8.count <= 128)
        #expect(token.unicodeScalars.count <= 256, "the CRD's maxLength")
        #expect(token.contains("(\(value.utf8.count) bytes, fnv1a64 "))
        #expect(RefreshRequest.token(value + "!") != token, "a different value is a different request")
        #expect(RefreshRequest.token("short") == "short")
        #expect(RefreshRequest.token(String(repeating: "a", count: 128)) == String(repeating: "a", count: 128))
    }
}
