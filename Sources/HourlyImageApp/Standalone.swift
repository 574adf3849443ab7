import BlobStore
import HourlyImageAPI
import HourlyImageController
import ImageFetch
import LocalStore
import Prometheus
import ServiceLifecycle
import WebRenderer

/// Standalone mode, wired once: resources from files with status in the data directory, the reconcile loop and the
/// renderer in one process; a due promotion seen by the page is reconciled at once.
public struct Standalone: Sendable {
    /// Resources and their saved status.
    public let store: FileResourceStore
    /// The reconcile loop.
    public let controller: Controller
    /// The page, image bytes, JSON, probes and metrics.
    public let renderer: WebRenderer

    /// Builds the parts; throws when the data directory cannot be used.
    public init(
        resources: [HourlyImage], dataDirectory: String, fetchOptions: FetchOptions, imageName: String? = nil,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) throws {
        let store = try FileResourceStore(resources: resources, dataDirectory: dataDirectory)
        let blobs = BlobStore(root: dataDirectory + "/volume")
        let metrics = ControllerMetrics(registry: registry)
        let reconciler = Reconciler(
            store: store, blobs: blobs, fetcher: ImageFetcher(store: blobs, options: fetchOptions), manageFinalizer: false, metrics: metrics)
        let controller = Controller(reconciler: reconciler, store: store, blobs: blobs, metrics: metrics)
        self.store = store
        self.controller = controller
        renderer = WebRenderer(
            store: store, blobs: blobs, imageName: imageName, registry: registry, onPromotionDue: { key in await controller.reconcileNow(key) },
            refreshes: store)
    }

    /// The services to run beside the listeners: the reconcile loop.
    public var services: [any Service] { [controller] }
}
