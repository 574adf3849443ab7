import ArgumentParser
import Foundation
import HourlyImageAPI
import HourlyImageApp
import Logging
import ServiceLifecycle

/// `hourly-image web`: renders HourlyImages from the cluster, reading the volume read-only.
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Serve the page for HourlyImages in a namespace, with images from the shared volume (read-only).")

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .customLong("namespace"), help: "Namespace whose HourlyImages are shown; default the kubeconfig's or the pod's (HOURLY_IMAGE_NAMESPACE).")
    var namespaceFlag: String?

    /// The flag, else `HOURLY_IMAGE_NAMESPACE`.
    var namespace: String? { namespaceFlag ?? Env.value("NAMESPACE") }

    @Option(help: "Root of the image volume (HOURLY_IMAGE_VOLUME_ROOT).")
    var volumeRoot: String = Env.value("VOLUME_ROOT") ?? "/data"

    @OptionGroup var page: PageOptions

    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let logger = Logger(label: "hourly-image")
        let connection = try cluster.connection()
        let watched = namespace ?? connection.namespace
        let app = ClusterWeb(connection: connection, namespace: watched, volumeRoot: volumeRoot, imageName: page.image)
        let listeners = PageApplication.services(app.renderer, options: page, logger: logger)
        logger.info(
            "web mode",
            metadata: [
                "cluster": "\(connection)", "namespace": "\(watched)", "volume": "\(volumeRoot)",
                "public": "\(page.pageAddress)", "admin": "\(page.adminAddress)",
            ])
        let services = app.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) } + listeners
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.runReportingListenErrors(logger: logger)
        logger.info("stopped")
    }
}
