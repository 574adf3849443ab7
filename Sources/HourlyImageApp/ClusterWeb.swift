import BlobStore
import HourlyImageMetrics
import KubeClient
import KubeStore
import Logging
import Prometheus
import ServiceLifecycle
import WebRenderer

/// The web on a cluster, wired once: the HourlyImage store over the API (read, plus the grace-view patch) and the
/// renderer over the read-only volume. `hourly-image web` serves it; the operator tests serve exactly this.
public struct ClusterWeb: Sendable {
    /// The store over the API (a service: its reflector keeps the cache).
    public let store: KubeResourceStore
    /// The page, image bytes, JSON, probes and metrics.
    public let renderer: WebRenderer

    /// Builds the parts for the HourlyImages of `namespace`, images under `volumeRoot`.
    public init(
        connection: ClusterConnection, namespace: String, volumeRoot: String, imageName: String? = nil,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), problems: AccessProblems? = nil, watchTimeout: Int = 300,
        makeLogger: @Sendable (String) -> Logger = { Logger(label: $0) }
    ) {
        let client = KubeClient(connection: connection, observer: RestClientMetrics(registry: registry).observer)
        store = KubeResourceStore(
            client: client, namespace: namespace, watchTimeout: watchTimeout, problems: problems, logger: makeLogger("hourly-image.kube-store"))
        renderer = WebRenderer(
            store: store, blobs: BlobStore(root: volumeRoot), imageName: imageName, registry: registry, logger: makeLogger("hourly-image.web"))
    }

    /// The services to run beside the listeners: the store's reflector.
    public var services: [any Service] { [store] }
}
