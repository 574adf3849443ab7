import Hummingbird
import Logging
import ServiceLifecycle
import WebRenderer

/// The HTTP server for the page, shared by `standalone` and `web`.
enum PageApplication {
    /// A Hummingbird application serving `renderer` on `bind:port`; logs the URL once listening.
    static func make(_ renderer: WebRenderer, bind: String, port: Int, logger: Logger) -> some Service {
        Application(
            router: renderer.buildRouter(),
            configuration: .init(address: .hostname(bind, port: port), serverName: "hourly-image"),
            onServerRunning: { channel in
                let shown = bind == "0.0.0.0" || bind == "::" ? "localhost" : bind
                logger.info("serving the page", metadata: ["url": "http://\(shown):\(channel.localAddress?.port ?? 0)/"])
            },
            logger: Logger(label: "hourly-image.http"))
    }
}
