import Foundation
import HourlyImageAPI
import HourlyImageStore
import TestSupport
import Testing

@testable import WebRenderer

/// A raw HTTP/1.1 answer split into status, headers (names lowercased) and the bytes after the head.
struct RawAnswer {
    var status: Int
    var headers: [String: String]
    var body: String

    init(_ text: String) {
        let parts = text.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
    }
}

/// A HEAD request for `path` that asks the server to close the connection after answering.
func head(_ port: Int, _ path: String) async -> RawAnswer {
    RawAnswer(await rawExchange(port: port, "HEAD \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
}

@Suite("The public port serves only the page; the admin port the rest")
struct PortSplitTests {
    static let adminOnly = [
        "/metrics", "/healthz", "/readyz", "/apis/images.dwk.dev/v1alpha1/hourlyimages",
        "/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages", "/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages/project-image",
    ]

    @Test("metrics, the JSON status and the probes are 404 on the public port and 200 on the admin port", arguments: adminOnly)
    func adminPathsOnlyOnAdmin(path: String) async throws {
        let f = try WebFixture()
        var image = try f.blob()
        image.sourceURL = "https://cdn.example.com/pic.jpg?signature=s3cr3t"
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        try await withServers(f.renderer()) { web in
            let public_ = try await TestHTTPClient.get(web.page + path)
            #expect(public_.status == 404, "\(path) on the public port")
            #expect(!public_.text.contains("s3cr3t"))
            #expect(await head(web.pagePort, path).status == 404)
            #expect(try await TestHTTPClient.get(web.admin + path).status == 200, "\(path) on the admin port")
        }
    }

    @Test("the admin port serves no page and no image bytes", arguments: ["/", "/images", "/images/default/project-image"])
    func pageNotOnAdmin(path: String) async throws {
        let f = try WebFixture()
        try await withServers(f.renderer()) { web in
            let admin = try await TestHTTPClient.get(web.admin + path)
            let page = try await TestHTTPClient.get(web.page + path)
            #expect(admin.status == 404)
            #expect(page.status == 200)
        }
    }

    @Test("the page links nothing on the admin port")
    func pageLinksNoAdminPath() async throws {
        let f = try WebFixture()
        try await f.setStatus(HourlyImageStatus(current: try f.blob(), graceViews: 0))
        try await withServers(f.renderer()) { web in
            let page = try await TestHTTPClient.get(web.page + "/").text
            #expect(!page.contains("/apis/"))
            #expect(!page.contains("/metrics"))
        }
    }

    @Test("the route lists are disjoint and name what each router serves")
    func routeLists() {
        #expect(Set(WebRenderer.publicRoutes).isDisjoint(with: WebRenderer.adminRoutes))
        #expect(WebRenderer.adminRoutes.contains("/readyz") && WebRenderer.adminRoutes.contains("/metrics"))
    }
}

@Suite("HEAD answers like GET, without a body and without counting a view")
struct HeadRequestTests {
    @Test("HEAD of the pages and an image: the status and headers of GET, Content-Length included, and no body", arguments: [
        "/", "/images", "/images/default/project-image", "/images/default/missing", "IMAGE",
    ])
    func headLikeGet(path: String) async throws {
        let f = try WebFixture()
        let image = try f.blob(TestImages.jpeg(bytes: 50_000, seed: 5), age: 60)
        try await f.setStatus(HourlyImageStatus(current: image, graceViews: 0))
        let target = path == "IMAGE" ? "/images/default/project-image/\(image.sha256).jpg" : path
        try await withServers(f.renderer()) { web in
            let get = try await TestHTTPClient.get(web.page + target)
            let answer = await head(web.pagePort, target)
            #expect(answer.status == get.status)
            #expect(answer.body.isEmpty, "a HEAD answer has no body: \(answer.body.prefix(80))")
            for name in ["content-type", "cache-control", "etag", "content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"] {
                #expect(answer.headers[name] == get.headers[name], "\(name) of HEAD \(target)")
            }
            #expect(answer.headers["content-length"] == String(get.body.count), "HEAD \(target) announces GET's length")
        }
    }

    @Test("HEAD of an expired image's pages never uses a grace view; GET does", arguments: ["/", "/images/default/project-image"])
    func headCountsNoGraceView(path: String) async throws {
        let f = try WebFixture([HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"), spec: HourlyImageSpec(graceCount: 3))])
        try await f.setStatus(HourlyImageStatus(current: try f.blob(age: 4000), graceViews: 0))
        let key = ResourceKey(namespace: "default", name: "project-image")
        try await withServers(f.renderer()) { web in
            for _ in 0..<12 {
                let answer = await head(web.pagePort, path)
                #expect(answer.status == 200)
            }
            #expect(await f.store.get(key)?.status?.graceViews == 0, "a link-preview bot's HEADs consume no grace")
            let metrics = try await TestHTTPClient.get(web.admin + "/metrics").text
            #expect(!metrics.contains("hourly_image_grace_views_total"))
            #expect(!metrics.contains("hourly_image_page_views_total"))
            _ = try await TestHTTPClient.get(web.page + path)
            #expect(await f.store.get(key)?.status?.graceViews == 1)
            _ = await head(web.pagePort, path)
            #expect(await f.store.get(key)?.status?.graceViews == 1)
        }
    }
}
