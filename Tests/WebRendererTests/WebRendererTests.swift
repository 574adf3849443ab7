import Foundation
import HourlyImageAPI
import HourlyImageStore
import Synchronization
import TestSupport
import Testing

@testable import WebRenderer

@Suite("Web renderer, served live on loopback")
struct WebRendererTests {
    @Test("before the first image the page shows a waiting state, reloads itself, and is never cached")
    func waiting() async throws {
        let f = try WebFixture()
        try await withServer(f.renderer()) { base in
            let page = try await TestHTTPClient.get(base + "/")
            #expect(page.status == 200)
            #expect(page.headers["cache-control"] == "no-store")
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.text.contains("Waiting for the first image"))
            #expect(page.text.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
        }
    }

    @Test("a failure before any image shows the Degraded reason, not a 500")
    func errorState() async throws {
        let f = try WebFixture()
        let degraded = Condition(type: "Degraded", status: .true, reason: "SourceUnreachable", message: "cannot reach https://picsum.photos/1200: timeout", lastTransitionTime: Timestamp(f.now))
        try await f.setStatus(HourlyImageStatus(consecutiveFailures: 2, conditions: [degraded]))
        try await withServer(f.renderer()) { base in
            let page = try await TestHTTPClient.get(base + "/images/default/project-image")
            #expect(page.status == 200)
            #expect(page.text.contains("No image yet: SourceUnreachable"))
            #expect(page.text.contains("cannot reach https://picsum.photos/1200: timeout"))
        }
    }

    @Test("a fresh image: content-addressed image, expiry countdown, credit, badges, reload at expiry")
    func freshImage() async throws {
        let f = try WebFixture()
        let image = try f.blob(age: 600)
        let ready = Condition(type: "Ready", status: .true, reason: "ImageAvailable", message: "serving", lastTransitionTime: image.fetchedAt)
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0, conditions: [ready]))
        try await withServer(f.renderer()) { base in
            let page = try await TestHTTPClient.get(base + "/").text
            #expect(page.contains("<img src=\"/images/default/project-image/\(image.sha256).jpg\""))
            #expect(page.contains("data-expires=\"\(image.expiresAt!.secondsSince1970)\""))
            #expect(page.contains("<a href=\"https://unsplash.com/photos/yC-Yzbqy7PY\" rel=\"noopener\">Alejandro Escamilla</a>"))
            #expect(page.contains("<dt>Picsum id</dt><dd>237</dd>"))
            #expect(page.contains("Ready: ImageAvailable"))
            #expect(page.contains("<meta http-equiv=\"refresh\" content=\"3001\">"))
        }
    }

    @Test("everything printed is escaped")
    func escaping() async throws {
        var evil = HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"))
        evil.spec.url = "https://example.com/\"><script>alert(1)</script>"
        let f = try WebFixture([evil])
        var image = try f.blob()
        image.author = "<script>alert('x')</script>"
        image.authorURL = "javascript:alert(1)"
        image.picsumID = "<b>1</b>"
        let bad = Condition(type: "Degraded", status: .true, reason: "HTTPError", message: "<img src=x onerror=alert(1)>", lastTransitionTime: image.fetchedAt)
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0, conditions: [bad]))
        try await withServer(f.renderer()) { base in
            let page = try await TestHTTPClient.get(base + "/").text
            #expect(!page.contains("<script>alert"))
            #expect(!page.contains("<img src=x"))
            #expect(!page.contains("javascript:"))
            #expect(!page.contains("<b>1</b>"))
            #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        }
    }

    @Test("credentials in spec.url and the source URL never reach the public page", arguments: [true, false])
    func credentialsRedacted(withImage: Bool) async throws {
        var secret = HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"))
        secret.spec.url = "https://alice:hunter2@images.example.com/pic.jpg?token=s3cr3t&size=1"
        let f = try WebFixture([secret])
        if withImage {
            var image = try f.blob()
            image.sourceURL = "https://cdn.example.com/pic.jpg?signature=s3cr3t"
            try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        }
        try await withServer(f.renderer()) { base in
            let page = try await TestHTTPClient.get(base + "/").text
            for secretText in ["alice", "hunter2", "s3cr3t"] { #expect(!page.contains(secretText), "\(secretText) shown") }
            #expect(page.contains("images.example.com/pic.jpg?token=***&amp;size=***") || page.contains("images.example.com/pic.jpg?token=***&size=***"))
        }
    }

    @Test("image bytes: right type, ETag, immutable caching, 304 on If-None-Match, 404 for anything else")
    func imageBytes() async throws {
        let f = try WebFixture()
        let data = TestImages.jpeg(bytes: 300_000, seed: 3)
        let image = try f.blob(data)
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        try await withServer(f.renderer()) { base in
            let url = base + "/images/default/project-image/\(image.sha256).jpg"
            let response = try await TestHTTPClient.get(url)
            #expect(response.status == 200)
            #expect(response.body == data)
            #expect(response.headers["content-type"] == "image/jpeg")
            #expect(response.headers["etag"] == "\"\(image.sha256)\"")
            #expect(response.headers["cache-control"] == "public, max-age=31536000, immutable")
            let cached = try await TestHTTPClient.get(url, headers: ["If-None-Match": "\"\(image.sha256)\""])
            #expect(cached.status == 304)
            #expect(cached.body.isEmpty)
            #expect(try await TestHTTPClient.get(base + "/images/default/project-image/\(String(repeating: "0", count: 64)).jpg").status == 404)
            #expect(try await TestHTTPClient.get(base + "/images/default/project-image/..%2F..%2Fstate").status == 404)
            #expect(try await TestHTTPClient.get(base + "/images/default/other/\(image.sha256).jpg").status == 404)
        }
    }

    @Test("only regular files are served: a directory named like a blob is a 404, not a 200 with a bogus length")
    func directoryNamedLikeABlob() async throws {
        let f = try WebFixture()
        let sha = String(repeating: "ab", count: 32)
        try FileManager.default.createDirectory(atPath: f.dir + "/volume/default/project-image/blobs/\(sha).jpg", withIntermediateDirectories: true)
        try await withServer(f.renderer()) { base in
            let response = try await TestHTTPClient.get(base + "/images/default/project-image/\(sha).jpg")
            #expect(response.status == 404)
        }
    }

    @Test("every response carries nosniff, a Content-Security-Policy that forbids framing, and no referrer", arguments: [
        "/", "/images", "/images/default/project-image", "/images/default/missing", "/metrics", "/no/such/route",
    ])
    func securityHeaders(path: String) async throws {
        let f = try WebFixture()
        let image = try f.blob(TestImages.jpeg(bytes: 1000, seed: 4))
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        try await withServers(f.renderer()) { web in
            let admin = web.admin + "/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages/project-image"
            for url in [web.page + path, web.page + "/images/default/project-image/\(image.sha256).jpg", web.admin + "/healthz", admin] {
                let response = try await TestHTTPClient.get(url)
                #expect(response.headers["x-content-type-options"] == "nosniff", "\(url)")
                #expect(response.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true, "\(url)")
                #expect(response.headers["content-security-policy"]?.contains("default-src 'none'") == true, "\(url)")
                #expect(response.headers["x-frame-options"] == "DENY", "\(url)")
                #expect(response.headers["referrer-policy"] == "no-referrer", "\(url)")
            }
        }
    }

    @Test("the resource and the list as JSON at the Kubernetes API paths; a 404 is a Status")
    func json() async throws {
        let f = try WebFixture()
        try await withServers(f.renderer()) { web in
            let api = web.admin + "/apis/images.dwk.dev/v1alpha1"
            let one = try await TestHTTPClient.get(api + "/namespaces/default/hourlyimages/project-image")
            #expect(one.status == 200)
            let decoded = try JSONDecoder().decode(HourlyImage.self, from: one.body)
            #expect(decoded == (await f.store.get(ResourceKey(namespace: "default", name: "project-image"))))
            let list = try JSONSerialization.jsonObject(with: try await TestHTTPClient.get(api + "/namespaces/default/hourlyimages").body) as? [String: Any]
            #expect(list?["kind"] as? String == "HourlyImageList")
            #expect((list?["items"] as? [Any])?.count == 1)
            let all = try JSONSerialization.jsonObject(with: try await TestHTTPClient.get(api + "/hourlyimages").body) as? [String: Any]
            #expect((all?["items"] as? [Any])?.count == 1)
            let other = try JSONSerialization.jsonObject(with: try await TestHTTPClient.get(api + "/namespaces/other/hourlyimages").body) as? [String: Any]
            #expect((other?["items"] as? [Any])?.isEmpty == true)
            let missing = try await TestHTTPClient.get(api + "/namespaces/default/hourlyimages/nope")
            #expect(missing.status == 404)
            let status = try JSONSerialization.jsonObject(with: missing.body) as? [String: Any]
            #expect(status?["kind"] as? String == "Status")
            #expect(status?["reason"] as? String == "NotFound")
            #expect(status?["code"] as? Int == 404)
        }
    }

    @Test("health, readiness and Prometheus metrics on the admin port, counting the public port's requests")
    func probesAndMetrics() async throws {
        let f = try WebFixture()
        try await withServers(f.renderer()) { web in
            #expect(try await TestHTTPClient.get(web.admin + "/healthz").status == 200)
            #expect(try await TestHTTPClient.get(web.admin + "/readyz").status == 200)
            _ = try await TestHTTPClient.get(web.page + "/")
            _ = try await TestHTTPClient.get(web.page + "/nope")
            let metrics = try await TestHTTPClient.get(web.admin + "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(metrics.text.contains("hourly_image_http_requests_total{route=\"/\",code=\"200\"} 1"))
            #expect(metrics.text.contains("hourly_image_page_views_total{hourlyimage=\"default/project-image\"} 1"))
            #expect(metrics.text.contains("code=\"404\""))
        }
    }

    @Test("the web's /metrics has every route's 200 series at zero and the process metrics before any request")
    func metricsAtStart() async throws {
        let f = try WebFixture()
        try await withServers(f.renderer()) { web in
            let base = web.admin
            let first = try await TestHTTPClient.get(base + "/metrics").text
            #expect(first.contains(#"hourly_image_http_requests_total{route="/images",code="200"} 0"#))
            #expect(first.contains(#"hourly_image_http_requests_total{route="/healthz",code="200"} 0"#))
            for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                         "process_open_fds", "process_max_fds", "process_start_time_seconds"] {
                #expect(first.contains("\n\(name) "), "\(name)")
                #expect(first.contains("# TYPE \(name) \(name.hasSuffix("_total") ? "counter" : "gauge")"), "\(name)")
            }
            _ = try await TestHTTPClient.get(base + "/healthz")
            let second = try await TestHTTPClient.get(base + "/metrics").text
            #expect(second.contains(#"hourly_image_http_requests_total{route="/healthz",code="200"} 1"#))
            #expect(second.contains(#"hourly_image_http_requests_total{route="/metrics",code="200"} 1"#))
        }
    }

    @Test("a view at the instant of expiry is judged and rendered at one instant: served fresh, it says fresh and counts nothing")
    func oneInstantPerView() async throws {
        let f = try WebFixture()
        let image = try f.blob(age: 3600 - 0.001)
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        // The first reading is a millisecond before expiry, every later one after it: a second reading would render
        // "expired" for a view the counter judged fresh.
        let readings = Mutex(0)
        let expiry = image.expiresAt!.date
        let clock: @Sendable () -> Date = {
            readings.withLock { $0 += 1; return $0 == 1 ? expiry.addingTimeInterval(-0.001) : expiry.addingTimeInterval(1) }
        }
        try await withServer(f.renderer(clock: clock)) { base in
            let page = try await TestHTTPClient.get(base + "/").text
            #expect(page.contains("data-expires="), "rendered as fresh")
            #expect(!page.contains("expired —"))
        }
        #expect(try await f.store.get(ResourceKey(namespace: "default", name: "project-image"))?.status?.graceViews == 0)
    }

    @Test("the index lists every resource; --image picks the page `/` shows; unknown names are 404")
    func indexAndSelection() async throws {
        let f = try WebFixture([
            HourlyImage(metadata: ObjectMeta(name: "one", namespace: "default")),
            HourlyImage(metadata: ObjectMeta(name: "two", namespace: "default"), spec: HourlyImageSpec(ttl: "5m")),
        ])
        try await withServer(f.renderer(imageName: "two")) { base in
            let index = try await TestHTTPClient.get(base + "/images").text
            #expect(index.contains("default/one") && index.contains("default/two"))
            #expect(try await TestHTTPClient.get(base + "/").text.contains("<h1>two</h1>"))
            #expect(try await TestHTTPClient.get(base + "/images/default/three").status == 404)
        }
        try await withServer(f.renderer(imageName: "default/nope")) { base in
            let response = try await TestHTTPClient.get(base + "/")
            #expect(response.status == 404)
        }
    }
}

@Suite("Grace views on page views")
struct GraceViewTests {
    @Test("a page view of an expired image counts one grace view; image requests and fresh views count none")
    func countsGraceViews() async throws {
        let f = try WebFixture()
        let image = try f.blob(age: 4000)  // expired 400 s ago
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        let key = ResourceKey(namespace: "default", name: "project-image")
        try await withServer(f.renderer()) { base in
            _ = try await TestHTTPClient.get(base + "/images/default/project-image/\(image.sha256).jpg")
            #expect(await f.store.get(key)?.status?.graceViews == 0)
            let page = try await TestHTTPClient.get(base + "/").text
            #expect(page.contains("expired — 1 of 1 grace view used"))
            #expect(await f.store.get(key)?.status?.graceViews == 1)
            _ = try await TestHTTPClient.get(base + "/")
            #expect(await f.store.get(key)?.status?.graceViews == 1, "no more than graceCount views are counted")
        }
        let fresh = try WebFixture()
        try await fresh.setStatus(HourlyImageStatus(current: try fresh.blob(age: 10), graceViews: 0))
        try await withServer(fresh.renderer()) { base in
            _ = try await TestHTTPClient.get(base + "/")
            #expect(await fresh.store.get(key)?.status?.graceViews == 0)
        }
    }

    @Test("concurrent viewers of an expired image never count more than graceCount", arguments: [1, 3])
    func concurrentViewers(graceCount: Int) async throws {
        let f = try WebFixture([HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"), spec: HourlyImageSpec(graceCount: graceCount))])
        try await f.setStatus(HourlyImageStatus(current: try f.blob(age: 4000), graceViews: 0))
        try await withServer(f.renderer()) { base in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await TestHTTPClient.get(base + "/") } }
                try await group.waitForAll()
            }
        }
        #expect(await f.store.get(ResourceKey(namespace: "default", name: "project-image"))?.status?.graceViews == graceCount)
    }

    @Test("N concurrent views of an expired image count exactly graceCount grace views: none lost, none counted twice", arguments: [1, 3, 5])
    func concurrentViewsCountExactly(graceCount: Int) async throws {
        let f = try WebFixture([HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"), spec: HourlyImageSpec(graceCount: graceCount))])
        try await f.setStatus(HourlyImageStatus(current: try f.blob(age: 4000), graceViews: 0))
        let views = 24
        try await withServers(f.renderer()) { servers in
            let pages = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<views { group.addTask { try await TestHTTPClient.get(servers.page + "/").text } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Each count below graceCount is shown by exactly the one view that made it (the page renders what was
            // counted); every view sees the expired image.
            for used in 1..<graceCount {
                #expect(pages.filter { $0.contains("expired — \(used) of \(graceCount) grace view") }.count == 1, "count \(used)")
            }
            #expect(pages.allSatisfy { $0.contains("expired — ") })
            let metrics = try await TestHTTPClient.get(servers.admin + "/metrics").text
            #expect(metrics.contains(#"hourly_image_grace_views_total{hourlyimage="default/project-image"} \#(graceCount)"#), "\(metrics)")
            #expect(metrics.contains(#"hourly_image_page_views_total{hourlyimage="default/project-image"} \#(views)"#))
        }
        #expect(await f.store.get(ResourceKey(namespace: "default", name: "project-image"))?.status?.graceViews == graceCount)
    }

    @Test("once the grace views are used and a pending image is ready, a page view asks for promotion")
    func promotionDue() async throws {
        let f = try WebFixture()
        let current = try f.blob(age: 4000)
        let pending = try f.blob(TestImages.jpeg(seed: 9), age: 0)
        try await f.setStatus(HourlyImageStatus(current: current, pending: pending, graceViews: 1))
        let asked = Mutex<[ResourceKey]>([])
        try await withServer(f.renderer(onPromotionDue: { key in asked.withLock { $0.append(key) } })) { base in
            _ = try await TestHTTPClient.get(base + "/")
        }
        #expect(asked.withLock { $0 } == [ResourceKey(namespace: "default", name: "project-image")])
    }
}
