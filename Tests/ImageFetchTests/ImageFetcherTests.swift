import BlobStore
import HourlyImageAPI
import Foundation
import TestSupport
import Testing

@testable import ImageFetch

@Suite("Image fetcher against a loopback server")
struct ImageFetcherTests {
    @Test("follows Picsum's redirect, records the final URL and id, and publishes the exact bytes")
    func picsumRedirect() async throws {
        let picsum = try PicsumLikeServer()
        defer { picsum.stop() }
        let dir = TestDirectory()
        let fetcher = ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions())
        let image = try await fetcher.fetch(picsum.baseURL + "/1200", namespace: "default", name: "img")
        #expect(image.sourceURL == picsum.baseURL + "/id/237/1200/1200.jpg")
        #expect(image.picsumID == "237")
        #expect(image.kind == .jpeg)
        #expect(image.file == "default/img/blobs/\(image.sha256).jpg")
        let stored = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/" + image.file))
        #expect(sha256Hex(stored) == image.sha256)
        #expect(image.bytes == Int64(stored.count))
        #expect(dir.files() == [image.file], "no temporary file is left behind")
        let userAgents = picsum.server.requests.compactMap { $0.header("User-Agent") }
        #expect(userAgents.allSatisfy { $0 == "hourly-image/\(HourlyImageVersion.current)" } && !userAgents.isEmpty)
    }

    @Test("a chain of exactly 5 redirects is followed; 6 is refused as HTTPError")
    func redirectLimit() async throws {
        let server = try TestHTTPServer { request in
            let n = Int(request.path.dropFirst(2)) ?? 0  // "/r5" → 5 hops left
            return n > 0 ? .redirect(to: "/r\(n - 1)") : TestHTTPResponse(status: 200, headers: [("Content-Type", "image/png")], body: TestImages.png())
        }
        defer { server.stop() }
        let dir = TestDirectory()
        let fetcher = ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions())
        let image = try await fetcher.fetch(server.baseURL + "/r5", namespace: "default", name: "img")
        #expect(image.sourceURL == server.baseURL + "/r0")
        #expect(image.kind == .png)
        let error = await fetchError(fetcher, server.baseURL + "/r6")
        #expect(error == .tooManyRedirects(url: server.baseURL + "/r6", limit: 5))
        #expect(error?.reason == .httpError)
    }

    @Test("a redirect loop ends as too many redirects")
    func redirectLoop() async throws {
        let server = try TestHTTPServer { request in .redirect(to: request.path == "/a" ? "/b" : "/a") }
        defer { server.stop() }
        let dir = TestDirectory()
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()), server.baseURL + "/a")
        #expect(error?.reason == .httpError)
        #expect(server.requests.count == 6)
        #expect(dir.files().isEmpty)
    }

    @Test("error statuses are HTTPError with the status", arguments: [404, 500, 503, 403])
    func httpErrors(status: Int) async throws {
        let server = try TestHTTPServer { _ in .text("nope", status: status) }
        defer { server.stop() }
        let dir = TestDirectory()
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()), server.baseURL + "/x.jpg")
        #expect(error == .httpStatus(status, url: server.baseURL + "/x.jpg"))
        #expect(dir.files().isEmpty)
    }

    @Test("HTML sent as image/jpeg is NotAnImage and leaves no file")
    func htmlIsNotAnImage() async throws {
        let server = try TestHTTPServer { _ in
            TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")], body: Data("<!doctype html><p>rate limited</p>".utf8))
        }
        defer { server.stop() }
        let dir = TestDirectory()
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()), server.baseURL + "/x.jpg")
        #expect(error?.reason == .notAnImage)
        #expect(error?.description.contains("image/jpeg") == true)
        #expect(dir.files().isEmpty)
    }

    @Test("an empty or tiny body is NotAnImage")
    func tinyBody() async throws {
        let server = try TestHTTPServer { _ in TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")], body: Data([0xFF, 0xD8])) }
        defer { server.stop() }
        let dir = TestDirectory()
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()), server.baseURL + "/x.jpg")
        #expect(error?.reason == .notAnImage)
    }

    @Test("formats are recognised by bytes whatever the Content-Type", arguments: [
        (TestImages.png(), ImageKind.png), (TestImages.gif(), .gif), (TestImages.webp(), .webp), (TestImages.jpeg(), .jpeg),
    ])
    func formats(body: Data, kind: ImageKind) async throws {
        let server = try TestHTTPServer { _ in TestHTTPResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body) }
        defer { server.stop() }
        let dir = TestDirectory()
        let image = try await ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()).fetch(server.baseURL + "/x", namespace: "default", name: "img")
        #expect(image.kind == kind)
        #expect(image.file.hasSuffix("." + kind.fileExtension))
        #expect(image.declaredContentType == "application/octet-stream")
    }

    @Test("a body shorter than its Content-Length is SourceUnreachable and leaves no file")
    func shortBody() async throws {
        let server = try TestHTTPServer { _ in
            var response = TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")], body: TestImages.jpeg(bytes: 4000))
            response.declaredLength = 10_000
            return response
        }
        defer { server.stop() }
        let dir = TestDirectory()
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()), server.baseURL + "/x.jpg")
        #expect(error?.reason == .sourceUnreachable)
        #expect(error?.description.contains("closed before the whole image arrived") == true)
        #expect(dir.files().isEmpty)
    }

    @Test("a server slower than the total timeout is Timeout")
    func slowServer() async throws {
        let server = try TestHTTPServer { _ in
            var response = TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")], body: TestImages.jpeg())
            response.delayBeforeHeaders = 5
            return response
        }
        defer { server.stop() }
        let dir = TestDirectory()
        let fetcher = ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions { $0.totalTimeout = 1 })
        let started = ContinuousClock.now
        let error = await fetchError(fetcher, server.baseURL + "/x.jpg")
        // The reason proves the 1 s limit fired (the server would have answered after 5 s); the bound only catches a hang,
        // generous because a loaded 2-core CI machine delays threads by seconds.
        #expect(error?.reason == .timeout)
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(dir.files().isEmpty)
    }

    @Test("a stalled body trips the low-speed abort as Timeout")
    func stalledBody() async throws {
        let server = try TestHTTPServer { _ in
            var response = TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")], body: TestImages.jpeg(bytes: 100_000))
            response.bodyChunkSize = 100
            response.delayBetweenChunks = 0.5
            return response
        }
        defer { server.stop() }
        let dir = TestDirectory()
        let fetcher = ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions { $0.lowSpeedLimit = 10_000; $0.lowSpeedTime = 1 })
        let error = await fetchError(fetcher, server.baseURL + "/x.jpg")
        #expect(error?.reason == .timeout)
        #expect(dir.files().isEmpty)
    }

    @Test("a body over the cap is TooLarge, announced or streamed", arguments: [false, true])
    func tooLarge(chunked: Bool) async throws {
        let server = try TestHTTPServer { _ in
            var response = TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")], body: TestImages.jpeg(bytes: 300_000))
            response.chunkedEncoding = chunked
            return response
        }
        defer { server.stop() }
        let dir = TestDirectory()
        let fetcher = ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions { $0.maxBytes = 100_000 })
        let error = await fetchError(fetcher, server.baseURL + "/big.jpg")
        #expect(error == .tooLarge(url: server.baseURL + "/big.jpg", limit: 100_000))
        #expect(dir.files().isEmpty)
    }

    @Test("connection refused is SourceUnreachable")
    func connectionRefused() async throws {
        let server = try TestHTTPServer { _ in .text("") }
        let url = server.baseURL + "/x.jpg"
        server.stop()
        let dir = TestDirectory()
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()), url)
        #expect(error?.reason == .sourceUnreachable)
    }

    @Test("a loopback source is Blocked by default and fetched once allowed")
    func loopbackBlockedUnlessAllowed() async throws {
        let picsum = try PicsumLikeServer()
        defer { picsum.stop() }
        let dir = TestDirectory()
        let strict = ImageFetcher(store: BlobStore(root: dir.path))
        let error = await fetchError(strict, picsum.baseURL + "/1200")
        #expect(error?.reason == .blocked)
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(picsum.server.requests.isEmpty, "refused before connecting")
        var options = FetchOptions()
        options.addressPolicy = AddressPolicy(allowedRanges: [CIDR("127.0.0.1/32")!])
        let allowed = ImageFetcher(store: BlobStore(root: dir.path), options: options)
        #expect(try await allowed.fetch(picsum.baseURL + "/1200", namespace: "default", name: "img").picsumID == "237")
    }

    @Test("a redirect to a refused address is Blocked before connecting to it")
    func redirectToBlockedAddress() async throws {
        let inner = try TestHTTPServer(host: "127.0.0.2") { _ in TestHTTPResponse(status: 200, body: TestImages.jpeg()) }
        defer { inner.stop() }
        let outer = try TestHTTPServer { _ in .redirect(to: inner.baseURL + "/secret.jpg") }
        defer { outer.stop() }
        let dir = TestDirectory()
        var options = loopbackOptions()
        options.addressPolicy = AddressPolicy(allowedRanges: [CIDR("127.0.0.1/32")!])
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: options), outer.baseURL + "/start")
        #expect(error?.reason == .blocked)
        #expect(error?.description.contains("127.0.0.2") == true)
        #expect(inner.requests.isEmpty)
    }

    @Test("a redirect to a scheme other than http or https is Blocked")
    func redirectToOtherScheme() async throws {
        let server = try TestHTTPServer { _ in .redirect(to: "file:///etc/passwd") }
        defer { server.stop() }
        let dir = TestDirectory()
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()), server.baseURL + "/x")
        #expect(error?.reason == .blocked)
    }

    @Test("cancelling the task aborts the transfer promptly and removes the temporary file")
    func cancellation() async throws {
        let server = try TestHTTPServer { _ in
            var response = TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")], body: TestImages.jpeg(bytes: 2_000_000))
            response.bodyChunkSize = 4096
            response.delayBetweenChunks = 0.05
            return response
        }
        defer { server.stop() }
        let dir = TestDirectory()
        let fetcher = ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions { $0.totalTimeout = 60 })
        let task = Task { try await fetcher.fetch(server.baseURL + "/slow.jpg", namespace: "default", name: "img") }
        // Wait until bytes are flowing into the temporary file.
        for _ in 0..<200 where !dir.files().contains(where: { $0.contains(".tmp-") }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(dir.files().contains { $0.contains(".tmp-") }, "the transfer started")
        let cancelled = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - cancelled < .seconds(10), "cancellation is prompt, not the 60 s timeout")
        #expect(dir.files().isEmpty, "the temporary file is removed")
    }

    @Test("an unwritable volume is a StorageError")
    func unwritableVolume() async throws {
        let picsum = try PicsumLikeServer()
        defer { picsum.stop() }
        let dir = TestDirectory()
        FileManager.default.createFile(atPath: dir.path + "/not-a-dir", contents: Data())
        let error = await fetchError(ImageFetcher(store: BlobStore(root: dir.path + "/not-a-dir"), options: loopbackOptions()), picsum.baseURL + "/1200")
        #expect(error?.reason == .storageError)
    }

    @Test("small responses such as Picsum's info are fetched into memory under the same policy")
    func fetchData() async throws {
        let picsum = try PicsumLikeServer()
        defer { picsum.stop() }
        let dir = TestDirectory()
        let data = try await ImageFetcher(store: BlobStore(root: dir.path), options: loopbackOptions()).fetchData(picsum.baseURL + "/id/237/info")
        let info = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(info?["author"] as? String == "Author 237")
        await #expect(throws: FetchError.self) { try await ImageFetcher(store: BlobStore(root: dir.path)).fetchData(picsum.baseURL + "/id/237/info") }
    }
}
