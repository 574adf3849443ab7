import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import Hummingbird
import Logging
import Prometheus
import SystemSupport

/// The web side: renders HourlyImages from a resource store and serves their image bytes.
///
/// The same renderer serves standalone mode and the `web` Deployment; they differ in the store, and standalone mode
/// also hands a due promotion straight to its controller (`onPromotionDue`). It has two routers:
/// the public one (`buildRouter()`: the pages and image bytes, nothing else) and the admin one
/// (`buildAdminRouter()`: metrics, the JSON status with its source URLs, probes), served on separate ports.
public struct WebRenderer: Sendable {
    let store: any ResourceStore
    let blobs: BlobStore
    let imageName: String?
    let metrics: WebMetrics
    let counter: GraceCounter
    let refreshes: (any RefreshRequesting)?
    let live = LiveStreams()
    let liveSettings: LiveEventSettings
    let pages = PageCache()
    let blobCache = BlobCache()
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates a renderer.
    ///
    /// - Parameters:
    ///   - imageName: the resource `/` shows (`name` or `namespace/name`); nil for the only or first one.
    ///   - onPromotionDue: called when a page view finds the grace views used up and a pending image
    ///     ready; standalone mode reconciles right away so that the view shows the new image.
    ///   - policy: how often a grace view lost to a concurrent write is re-read and counted again.
    ///   - liveSettings: heartbeats and caps of the live page's event streams.
    ///   - refreshes: where the admin port's `POST /images/{namespace}/{name}/refresh` sets the refresh annotation
    ///     (standalone mode); nil serves no such route.
    public init(
        store: any ResourceStore, blobs: BlobStore, imageName: String? = nil, registry: PrometheusCollectorRegistry,
        onPromotionDue: (@Sendable (ResourceKey) async -> Void)? = nil, policy: RetryPolicy = .standard,
        refreshes: (any RefreshRequesting)? = nil, liveSettings: LiveEventSettings = .standard,
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "hourly-image.web")
    ) {
        self.store = store
        self.blobs = blobs
        self.imageName = imageName
        self.metrics = WebMetrics(registry: registry)
        self.counter = GraceCounter(store: store, policy: policy, metrics: metrics, onPromotionDue: onPromotionDue, logger: logger)
        self.refreshes = refreshes
        self.liveSettings = liveSettings
        self.now = now
        self.logger = logger
    }

    /// The routes of the public port (GET and HEAD): the pages, their live event streams and the image bytes.
    public static let publicRoutes = [
        "/", "/images", "/images/{namespace}/{name}", "/images/{namespace}/{name}/events", "/images/{namespace}/{name}/history",
        "/images/{namespace}/{name}/{sha256}.{ext}",
    ]

    /// The routes of the admin port: the JSON status, probes, metrics and (standalone, POST) refresh.
    public static let adminRoutes = [
        "/apis/images.dwk.dev/v1alpha1/hourlyimages", "/apis/images.dwk.dev/v1alpha1/namespaces/{namespace}/hourlyimages",
        "/apis/images.dwk.dev/v1alpha1/namespaces/{namespace}/hourlyimages/{name}", "/healthz", "/readyz", "/metrics",
        "/images/{namespace}/{name}/refresh",
    ]

    /// Builds the public router: the pages and image bytes, for GET and for HEAD (which never counts a grace view).
    public func buildRouter() -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        for method in [HTTPRequest.Method.get, .head] {
            let view = method == .get
            router.on("/", method: method) { _, _ in try await self.home(view: view).forMethod(method) }
            router.on("/images", method: method) { _, _ in self.html(IndexPage.render(try await self.store.list())).forMethod(method) }
            router.on("/images/:namespace/:name", method: method) { _, context in
                let key = ResourceKey(namespace: try context.parameters.require("namespace"), name: try context.parameters.require("name"))
                return try await self.page(key, view: view).forMethod(method)
            }
            router.on("/images/:namespace/:name/events", method: method) { request, context in
                try await self.liveEvents(request, context: context, body: view)
            }
            router.on("/images/:namespace/:name/history", method: method) { _, context in
                let key = ResourceKey(namespace: try context.parameters.require("namespace"), name: try context.parameters.require("name"))
                return try await self.history(key).forMethod(method)
            }
            router.on("/images/:namespace/:name/:file", method: method) { request, context in
                try await self.imageBytes(request, context: context, body: view)
            }
        }
        return router
    }

    /// The page `/` shows; `view` false (HEAD) renders it without counting a view.
    private func home(view: Bool) async throws -> Response {
        let all = try await store.list()
        if let imageName {
            let parts = imageName.split(separator: "/", maxSplits: 1).map(String.init)
            let match = all.first { r in
                parts.count == 2 ? (r.metadata.namespaceOrDefault) == parts[0] && r.metadata.name == parts[1] : r.metadata.name == imageName
            }
            guard let match else {
                return html(notFoundPage("No HourlyImage named \(imageName)"), status: .notFound)
            }
            return await page(match, view: view)
        }
        guard let first = all.first else { return html(IndexPage.render([])) }
        return await page(first, view: view)
    }

    /// One resource's page. Only a view (GET) is counted, and only a view can use up a grace view: a HEAD (a link
    /// preview, a monitor) renders the same page from the same status and changes nothing.
    private func page(_ key: ResourceKey, view: Bool) async throws -> Response {
        guard let resource = try await store.get(key) else {
            return html(notFoundPage("No HourlyImage \(key)"), status: .notFound)
        }
        return await page(resource, view: view)
    }

    /// The page of a resource just read from the store.
    private func page(_ resource: HourlyImage, view: Bool) async -> Response {
        let key = ResourceKey(resource)
        // One instant per view: the page says what the counter decided (fresh, or which grace view this was).
        let now = now()
        guard view else { return html(pages.page(resource, now: now)) }
        metrics.pageView(key.description)
        let viewed = await counter.view(resource, now: now)
        return html(pages.page(viewed, now: now))
    }

    /// The history page: the index beside the blobs, read off the pool, and a `stat` per entry.
    private func history(_ key: ResourceKey) async throws -> Response {
        guard let resource = try await store.get(key) else { return html(notFoundPage("No HourlyImage \(key)"), status: .notFound) }
        let blobs = self.blobs
        let page = try await OffPool.run {
            let history = blobs.readHistory(namespace: key.namespace, name: key.name).flatMap(ImageHistory.decode)
            return HistoryPage.render(resource, history: history) { file in
                (try? BlobPath.resolve(file, under: blobs.root)).map { access($0, F_OK) == 0 } ?? false
            }
        }
        return html(page)
    }

    /// Whether an If-None-Match list names `etag` (weak comparison, RFC 9110 13.1.2) or is `*`.
    static func matches(ifNoneMatch: String, etag: String) -> Bool {
        ifNoneMatch.utf8.split(separator: UInt8(ascii: ",")).contains { item in
            var tag = item[...]
            while let first = tag.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { tag.removeFirst() }
            while let last = tag.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { tag.removeLast() }
            if tag.starts(with: "W/".utf8) { tag.removeFirst(2) }
            return tag.elementsEqual(etag.utf8) || tag.elementsEqual("*".utf8)
        }
    }

    /// The bytes of one content-addressed image; with `body` false (HEAD) only its headers and length.
    private func imageBytes(_ request: Request, context: WebRequestContext, body: Bool) async throws -> Response {
        let namespace = try context.parameters.require("namespace")
        let name = try context.parameters.require("name")
        let file = try context.parameters.require("file")
        guard BlobStore.isBlobName(file) else { return text("not an image name\n", status: .notFound).forBody(body) }
        let sha = String(file.prefix(64))
        let etag = "\"\(sha)\""
        let cache = "public, max-age=31536000, immutable"
        if let match = request.headers[.ifNoneMatch], Self.matches(ifNoneMatch: match, etag: etag) {
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: cache])
        }
        let ext = (file as NSString).pathExtension
        let type = ext == "jpg" ? "image/jpeg" : "image/\(ext)"
        var headers: HTTPFields = [.contentType: type, .eTag: etag, .cacheControl: cache]
        let relative = "\(namespace)/\(name)/blobs/\(file)"
        if let blob = blobCache.cached(relative) {
            guard body else {
                headers[.contentLength] = String(blob.bytes.readableBytes)
                return Response(status: .ok, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: blob.bytes))
        }
        let path: String
        do {
            path = try BlobPath.resolve(relative, under: blobs.root)
        } catch {
            return text("no such image\n", status: .notFound).forBody(body)
        }
        // Only a regular file is an image: a directory or device named like a blob would be "served" with a bogus length.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return text("no such image\n", status: .notFound).forBody(body) }
        guard body else {
            headers[.contentLength] = String(info.st_size)
            return Response(status: .ok, headers: headers)
        }
        if let blob = await blobCache.load(relative, path: path, size: Int(info.st_size)) {
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: blob.bytes))
        }
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: path, context: context))
    }
}
