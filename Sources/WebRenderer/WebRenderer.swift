import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageStore
import Hummingbird
import Logging
import Prometheus

/// The web side: renders HourlyImages from a resource store and serves their image bytes.
///
/// The same renderer serves standalone mode and the `web` Deployment; only the store differs.
public struct WebRenderer: Sendable {
    let store: any ResourceStore
    let blobs: BlobStore
    let imageName: String?
    let metrics: WebMetrics
    let counter: GraceCounter
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates a renderer.
    ///
    /// - Parameters:
    ///   - imageName: the resource `/` shows (`name` or `namespace/name`); nil for the only or first one.
    ///   - onPromotionDue: called when a page view finds the grace views used up and a pending image
    ///     ready; standalone mode reconciles right away so that the view shows the new image.
    public init(
        store: any ResourceStore, blobs: BlobStore, imageName: String? = nil, registry: PrometheusCollectorRegistry,
        onPromotionDue: (@Sendable (ResourceKey) async -> Void)? = nil, now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger = Logger(label: "hourly-image.web")
    ) {
        self.store = store
        self.blobs = blobs
        self.imageName = imageName
        self.metrics = WebMetrics(registry: registry)
        self.counter = GraceCounter(store: store, metrics: metrics, onPromotionDue: onPromotionDue, logger: logger)
        self.now = now
        self.logger = logger
    }

    /// The routes of DESIGN.md's web component.
    public static let routes = [
        "/", "/images", "/images/{namespace}/{name}", "/images/{namespace}/{name}/{sha256}.{ext}",
        "/apis/images.dwk.dev/v1alpha1/hourlyimages", "/apis/images.dwk.dev/v1alpha1/namespaces/{namespace}/hourlyimages",
        "/apis/images.dwk.dev/v1alpha1/namespaces/{namespace}/hourlyimages/{name}", "/healthz", "/readyz", "/metrics",
    ]

    /// Builds the router.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("/") { _, _ in try await self.home() }
        router.get("/images") { _, _ in self.html(IndexPage.render(try await self.store.list())) }
        router.get("/images/:namespace/:name") { _, context in
            try await self.page(ResourceKey(namespace: try context.parameters.require("namespace"), name: try context.parameters.require("name")))
        }
        router.get("/images/:namespace/:name/:file") { request, context in
            try await self.imageBytes(request, context: context)
        }
        let api = "/apis/\(HourlyImage.group)/\(HourlyImage.version)"
        router.get("\(api)/hourlyimages") { _, _ in self.json(KubernetesJSON.list(try await self.store.list())) }
        router.get("\(api)/namespaces/:namespace/hourlyimages") { _, context in
            let namespace = try context.parameters.require("namespace")
            return self.json(KubernetesJSON.list(try await self.store.list().filter { ($0.metadata.namespace ?? "default") == namespace }))
        }
        router.get("\(api)/namespaces/:namespace/hourlyimages/:name") { _, context in
            let key = ResourceKey(namespace: try context.parameters.require("namespace"), name: try context.parameters.require("name"))
            guard let resource = try await self.store.get(key) else {
                return self.json(KubernetesJSON.notFound(name: key.name), status: .notFound)
            }
            return self.json(KubernetesJSON.object(resource))
        }
        router.get("/healthz") { _, _ in self.text("ok\n") }
        router.get("/readyz") { _, _ in
            let readiness = Readiness.evaluate(
                loaded: await self.store.isReady, notLoadedReason: "the resource store has not loaded yet", accessProblems: await self.store.accessProblems)
            guard readiness.isReady else { return self.text(readiness.text, status: .serviceUnavailable) }
            // Still ready when the API server is unreachable: the last known state keeps being served.
            if let problem = await self.store.problem { return self.text("ok, serving the last known state: \(problem)\n") }
            return self.text(readiness.text)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.exposition())))
        }
        return router
    }

    private func home() async throws -> Response {
        let all = try await store.list()
        if let imageName {
            let parts = imageName.split(separator: "/", maxSplits: 1).map(String.init)
            let match = all.first { r in
                parts.count == 2 ? (r.metadata.namespace ?? "default") == parts[0] && r.metadata.name == parts[1] : r.metadata.name == imageName
            }
            guard let match else {
                return html(notFoundPage("No HourlyImage named \(imageName)"), status: .notFound)
            }
            return try await page(ResourceKey(match))
        }
        guard let first = all.first else { return html(IndexPage.render([])) }
        return try await page(ResourceKey(first))
    }

    private func page(_ key: ResourceKey) async throws -> Response {
        guard let resource = try await store.get(key) else {
            return html(notFoundPage("No HourlyImage \(key)"), status: .notFound)
        }
        metrics.pageView(key.description)
        let viewed = await counter.view(resource, now: now())
        return html(ImagePage.render(viewed, now: now()).html)
    }

    private func imageBytes(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let namespace = try context.parameters.require("namespace")
        let name = try context.parameters.require("name")
        let file = try context.parameters.require("file")
        guard BlobStore.isBlobName(file) else { return text("not an image name\n", status: .notFound) }
        let sha = String(file.prefix(64))
        let etag = "\"\(sha)\""
        let cache = "public, max-age=31536000, immutable"
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: cache])
        }
        let path: String
        do {
            path = try BlobPath.resolve("\(namespace)/\(name)/blobs/\(file)", under: blobs.root)
        } catch {
            return text("no such image\n", status: .notFound)
        }
        // Only a regular file is an image: a directory or device named like a blob would be "served" with a bogus length.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return text("no such image\n", status: .notFound) }
        let body = try await FileIO().loadFile(path: path, context: context)
        let ext = (file as NSString).pathExtension
        let type = ext == "jpg" ? "image/jpeg" : "image/\(ext)"
        return Response(status: .ok, headers: [.contentType: type, .eTag: etag, .cacheControl: cache], body: body)
    }

    private func notFoundPage(_ message: String) -> String {
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title><style>\(PageStyle.css)</style></head><body><main><div class=\"card empty\"><h2>\(HTML.escape(message))</h2><p><a href=\"/images\">All images</a></p></div></main></body></html>"
    }

    private func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Counts requests by matched route and status code.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: WebMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", status: response.status.code)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: context.endpointPath ?? "unmatched", status: status)
            throw error
        }
    }
}
