import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle
import WebRenderer

/// Where and what the page serves, shared by `standalone` and `web`.
struct PageOptions: ParsableArguments {
    @Option(help: "Public port: the page and the image bytes only (HOURLY_IMAGE_PORT).")
    var port: Int = Env.parsed("PORT") ?? 8080

    @Option(help: "Address the public port listens on (HOURLY_IMAGE_BIND).")
    var bind: String = Env.value("BIND") ?? "0.0.0.0"

    @Option(help: "Admin port: /metrics, the JSON status at /apis/..., /healthz, /readyz (HOURLY_IMAGE_ADMIN_PORT).")
    var adminPort: Int = Env.parsed("ADMIN_PORT") ?? 8081

    @Option(name: .customLong("admin-bind"), help: "Address the admin port listens on; default the --bind address (HOURLY_IMAGE_ADMIN_BIND).")
    var adminBindFlag: String?

    /// The flag, else `HOURLY_IMAGE_ADMIN_BIND`, else the public port's address.
    var adminBind: String { adminBindFlag ?? Env.value("ADMIN_BIND") ?? bind }

    @Option(name: .customLong("image"), help: "The HourlyImage `/` shows, as NAME or NAMESPACE/NAME (HOURLY_IMAGE_IMAGE).")
    var imageFlag: String?

    /// The flag, else `HOURLY_IMAGE_IMAGE`.
    var image: String? { imageFlag ?? Env.value("IMAGE") }

    /// The public listener's address.
    var pageAddress: ListenAddress { ListenAddress(host: bind, port: port) }

    /// The admin listener's address.
    var adminAddress: ListenAddress { ListenAddress(host: adminBind, port: adminPort) }

    func validate() throws {
        for (flag, value) in [("--port", port), ("--admin-port", adminPort)] where !(0...65535).contains(value) {
            throw ValidationError("\(flag) \(value) is not a TCP port (0 to 65535)")
        }
        if port == adminPort && port != 0 {
            throw ValidationError("--port and --admin-port are both \(port); the public page and the admin endpoints need a port each")
        }
    }
}

/// The web's two HTTP servers, shared by `standalone` and `web`: the public page and the admin endpoints.
enum PageApplication {
    /// The two listeners as services for the ServiceGroup; each logs its URL once listening.
    static func services(_ renderer: WebRenderer, options: PageOptions, logger: Logger) -> [any Service] {
        let page = options.pageAddress
        let admin = options.adminAddress
        let pageApp = renderer.pageApplication(at: page) { port in
            logger.info("serving the page", metadata: ["url": "\(url(page.host, port))", "address": "\(ListenAddress(host: page.host, port: port))"])
        }
        let adminApp = renderer.adminApplication(at: admin) { port in
            logger.info(
                "serving the admin endpoints",
                metadata: ["url": "\(url(admin.host, port))", "address": "\(ListenAddress(host: admin.host, port: port))", "paths": "/metrics /apis/... /healthz /readyz"])
        }
        return [
            Listener(app: pageApp, role: "public port (--port)", address: page),
            Listener(app: adminApp, role: "admin port (--admin-port)", address: admin),
        ]
    }

    /// The URL a browser on this machine would use.
    static func url(_ host: String, _ port: Int) -> String {
        let shown = host == "0.0.0.0" || host == "::" ? "localhost" : host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)/"
    }
}
