import Foundation
import HourlyImageAPI
import HourlyImageMetrics
import HourlyImageStore
import Hummingbird

extension WebRenderer {
    /// Builds the admin router: the resources as JSON at the Kubernetes API paths (source URLs included, so not for the
    /// public), `/healthz`, `/readyz` and `/metrics`.
    public func buildAdminRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
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
        return router
    }
}
