import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageCore
import TestSupport
import Testing

@testable import WebRenderer

@Suite("The history page")
struct HistoryPageTests {
    @Test("the images still on the volume, newest first, with photographer and served times; a pruned one is left out; no view is counted")
    func grid() async throws {
        let f = try WebFixture()
        let records = try (UInt8(1)...3).map { seed in try f.blob(TestImages.jpeg(seed: seed), age: Double(4 - Int(seed)) * 3600 + 10) }
        var history = ImageHistory()
        for record in records { history = try #require(history.recording(record, keep: 3)) }
        try f.blobs.writeHistory(history.encoded(), namespace: "default", name: "project-image")
        // The oldest was pruned from the volume; its entry stays in the index but is not shown.
        try f.blobs.remove([records[0].file])
        var status = HourlyImageStatus(current: records[2], graceViews: 0)
        status.current?.expiresAt = Timestamp(f.now.addingTimeInterval(-1))  // expired: a page view would count
        try await f.setStatus(status)
        try await withServers(f.renderer()) { servers in
            let response = try await TestHTTPClient.get(servers.page + "/images/default/project-image/history")
            #expect(response.status == 200)
            let page = response.text
            let order = [records[2], records[1]].compactMap { page.range(of: $0.sha256)?.lowerBound }
            #expect(order.count == 2 && order == order.sorted(), "newest first")
            #expect(!page.contains(records[0].sha256), "pruned from the volume")
            #expect(page.contains("<span class=\"badge ok\">now</span>"))
            #expect(page.contains("Alejandro Escamilla") && page.contains("Served") && page.contains("since <time"))
            #expect(page.contains("2 images on the volume, newest first"))
            #expect(page.contains(#"name="viewport" content="width=device-width, initial-scale=1""#))
            let image = try #require(page.firstMatch(of: /<img src="(\/images\/default\/project-image\/[0-9a-f]{64}\.jpg)"/)?.1)
            #expect(try await TestHTTPClient.get(servers.page + String(image)).status == 200)
            #expect(try await f.store.get(ResourceKey(namespace: "default", name: "project-image"))?.status?.graceViews == 0, "not a page view")
            #expect(try await TestHTTPClient.send(servers.page + "/images/default/project-image/history", method: "HEAD").status == 200)
            #expect(try await TestHTTPClient.get(servers.page + "/images/default/missing/history").status == 404)
            #expect(try await TestHTTPClient.get(servers.page + "/images/default/project-image").text.contains(#"<a href="/images/default/project-image/history">history</a>"#))
        }
    }

    @Test("without an index, or with a damaged one, the page shows the current image from the status")
    func fallsBackToStatus() async throws {
        let f = try WebFixture()
        let current = try f.blob()
        try await f.setStatus(HourlyImageStatus(current: current, graceViews: 0))
        try await withServers(f.renderer()) { servers in
            #expect(try await TestHTTPClient.get(servers.page + "/images/default/project-image/history").text.contains(current.sha256))
            try f.blobs.writeHistory(Data("{not json".utf8), namespace: "default", name: "project-image")
            let page = try await TestHTTPClient.get(servers.page + "/images/default/project-image/history").text
            #expect(page.contains(current.sha256) && page.contains("1 image on the volume"))
        }
    }
}
