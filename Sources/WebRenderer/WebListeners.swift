import Hummingbird
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Where one of the web's HTTP servers listens.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address to bind (`0.0.0.0` for every IPv4 interface).
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, IPv6 addresses bracketed.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension WebRenderer {
    /// The public server: the pages and image bytes only, with `limits` and the security headers.
    ///
    /// `onRunning` gets the port actually bound (the one asked for, or the free one picked for port 0).
    public func pageApplication(
        at address: ListenAddress, limits: WebServerLimits = .standard, serverName: String? = "hourly-image",
        eventLoopGroupProvider: EventLoopGroupProvider = .singleton, logger: Logger = Logger(label: "hourly-image.http"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Self.application(buildRouter(), address, limits, serverName, eventLoopGroupProvider, logger, onRunning)
    }

    /// The admin server: `/metrics`, the JSON status, `/healthz` and `/readyz`, with the same limits.
    public func adminApplication(
        at address: ListenAddress, limits: WebServerLimits = .standard, serverName: String? = "hourly-image",
        eventLoopGroupProvider: EventLoopGroupProvider = .singleton, logger: Logger = Logger(label: "hourly-image.http.admin"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Self.application(buildAdminRouter(), address, limits, serverName, eventLoopGroupProvider, logger, onRunning)
    }

    private static func application(
        _ router: Router<WebRequestContext>, _ address: ListenAddress, _ limits: WebServerLimits, _ serverName: String?,
        _ eventLoopGroupProvider: EventLoopGroupProvider, _ logger: Logger, _ onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router, server: limits.http1(),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: serverName),
            onServerRunning: { await onRunning($0.localAddress?.port ?? address.port) },
            eventLoopGroupProvider: eventLoopGroupProvider, logger: logger)
    }
}

extension ListenAddress {
    /// Why `error`, thrown by a server starting up, means it could not listen (address in use, not local, not
    /// permitted, unknown host); nil for any other error.
    public static func listenFailure(_ error: any Error) -> String? {
        if let error = error as? IOError, [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            return String(cString: strerror(error.errnoCode))
        }
        if let error = error as? SocketAddressError { return "\(error)" }
        return nil
    }
}
