import ArgumentParser
import Foundation
import HourlyImageAPI
import HourlyImageApp
import Hummingbird
import KubeClient
import Logging
import ServiceLifecycle
import WebRenderer

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

    @OptionGroup var volume: VolumeOptions

    @Option(help: "Concurrent reconciles, 1 to 64; default 8 (HOURLY_IMAGE_WORKERS).")
    var workers: Int = Env.parsed("WORKERS") ?? ClusterControllerSettings.defaultWorkers

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
        try Env.validate()
        guard (1...ClusterControllerSettings.maxWorkers).contains(workers) else {
            throw ValidationError("--workers must be from 1 to \(ClusterControllerSettings.maxWorkers), not \(workers)")
        }
    }

    func run() async throws {
        common.bootstrapLogging()
        let logger = Logger(label: "hourly-image")
        let connection = try cluster.connection()
        var settings = ClusterControllerSettings(
            namespace: namespace, volumeRoot: volume.root, leaseNamespace: leaseNamespace ?? PodIdentity.namespace ?? connection.namespace,
            identity: "\(PodIdentity.name)_\(UUID().uuidString.prefix(8).lowercased())", instance: PodIdentity.name)
        settings.workers = workers
        settings.fetchOptions = try network.fetchOptions()
        if !noLeaderElect {
            settings.leaderElection = .init(leaseDuration: leaseDuration.seconds, renewDeadline: renewDeadline.seconds, retryPeriod: retryPeriod.seconds)
        }
        let app = ClusterController(connection: connection, settings: settings)
        let probes = Application(
            router: app.probesRouter(),
            configuration: .init(address: .hostname(probeBind, port: probePort), serverName: "hourly-image-controller"),
            logger: Logger(label: "hourly-image.probes"))
        logger.info(
            "controller mode",
            metadata: [
                "cluster": "\(connection)", "namespace": "\(namespace ?? "all")", "volume": "\(volume.root)",
                "leaderElection": "\(app.elector.map { "\($0.identity), Lease \(settings.leaseNamespace)/\(settings.leaseName)" } ?? "off")",
                "version": "\(HourlyImageVersion.current)", "commit": "\(HourlyImageVersion.commit)",
            ])
        let probeListener = Listener(app: probes, role: "probe port (--probe-port)", address: ListenAddress(host: probeBind, port: probePort))
        try await runUntilSignalled(app.services + [probeListener], logger: logger)
        logger.info("stopped")
    }
}
