import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageStore
import ImageFetch
import LocalStore
import Synchronization
import TestSupport
import Testing

@testable import HourlyImageController

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds = Mutex<Double>(1_795_000_000)
    var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

/// A reconciler over a file store in a temporary directory, fetching from a Picsum-like server.
struct Harness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-rec-\(UUID().uuidString)").path
    let picsum: PicsumLikeServer
    let store: FileResourceStore
    let blobs: BlobStore
    let clock = ManualClock()
    let reconciler: Reconciler
    let key = ResourceKey(namespace: "default", name: "project-image")

    init(ttl: String = "10s", graceCount: Int = 1, keep: Int = 3, path: String = "/1200") throws {
        picsum = try PicsumLikeServer()
        let resource = HourlyImage(
            metadata: ObjectMeta(name: "project-image", namespace: "default"),
            spec: HourlyImageSpec(url: picsum.baseURL + path, ttl: ttl, graceCount: graceCount, keep: keep))
        store = try FileResourceStore(resources: [resource], dataDirectory: dir)
        blobs = BlobStore(root: dir + "/volume")
        var options = FetchOptions()
        options.addressPolicy = AddressPolicy(allowPrivateNetworks: true)
        let clock = self.clock
        reconciler = Reconciler(
            store: store, blobs: blobs, fetcher: ImageFetcher(store: blobs, options: options), manageFinalizer: false,
            now: { clock.now }, random: { 0.5 })
    }

    func pass() async throws -> Reconciler.Result { try await reconciler.reconcile(key) }
    func resource() async -> HourlyImage { await store.get(key)! }
    func cleanUp() {
        picsum.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

@Suite("Reconciler against a loopback image server and a file store")
struct ReconcilerTests {
    @Test("the first pass fetches an image whose SHA-256 on disk matches status, with the photographer credit")
    func firstPass() async throws {
        let h = try Harness()
        defer { h.cleanUp() }
        let result = try await h.pass()
        let r = await h.resource()
        let current = try #require(r.status?.current)
        let bytes = try h.blobs.read(current.file)
        #expect(sha256Hex(bytes) == current.sha256)
        #expect(current.picsumID == "237")
        #expect(current.author == "Author 237")
        #expect(current.authorURL == "https://unsplash.com/photos/237")
        #expect(r.status?.conditions?[type: "Ready"]?.status == .true)
        #expect(result.requeueAt == current.expiresAt?.date)
        #expect(try await h.pass().requeueAt == current.expiresAt?.date, "a second pass changes nothing")
    }

    @Test("expiry prefetches, a grace view lets the pending image be promoted, old blobs are pruned")
    func fullCycle() async throws {
        let h = try Harness(ttl: "10s", graceCount: 1, keep: 1)
        defer { h.cleanUp() }
        _ = try await h.pass()
        let first = try #require(await h.resource().status?.current)
        h.clock.advance(10)
        _ = try await h.pass()
        var r = await h.resource()
        #expect(r.status?.current?.sha256 == first.sha256)
        let pending = try #require(r.status?.pending)
        #expect(pending.picsumID == "1025")
        #expect(r.status?.conditions?[type: "Fresh"]?.reason == "InGrace")
        // The web counts one grace view.
        #expect(try await h.store.recordGraceView(h.key, currentSHA256: first.sha256, seenViews: 0))
        _ = try await h.pass()
        r = await h.resource()
        #expect(r.status?.current?.sha256 == pending.sha256)
        #expect(r.status?.pending == nil)
        #expect(r.status?.graceViews == 0)
        #expect(r.status?.current?.servedSince == Timestamp(h.clock.now))
        let files = try h.blobs.list(namespace: "default", name: "project-image").map(\.relativePath)
        #expect(files == [pending.file], "keep: 1 pruned the old image")
    }

    @Test("a failing source keeps the old image, reports Degraded and backs off")
    func failureKeepsImage() async throws {
        let h = try Harness(ttl: "10s")
        defer { h.cleanUp() }
        _ = try await h.pass()
        let first = try #require(await h.resource().status?.current)
        h.picsum.failAll(with: .text("down", status: 503))
        h.clock.advance(11)
        let result = try await h.pass()
        let r = await h.resource()
        #expect(r.status?.current == first)
        #expect(r.status?.conditions?[type: "Degraded"]?.status == .true)
        #expect(r.status?.conditions?[type: "Degraded"]?.reason == "HTTPError")
        #expect(r.status?.conditions?[type: "Ready"]?.status == .true)
        #expect(r.status?.consecutiveFailures == 1)
        #expect(result.requeueAt == h.clock.now.addingTimeInterval(5).rounded)
        let requests = h.picsum.server.requests.count
        _ = try await h.pass()
        #expect(h.picsum.server.requests.count == requests, "no retry inside the backoff")
        h.picsum.failAll(with: nil)
        h.clock.advance(5)
        _ = try await h.pass()
        #expect(await h.resource().status?.pending != nil)
        #expect(await h.resource().status?.conditions?[type: "Degraded"]?.status == .false)
    }

    @Test("a source that is not allowed is Blocked, and nothing is served")
    func blocked() async throws {
        let h = try Harness()
        defer { h.cleanUp() }
        let strict = Reconciler(store: h.store, blobs: h.blobs, fetcher: ImageFetcher(store: h.blobs), manageFinalizer: false, now: { h.clock.now })
        _ = try await strict.reconcile(h.key)
        let r = await h.resource()
        #expect(r.status?.current == nil)
        #expect(r.status?.conditions?[type: "Ready"]?.reason == "FetchFailed")
        #expect(r.status?.conditions?[type: "Degraded"]?.reason == "Blocked")
        #expect(h.picsum.server.requests.isEmpty)
    }
}

extension Date {
    /// Rounded down to whole seconds, as status times are.
    var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}

import Crypto

func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
