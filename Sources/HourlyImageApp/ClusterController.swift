import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageController
import Hummingbird
import ImageFetch
import KubeClient
import KubeStore
import LeaderElection
import Logging
import Prometheus
import ServiceLifecycle

/// What `hourly-image controller` is configured with; the same values the end-to-end tests pass.
public struct ClusterControllerSettings: Sendable {
    /// The namespace to watch; nil for all namespaces.
    public var namespace: String?
    /// Root of the image volume.
    public var volumeRoot: String
    /// Concurrent reconciles (1 to `maxWorkers`).
    public var workers = Controller.defaultWorkers
    /// Concurrent reconciles by default.
    public static let defaultWorkers = Controller.defaultWorkers
    /// The most concurrent reconciles allowed.
    public static let maxWorkers = Controller.maxWorkers
    /// Leader election's timing; nil runs without it (one replica only).
    public var leaderElection: LeaderElector.Timing?
    /// Namespace of the leader-election Lease.
    public var leaseNamespace: String
    /// Name of the leader-election Lease.
    public var leaseName = "hourly-image-controller"
    /// This replica's identity in the Lease.
    public var identity: String
    /// `reportingInstance` of the Events this replica writes.
    public var instance: String
    /// The fetcher's limits and address policy.
    public var fetchOptions = FetchOptions()
    /// Seconds a watch may stay open before the reflector renews it.
    public var watchTimeout = 300
    /// Makes each component's logger from its label (`hourly-image.controller`, `hourly-image.reconcile`, ...).
    public var makeLogger: @Sendable (String) -> Logger = { Logger(label: $0) }

    /// Settings with the required values; the rest as documented above.
    public init(namespace: String?, volumeRoot: String, leaseNamespace: String, identity: String, instance: String) {
        self.namespace = namespace
        self.volumeRoot = volumeRoot
        self.leaseNamespace = leaseNamespace
        self.identity = identity
        self.instance = instance
    }
}

/// The controller on a cluster, wired once: store over the API, Events, leader election, the reconcile loop, probes.
/// `hourly-image controller` runs it; the operator tests run exactly this.
public struct ClusterController: Sendable {
    /// The HourlyImage store over the API (a service: its reflector keeps the cache).
    public let store: KubeResourceStore
    /// The leader elector, when leader election is on.
    public let elector: LeaderElector?
    /// The reconcile loop.
    public let controller: Controller
    /// API calls the server refused, for `/readyz` and the log.
    public let problems: AccessProblems
    /// Where the metrics are registered.
    public let registry: PrometheusCollectorRegistry

    /// Builds every part from a cluster connection.
    public init(connection: ClusterConnection, settings: ClusterControllerSettings, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), problems: AccessProblems? = nil) {
        let log = settings.makeLogger
        let metrics = ControllerMetrics(registry: registry)
        let client = KubeClient(connection: connection, observer: { metrics.restRequest(method: $0, code: $1) })
        let problems = problems ?? AccessProblems(identity: client.identity, advice: .hourlyImage, logger: log("hourly-image.access"))
        let store = KubeResourceStore(
            client: client, namespace: settings.namespace, watchTimeout: settings.watchTimeout, problems: problems, logger: log("hourly-image.kube-store"))
        let blobs = BlobStore(root: settings.volumeRoot)
        let events = KubeEventRecorder(client: client, instance: settings.instance, problems: problems, logger: log("hourly-image.events"))
        let reconciler = Reconciler(
            store: store, blobs: blobs, fetcher: ImageFetcher(store: blobs, options: settings.fetchOptions, logger: log("hourly-image.fetch")),
            events: events, manageFinalizer: true, metrics: metrics, logger: log("hourly-image.reconcile"))
        let elector = settings.leaderElection.map {
            LeaderElector(
                client: client, namespace: settings.leaseNamespace, name: settings.leaseName, identity: settings.identity, timing: $0,
                problems: problems, logger: log("hourly-image.leader"))
        }
        var leadership: (@Sendable () async -> AsyncStream<Bool>)?
        if let elector { leadership = { await elector.leadership() } }
        self.store = store
        self.elector = elector
        self.problems = problems
        self.registry = registry
        self.controller = Controller(
            reconciler: reconciler, store: store, blobs: blobs, workers: settings.workers, leadership: leadership, metrics: metrics,
            logger: log("hourly-image.controller"))
    }

    /// The services to run together: the store's reflector, the elector (which releases the Lease on shutdown), the loop.
    public var services: [any Service] {
        var services: [any Service] = [store]
        if let elector { services.append(ElectorService(elector: elector)) }
        services.append(controller)
        return services
    }

    /// `/healthz`, `/readyz` and `/metrics` for this controller.
    public func probesRouter() -> Router<BasicRequestContext> {
        ControllerProbes.router(store: store, elector: elector, problems: problems, registry: registry)
    }
}

/// Runs the leader elector as a service; on shutdown it releases the lease.
public struct ElectorService: Service {
    let elector: LeaderElector

    public func run() async throws {
        await cancelWhenGracefulShutdown { await elector.run() }
    }
}
