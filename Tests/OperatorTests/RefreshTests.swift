import Foundation
import HourlyImageAPI
import KubeClient
import KubeTestServer
import TestSupport
import Testing

@Suite("Refresh on demand against the test API server")
struct RefreshTests {
    /// Downloads the Picsum-like server has answered for `/1200` (each is a new image).
    static func downloads(_ h: OperatorHarness) -> Int { h.picsum.server.requests.filter { $0.path == "/1200" }.count }

    /// Sets the refresh annotation as `kubectl annotate --overwrite` does (a merge patch of metadata).
    static func annotate(_ c: KubeClient, _ name: String, _ value: String) async throws {
        let patch = try JSONSerialization.data(withJSONObject: ["metadata": ["annotations": [RefreshRequest.annotation: value]]])
        let _: HourlyImage = try await c.mergePatch(.hourlyImages, namespace: "default", name: name, patch)
    }

    @Test("a new annotation value serves a new image at once with a Refreshed event; the same value, or a restart, never refreshes twice")
    func refreshOnce() async throws {
        let h = try await OperatorHarness()
        var controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("project-image", ttl: "1h", graceCount: 5))
        try await eventually("first image") { try await h.fetch("project-image")?.status?.current != nil }
        let first = try #require(try await h.fetch("project-image")?.status?.current)

        try await Self.annotate(c, "project-image", "1764763200")
        try await eventually("the refreshed image") { try await h.fetch("project-image")?.status?.lastRefresh == "1764763200" }
        let refreshed = try #require(try await h.fetch("project-image"))
        #expect(refreshed.status?.current?.sha256 != first.sha256)
        #expect(refreshed.status?.graceViews == 0, "grace views ignored: no view was needed")
        #expect(refreshed.condition("Fresh")?.status == .true)
        try await eventually("a Refreshed event") {
            try await c.listAll(.events, namespace: "default", as: KubeEvent.self).items.contains {
                $0.reason == "Refreshed" && $0.regarding.name == "project-image" && ($0.note ?? "").contains("1764763200")
            }
        }
        #expect(Self.downloads(h) == 2)

        // The same value again, then a restarted controller: nothing is fetched for project-image.
        try await Self.annotate(c, "project-image", "1764763200")
        controller.task.cancel()
        _ = await controller.task.result
        controller = try h.startController()
        _ = try await c.create(.hourlyImages, h.resource("other"))
        try await eventually("the restarted controller at work") { try await h.fetch("other")?.status?.current != nil }
        #expect(Self.downloads(h) == 3, "one download for the new resource, none for the refresh carried out")
        #expect(try await h.fetch("project-image")?.status?.current?.sha256 == refreshed.status?.current?.sha256)

        // A failed refresh keeps the image and stays due; it is made once the source is back.
        h.picsum.failAll(with: .text("down", status: 503))
        try await Self.annotate(c, "project-image", "second")
        try await eventually("a failed attempt") { try await h.fetch("project-image")?.condition("Degraded")?.status == .true }
        let failed = try #require(try await h.fetch("project-image"))
        #expect(failed.status?.current?.sha256 == refreshed.status?.current?.sha256)
        #expect(failed.status?.lastRefresh == "1764763200")
        h.picsum.failAll(with: nil)
        try await eventually(20, "the refresh after the backoff") { try await h.fetch("project-image")?.status?.lastRefresh == "second" }
        #expect(try await h.fetch("project-image")?.status?.current?.sha256 != refreshed.status?.current?.sha256)

        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
