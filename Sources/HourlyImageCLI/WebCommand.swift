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

    @OptionGroup var volume: VolumeOptions

    @OptionGroup var page: PageOptions

    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let logger = Logger(label: "hourly-image")
        let connection = try cluster.connection()
        let watched = namespace ?? connection.namespace
        let app = ClusterWeb(connection: connection, namespace: watched, volumeRoot: volume.root, imageName: page.image)
        let listeners = PageApplication.services(app.renderer, options: page, logger: logger)
        logger.info(
            "web mode",
            metadata: [
                "cluster": "\(connection)", "namespace": "\(watched)", "volume": "\(volume.root)",
                "public": "\(page.pageAddress)", "admin": "\(page.adminAddress)",
            ])
        try await runUntilSignalled(app.services + listeners, logger: logger)
        logger.info("stopped")
    }
}
