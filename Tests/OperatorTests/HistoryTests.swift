import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageCore
import KubeClient
import KubeTestServer
import TestSupport
import Testing

@Suite("The history against the test API server: the controller writes the index, the web shows it")
struct HistoryTests {
    @Test("three images served (the first and two refreshes) are in history.json newest first, and on the web's history page")
    func history() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("project-image", ttl: "1h"))
        try await eventually("first image") { try await h.fetch("project-image")?.status?.current != nil }
        var served = [try #require(try await h.fetch("project-image")?.status?.current?.sha256)]
        for value in ["h1", "h2"] {
            try await RefreshTests.annotate(c, "project-image", value)
            try await eventually("refresh \(value)") { try await h.fetch("project-image")?.status?.lastRefresh == value }
            served.insert(try #require(try await h.fetch("project-image")?.status?.current?.sha256), at: 0)
        }
        let blobs = BlobStore(root: h.root + "/volume")
        try await eventually("the index") {
            blobs.readHistory(namespace: "default", name: "project-image").flatMap(ImageHistory.decode)?.entries.map(\.sha256) == served
        }
        let index = try #require(blobs.readHistory(namespace: "default", name: "project-image").flatMap(ImageHistory.decode))
        #expect(index.entries[0].servedUntil == nil)
        #expect(index.entries[1].servedUntil == index.entries[0].servedSince)
        #expect(index.entries.allSatisfy { $0.author?.hasPrefix("Author ") == true })

        let shown = served
        try await withWeb(h) { web, store in
            try await eventually("synced") { await store.isReady }
            let page = try await TestHTTPClient.get(web.page + "/images/default/project-image/history").text
            let positions = shown.compactMap { page.range(of: $0)?.lowerBound }
            #expect(positions.count == 3 && positions == positions.sorted(), "newest first:\n\(page)")
            #expect(page.contains("3 images on the volume"))
        }
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
