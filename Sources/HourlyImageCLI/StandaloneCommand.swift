import ArgumentParser
import Foundation
import HourlyImageAPI
import HourlyImageApp
import LocalStore
import Logging
import ServiceLifecycle

/// `hourly-image standalone`: controller and web page in one process, no cluster.
struct StandaloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standalone",
        abstract: "Run the controller and the web page in one process, with resources from YAML files.",
        discussion: """
            With no -f, one built-in HourlyImage (a Lorem Picsum image every hour, one grace view) is used.
            Status and images are kept in the data directory, so a restart serves the same image.
            """)

    @Option(name: [.customShort("f"), .customLong("filename")], help: "HourlyImage YAML file or directory; repeatable; each file at most 4 MiB, unknown fields refused (HOURLY_IMAGE_FILENAME, comma-separated).")
    var files: [String] = Env.list("FILENAME")

    @Option(help: "Directory for images and saved status (HOURLY_IMAGE_DATA).")
    var data: String = Env.value("DATA") ?? "./data"

    @OptionGroup var page: PageOptions

    @OptionGroup var network: NetworkOptions
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let logger = Logger(label: "hourly-image")
        let resources: [HourlyImage]
        do {
            resources = files.isEmpty ? [ResourceFileLoader.builtIn] : try ResourceFileLoader.load(paths: files)
        } catch {
            logger.error("invalid resources; nothing is served until they are fixed")
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        guard !resources.isEmpty else {
            FileHandle.standardError.write(Data("no HourlyImage found in \(files.joined(separator: ", "))\n".utf8))
            throw ExitCode(2)
        }
        let app = try Standalone(
            resources: resources, dataDirectory: data, fetchOptions: try network.fetchOptions(), imageName: page.image)
        let renderer = app.renderer
        let listeners = PageApplication.services(renderer, options: page, logger: logger)
        logger.info(
            "standalone mode",
            metadata: [
                "resources": "\(resources.map { ResourceKey($0).description }.joined(separator: ","))", "data": "\(data)", "version": "\(HourlyImageVersion.current)",
                "public": "\(page.pageAddress)", "admin": "\(page.adminAddress)",
            ])
        try await runUntilSignalled(app.services + listeners, logger: logger)
        logger.info("stopped")
    }
}
