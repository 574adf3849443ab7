import BlobStore
import Crypto
import Foundation
import HourlyImageAPI
import KubeClient
import KubeTestServer
import TestSupport
import Testing

func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

@Suite("The operator against the test API server and a local image server")
struct OperatorTests {
    @Test("a new HourlyImage becomes Ready with a blob whose SHA-256 matches status, a finalizer and a Fetched event")
    func becomesReady() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("project-image"))
        try await eventually("Ready=True") { try await h.fetch("project-image")?.condition("Ready")?.status == .true }
        let r = try #require(try await h.fetch("project-image"))
        let current = try #require(r.status?.current)
        let bytes = try BlobStore(root: h.root + "/volume").read(current.file)
        #expect(sha256Hex(bytes) == current.sha256)
        #expect(r.metadata.finalizers == [HourlyImage.finalizer])
        #expect(r.status?.observedGeneration == r.metadata.generation)
        #expect(current.author == "Author 237")
        try await eventually("a Fetched event") {
            try await c.listAll(.events, namespace: "default", as: KubeEvent.self).items.contains { $0.reason == "Fetched" && $0.regarding.name == "project-image" }
        }
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("expiry prefetches; a grace view written as the web writes it lets the next image be promoted")
    func expiryGraceAndPromotion() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("rotating", ttl: "2s", graceCount: 1))
        try await eventually("first image") { try await h.fetch("rotating")?.status?.current != nil }
        let first = try #require(try await h.fetch("rotating")?.status?.current)
        try await eventually("prefetched pending") { try await h.fetch("rotating")?.status?.pending != nil }
        #expect(try await h.fetch("rotating")?.condition("Fresh")?.reason == "InGrace")
        #expect(try await h.fetch("rotating")?.status?.current?.sha256 == first.sha256, "the expired image is still served")
        // The web's compare-and-swap grace view.
        let _: HourlyImage = try await c.jsonPatch(
            .hourlyImages, namespace: "default", name: "rotating",
            [.test("/status/current/sha256", .string(first.sha256)), .test("/status/graceViews", .int(0)), .replace("/status/graceViews", .int(1))],
            subresource: "status")
        try await eventually("promotion") { try await h.fetch("rotating")?.status?.current?.sha256 != first.sha256 }
        let promoted = try #require(try await h.fetch("rotating"))
        #expect(promoted.status?.graceViews == 0)
        #expect(promoted.condition("Fresh")?.status == .true)
        try await eventually("a Promoted event") {
            try await c.listAll(.events, namespace: "default", as: KubeEvent.self).items.contains { $0.reason == "Promoted" }
        }
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("a failing source keeps the old image, reports Degraded with the reason, and backs off")
    func failingSource() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("flaky", ttl: "2s"))
        try await eventually("first image") { try await h.fetch("flaky")?.status?.current != nil }
        let first = try #require(try await h.fetch("flaky")?.status?.current)
        h.picsum.failAll(with: .text("down", status: 503))
        try await eventually(20, "two failures") { (try await h.fetch("flaky")?.status?.consecutiveFailures ?? 0) >= 2 }
        let r = try #require(try await h.fetch("flaky"))
        #expect(r.status?.current?.sha256 == first.sha256)
        #expect(r.condition("Degraded")?.status == .true)
        #expect(r.condition("Degraded")?.reason == "HTTPError")
        #expect(r.condition("Ready")?.status == .true)
        let gap = (r.status?.nextAttemptTime?.secondsSince1970 ?? 0) - (r.status?.lastAttemptTime?.secondsSince1970 ?? 0)
        #expect(gap >= 9 && gap <= 11, "the second failure waits about 10 s")
        // Events are recorded right after the status write: wait for the second one to be folded in.
        try await eventually("the repeat counted in the first event's series") {
            let warnings = try await c.listAll(.events, namespace: "default", as: KubeEvent.self).items.filter { $0.reason == "FetchFailed" }
            return warnings.count == 1 && (warnings.first?.series?.count ?? 1) >= 2
        }
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("a URL change fetches a new image and observedGeneration follows the spec")
    func urlChange() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("moving"))
        try await eventually("first image") { try await h.fetch("moving")?.status?.current != nil }
        var r = try #require(try await h.fetch("moving"))
        r.spec.url = h.picsum.baseURL + "/id/870/1200/1200.jpg"
        _ = try await c.update(.hourlyImages, r)
        try await eventually("new image") { try await h.fetch("moving")?.status?.current?.picsumID == "870" }
        let moved = try #require(try await h.fetch("moving"))
        #expect(moved.metadata.generation == 2)
        #expect(moved.status?.observedGeneration == 2)
        #expect(moved.status?.current?.requestedURL == r.spec.url)
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("deleting an HourlyImage removes its files, then the finalizer, then the object")
    func deletion() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("gone"))
        try await eventually("first image") { try await h.fetch("gone")?.status?.current != nil }
        #expect(FileManager.default.fileExists(atPath: h.root + "/volume/default/gone"))
        try await c.delete(.hourlyImages, namespace: "default", name: "gone")
        try await eventually("object deleted") { try await h.fetch("gone") == nil }
        #expect(!FileManager.default.fileExists(atPath: h.root + "/volume/default/gone"))
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}

@Suite("API errors")
struct APIErrorTests {
    @Test("status writes failing with 500 are retried with backoff until they land")
    func retriesStatusWrites() async throws {
        let h = try await OperatorHarness()
        await h.server.injectErrors(500, count: 3) { method, path in method == "PUT" && path.contains("/status") }
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("stubborn"))
        try await eventually(20, "Ready despite three failed writes") { try await h.fetch("stubborn")?.condition("Ready")?.status == .true }
        let failed = await h.server.requests().filter { $0.method == "PUT" && $0.target.contains("/status") && $0.status == 500 }
        #expect(failed.count == 3)
        let blobs = try FileManager.default.contentsOfDirectory(atPath: h.root + "/volume/default/stubborn/blobs")
        #expect(blobs.count <= 3, "retries reuse the volume, kept within keep")
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
