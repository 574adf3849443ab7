import Foundation
import HourlyImageAPI
import HourlyImageMetrics
import HourlyImageStore
import Hummingbird

extension WebRenderer {
    /// Builds the admin router: the resources as JSON at the Kubernetes API paths (source URLs included, so not for the
    /// public), `/healthz`, `/readyz` and `/metrics`.
    public func buildAdminRouter() -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        let api = "/apis/\(HourlyImage.group)/\(HourlyImage.version)"
        router.get("\(api)/hourlyimages") { _, _ in self.json(KubernetesJSON.list(try await self.store.list())) }
        router.get("\(api)/namespaces/:namespace/hourlyimages") { _, context in
            let namespace = try context.parameters.require("namespace")
            return self.json(KubernetesJSON.list(try await self.store.list().filter { ($0.metadata.namespaceOrDefault) == namespace }))
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
        router.addMetricsRoute { self.metrics.exposition() }
        if refreshes != nil {
            router.post("/images/:namespace/:name/refresh") { request, context in try await self.refresh(request, context: context) }
        }
        return router
    }

    /// The longest refresh value the admin port accepts.
    static let maximumRefreshValueBytes = 256

    /// `POST /images/{namespace}/{name}/refresh[?value=V]`: sets the refresh annotation (to V, or to the current time in
    /// nanoseconds) and answers 202 with the resource; the controller then fetches and serves a new image.
    private func refresh(_ request: Request, context: WebRequestContext) async throws -> Response {
        // A web page the operator visits can send a form POST to a local port; a browser names that page's origin.
        if let origin = request.headers[.origin], !Self.sameHost(origin: origin, host: request.head.authority) {
            return text("refused: a refresh is not taken from another site (Origin \(Redaction.logValue(String(origin.prefix(100)))))\n", status: .forbidden)
        }
        let key = ResourceKey(namespace: try context.parameters.require("namespace"), name: try context.parameters.require("name"))
        let value = request.uri.queryParameters["value"].map(String.init) ?? String(Int64(now().timeIntervalSince1970 * 1_000_000_000))
        guard !value.isEmpty, value.utf8.count <= Self.maximumRefreshValueBytes else {
            return text("value must be 1 to \(Self.maximumRefreshValueBytes) bytes\n", status: .badRequest)
        }
        guard let refreshes, let resource = try await refreshes.requestRefresh(key, value: value) else {
            return json(KubernetesJSON.notFound(name: key.name), status: .notFound)
        }
        logger.info("refresh requested on the admin port", metadata: ["hourlyimage": "\(key)", "value": "\(Redaction.logValue(value))"])
        return json(KubernetesJSON.object(resource), status: .accepted)
    }

    /// Whether an `Origin` names the host (and port) the request was sent to.
    static func sameHost(origin: String, host: String?) -> Bool {
        guard let host, let schemeEnd = origin.range(of: "://") else { return false }
        return origin[schemeEnd.upperBound...] == host[...]
    }
}
