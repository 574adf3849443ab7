import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle
import WebRenderer

/// Where and what the page serves, shared by `standalone` and `web`.
struct PageOptions: ParsableArguments {
    @Option(help: "Port for the page (HOURLY_IMAGE_PORT).")
    var port: Int = Env.parsed("PORT") ?? 8080

    @Option(help: "Address to listen on (HOURLY_IMAGE_BIND).")
    var bind: String = Env.value("BIND") ?? "0.0.0.0"

    @Option(name: .customLong("image"), help: "The HourlyImage `/` shows, as NAME or NAMESPACE/NAME (HOURLY_IMAGE_IMAGE).")
    var imageFlag: String?

    /// The flag, else `HOURLY_IMAGE_IMAGE`.
    var image: String? { imageFlag ?? Env.value("IMAGE") }
}

/// The HTTP server for the page, shared by `standalone` and `web`.
enum PageApplication {
    /// A Hummingbird application serving `renderer` where `options` say; logs the URL once listening.
    static func make(_ renderer: WebRenderer, options: PageOptions, logger: Logger) -> some Service {
        let (bind, port) = (options.bind, options.port)
        return Application(
            router: renderer.buildRouter(),
            server: WebServerLimits.standard.http1(),
            configuration: .init(address: .hostname(bind, port: port), serverName: "hourly-image"),
            onServerRunning: { channel in
                let shown = bind == "0.0.0.0" || bind == "::" ? "localhost" : bind
                logger.info("serving the page", metadata: ["url": "http://\(shown):\(channel.localAddress?.port ?? 0)/"])
            },
            logger: Logger(label: "hourly-image.http"))
    }
}
