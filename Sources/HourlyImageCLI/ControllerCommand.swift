import ArgumentParser
import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageController
import HourlyImageStore
import Hummingbird
import ImageFetch
import KubeClient
import LeaderElection
import KubeStore
import Logging
import Prometheus
import ServiceLifecycle

/// `hourly-image controller`: reconciles HourlyImages on a cluster.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Watch HourlyImages on a cluster, keep their images on the volume and write their status.")

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .customLong("namespace"), help: "Watch only this namespace; default all namespaces (HOURLY_IMAGE_NAMESPACE).")
    var namespaceFlag: String?

    /// The flag, else `HOURLY_IMAGE_NAMESPACE`.
    var namespace: String? { namespaceFlag ?? Env.value("NAMESPACE") }

    @Option(help: "Root of the image volume (HOURLY_IMAGE_VOLUME_ROOT).")
    var volumeRoot: String = Env.value("VOLUME_ROOT") ?? "/data"

    @Option(help: "Concurrent reconciles (HOURLY_IMAGE_WORKERS).")
    var workers: Int = Env.parsed("WORKERS") ?? 2

    @Flag(name: .customLong("no-leader-elect"), help: "Do not elect a leader; run only one replica then (HOURLY_IMAGE_NO_LEADER_ELECT).")
    var noLeaderElectFlag = false

    /// The flag, else `HOURLY_IMAGE_NO_LEADER_ELECT` (a `@Flag` cannot default to true: ArgumentParser refuses it).
    var noLeaderElect: Bool { noLeaderElectFlag || Env.flag("NO_LEADER_ELECT") }

    @Option(help: "Lease duration for leader election.")
    var leaseDuration: DurationFlag = DurationFlag(seconds: 15)

    @Option(help: "How long the leader keeps trying to renew before it stops leading.")
    var renewDeadline: DurationFlag = DurationFlag(seconds: 10)

    @Option(help: "Time between lease attempts.")
    var retryPeriod: DurationFlag = DurationFlag(seconds: 2)

    @Option(name: .customLong("lease-namespace"), help: "Namespace of the leader-election Lease; default $POD_NAMESPACE or the kubeconfig's (HOURLY_IMAGE_LEASE_NAMESPACE).")
    var leaseNamespaceFlag: String?

    /// The flag, else `HOURLY_IMAGE_LEASE_NAMESPACE`.
    var leaseNamespace: String? { leaseNamespaceFlag ?? Env.value("LEASE_NAMESPACE") }

    @Option(help: "Port for /healthz, /readyz and /metrics (HOURLY_IMAGE_PROBE_PORT).")
    var probePort: Int = Env.parsed("PROBE_PORT") ?? 8081

    @Option(help: "Address for the probe port (HOURLY_IMAGE_PROBE_BIND).")
    var probeBind: String = Env.value("PROBE_BIND") ?? "0.0.0.0"

    @OptionGroup var network: NetworkOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        _ = noLeaderElect  // reads the variable, so an invalid value is reported here
        if let problem = Env.firstProblem { throw ValidationError(problem) }
    }

    func run() async throws {
        common.bootstrapLogging()
        let logger = Logger(label: "hourly-image")
        let connection = try cluster.connection()
        let registry = PrometheusCollectorRegistry()
        let metrics = ControllerMetrics(registry: registry)
        let client = KubeClient(connection: connection, observer: { metrics.restRequest(method: $0, code: $1) })
        let problems = AccessProblems(identity: client.identity)
        let store = KubeResourceStore(client: client, namespace: namespace, problems: problems)
        let blobs = BlobStore(root: volumeRoot)
        let events = KubeEventRecorder(client: client, instance: PodIdentity.name, problems: problems)
        let reconciler = Reconciler(
            store: store, blobs: blobs, fetcher: ImageFetcher(store: blobs, options: try network.fetchOptions()), events: events,
            manageFinalizer: true, metrics: metrics)
        let leaseNamespace = leaseNamespace ?? PodIdentity.namespace ?? connection.namespace
        let elector: LeaderElector? =
            noLeaderElect
            ? nil
            : LeaderElector(
                client: client, namespace: leaseNamespace, name: "hourly-image-controller",
                identity: "\(PodIdentity.name)_\(UUID().uuidString.prefix(8).lowercased())",
                timing: .init(leaseDuration: leaseDuration.seconds, renewDeadline: renewDeadline.seconds, retryPeriod: retryPeriod.seconds),
                problems: problems)
        var leadership: (@Sendable () async -> AsyncStream<Bool>)?
        if let elector { leadership = { await elector.leadership() } }
        let controller = Controller(
            reconciler: reconciler, store: store, blobs: blobs, workers: workers, leadership: leadership, metrics: metrics)
        let probes = Application(
            router: ControllerProbes.router(store: store, elector: elector, problems: problems, registry: registry),
            configuration: .init(address: .hostname(probeBind, port: probePort), serverName: "hourly-image-controller"),
            logger: Logger(label: "hourly-image.probes"))
        logger.info(
            "controller mode",
            metadata: [
                "cluster": "\(connection)", "namespace": "\(namespace ?? "all")", "volume": "\(volumeRoot)",
                "leaderElection": "\(elector.map { "\($0.identity), Lease \(leaseNamespace)/hourly-image-controller" } ?? "off")", "version": "\(HourlyImageVersion.current)", "commit": "\(HourlyImageVersion.commit)",
            ])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: store)]
        if let elector { services.append(.init(service: ElectorService(elector: elector))) }
        services += [.init(service: controller), .init(service: probes)]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}
