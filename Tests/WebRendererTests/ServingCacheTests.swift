import Foundation
import HourlyImageAPI
import NIOCore
import TestSupport
import Testing

@testable import WebRenderer

@Suite("Pages and image bytes served from memory")
struct ServingCacheTests {
    static func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

    @Test("the cached page is byte for byte what ImagePage renders, in every state")
    func sameAsRendered() async throws {
        let f = try WebFixture()
        let image = try f.blob(age: 600)
        let states: [HourlyImageStatus?] = [
            nil,
            HourlyImageStatus(current: image, graceViews: 0),
            HourlyImageStatus(current: try f.blob(age: 4000), graceViews: 0),
            HourlyImageStatus(current: try f.blob(age: 4000), graceViews: 1),
        ]
        let cache = PageCache()
        for status in states {
            var resource = HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"))
            resource.status = status
            for _ in 0..<2 {
                #expect(Self.text(cache.page(resource, now: f.now)) == ImagePage.render(resource, now: f.now).html)
            }
        }
        #expect(cache.renderCount == states.count, "one render per state, the second view from memory")
    }

    @Test("a cached page follows the clock (refresh tag), the phase (expiry) and every change of the resource")
    func invalidation() async throws {
        let f = try WebFixture()
        let image = try f.blob(age: 0, ttl: 100)
        var resource = HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"))
        resource.status = HourlyImageStatus(current: image, graceViews: 0)
        let cache = PageCache()
        let early = Self.text(cache.page(resource, now: f.now))
        let later = Self.text(cache.page(resource, now: f.now.addingTimeInterval(50)))
        #expect(early.contains(#"<meta http-equiv="refresh" content="101">"#))
        #expect(later.contains(#"<meta http-equiv="refresh" content="51">"#))
        #expect(cache.renderCount == 1)
        let expired = Self.text(cache.page(resource, now: f.now.addingTimeInterval(100)))
        #expect(expired.contains("expired — 0 of 1 grace view used"))
        #expect(cache.renderCount == 2)
        resource.status?.graceViews = 1
        let used = Self.text(cache.page(resource, now: f.now.addingTimeInterval(100)))
        #expect(used.contains("expired — 1 of 1 grace view used"))
        #expect(used.contains(#"<meta http-equiv="refresh" content="10">"#))
        #expect(cache.renderCount == 3)
    }

    @Test("image bytes come from memory after the first view, exactly the file's, with HEAD's length")
    func imageFromMemory() async throws {
        let f = try WebFixture()
        let data = TestImages.jpeg(seed: 3)
        let image = try f.blob(data, age: 10)
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        let renderer = f.renderer()
        let url = "/images/default/project-image/\(image.sha256).jpg"
        try await withServer(renderer) { base in
            for _ in 0..<3 { #expect(try await TestHTTPClient.get(base + url).body == data) }
            #expect(renderer.blobCache.totalBytes == data.count)
            let head = try await TestHTTPClient.send(base + url, method: "HEAD")
            #expect(head.status == 200)
            #expect(head.headers["content-length"] == String(data.count))
            #expect(head.body.isEmpty)
        }
    }

    @Test("a pruned image is gone from memory too: 404, not the copy")
    func prunedImage() async throws {
        let f = try WebFixture()
        let image = try f.blob(age: 10)
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        let renderer = f.renderer()
        let url = "/images/default/project-image/\(image.sha256).jpg"
        try await withServer(renderer) { base in
            #expect(try await TestHTTPClient.get(base + url).status == 200)
            try FileManager.default.removeItem(atPath: f.blobs.root + "/" + image.file)
            #expect(try await TestHTTPClient.get(base + url).status == 404)
            #expect(renderer.blobCache.totalBytes == 0)
        }
    }

    @Test("concurrent misses of one image end with one copy in memory, shared by every view")
    func oneCopy() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("blob-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/image"
        try Data(repeating: 7, count: 300_000).write(to: URL(fileURLWithPath: path))
        let cache = BlobCache()
        let addresses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    let blob = await cache.load("k", path: path, size: 300_000)
                    return blob?.bytes.withUnsafeReadableBytes { Int(bitPattern: $0.baseAddress) } ?? 0
                }
            }
            return await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(addresses.count == 1 && !addresses.contains(0), "one buffer, not one per view")
        #expect(cache.totalBytes == 300_000)
    }

    @Test("the cache holds at most its capacity, oldest out first, and never a file over its per-file limit")
    func bounded() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("blob-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = BlobCache(capacityBytes: 100_000, maxFileBytes: 60_000)
        for i in 0..<3 {
            let path = dir + "/\(i)"
            try Data(repeating: UInt8(i), count: 40_000).write(to: URL(fileURLWithPath: path))
            let blob = await cache.load("k\(i)", path: path, size: 40_000)
            #expect(blob?.bytes.readableBytes == 40_000)
            #expect(cache.totalBytes <= 100_000)
        }
        #expect(cache.cached("k0") == nil, "the oldest went first")
        #expect(cache.cached("k1") != nil && cache.cached("k2") != nil)
        let big = dir + "/big"
        try Data(count: 70_000).write(to: URL(fileURLWithPath: big))
        #expect(await cache.load("big", path: big, size: 70_000) == nil, "streamed by the caller, never kept")
        #expect(cache.totalBytes == 80_000)
    }

    @Test("If-None-Match matches the ETag in a list, with spaces, weakly, or as *; nothing else", arguments: [
        (#""abc""#, true), (#" "x", "abc" "#, true), (#"W/"abc""#, true), ("*", true), ("\"x\",\t\"abc\"", true),
        (#""abcd""#, false), ("abc", false), ("", false), (#""ab""#, false), (",,", false),
    ])
    func ifNoneMatch(header: String, matches: Bool) {
        #expect(WebRenderer.matches(ifNoneMatch: header, etag: #""abc""#) == matches)
    }
}
