import Foundation
import HourlyImageAPI
import KubeClient
import KubeTestServer
import TestSupport
import Testing

@Suite("The live page on the test API server: the web streams what the controller does")
struct LivePageTests {
    @Test("an open stream gets the promotion the controller makes after another client's grace view, and the refresh; it counts no view")
    func promotionReachesOpenPage() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        _ = try await h.client().create(.hourlyImages, h.resource("project-image", ttl: "2s", graceCount: 1))
        try await eventually("a prefetched next image") { try await h.fetch("project-image")?.status?.pending != nil }
        let current = try #require(try await h.fetch("project-image")?.status?.current?.sha256)
        let pending = try #require(try await h.fetch("project-image")?.status?.pending?.sha256)
        let seeded = (current: current, pending: pending)
        try await withWeb(h) { web, store in
            try await eventually("synced") { await store.isReady }
            let stream = try EventStreamClient(web.page + "/images/default/project-image/events")
            let first = try #require(await stream.next("page"))
            #expect((first.json?["html"] as? String)?.contains(seeded.current) == true)
            #expect(try await h.fetch("project-image")?.status?.graceViews == 0, "the stream is no page view")

            // Someone else's view uses the grace view; the controller promotes the pending image; the open page hears.
            let started = ContinuousClock.now
            _ = try await TestHTTPClient.get(web.page + "/")
            var promoted: ServerSentEvent?
            _ = await pollUntil(timeout: .seconds(20)) {
                if let event = await stream.next("page", timeout: .seconds(1)), (event.json?["html"] as? String)?.contains(seeded.pending) == true {
                    promoted = event
                }
                return promoted != nil
            }
            let event = try #require(promoted, "the promotion never reached the open page")
            #expect((event.json?["html"] as? String)?.contains("Expires") == true)
            print("live page: promotion seen \(ContinuousClock.now - started) after the grace view")

            // A refresh reaches it too.
            let patch = try JSONSerialization.data(withJSONObject: ["metadata": ["annotations": [RefreshRequest.annotation: "live"]]])
            let _: HourlyImage = try await h.client().mergePatch(.hourlyImages, namespace: "default", name: "project-image", patch)
            try await eventually("refreshed") { try await h.fetch("project-image")?.status?.lastRefresh == "live" }
            let refreshed = try #require(try await h.fetch("project-image")?.status?.current?.sha256)
            var seen = false
            _ = await pollUntil(timeout: .seconds(20)) {
                if let event = await stream.next("page", timeout: .seconds(1)) { seen = (event.json?["html"] as? String)?.contains(refreshed) == true }
                return seen
            }
            #expect(seen, "the refreshed image reached the open page")
        }
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
