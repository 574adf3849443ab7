import HourlyImageMetrics
import HourlyImageStore
import Hummingbird
import KubeClient
import LeaderElection
import Prometheus

/// The controller's `/healthz`, `/readyz` and `/metrics`.
public enum ControllerProbes {
    /// The routes; `/readyz` is 503 until the cache has synced and while `problems` has any refused call.
    public static func router(
        store: KubeResourceStore, elector: LeaderElector?, problems: AccessProblems, registry: PrometheusCollectorRegistry
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let process = ProcessMetrics(registry: registry)
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            let role = await elector?.isLeader ?? true ? "leader" : "standby"
            let readiness = Readiness.evaluate(
                loaded: await store.isReady, notLoadedReason: "the HourlyImage cache has not synced yet",
                accessProblems: problems.current.map(\.description), okText: "ok (\(role))")
            return Response(
                status: readiness.isReady ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: readiness.text)))
        }
        router.addMetricsRoute { process.exposition() }
        return router
    }
}
