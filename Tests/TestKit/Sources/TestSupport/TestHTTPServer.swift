import Foundation

/// An HTTP/1.1 server on 127.0.0.1 (or ::1) bound to port 0, one thread per connection.
public final class TestHTTPServer: @unchecked Sendable {
    /// The port the kernel picked.
    public let port: Int
    private let host: String
    private let core: HTTPServerCore

    /// Starts listening on `host` (an IP literal) and answers every request with `handler`, called on the connection's thread.
    public init(host: String = "127.0.0.1", handler: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse) throws {
        core = try HTTPServerCore(host: host, handler: handler)
        port = core.port
        self.host = host == "localhost" ? "127.0.0.1" : host
        core.start()
    }

    deinit {
        core.stop()
    }

    /// "http://127.0.0.1:PORT" ("http://[::1]:PORT" for IPv6).
    public var baseURL: String {
        core.isIPv6 ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Every request received so far, in arrival order (a thread-safe snapshot).
    public var requests: [TestHTTPRequest] {
        core.requests
    }

    /// Connections currently open.
    public var openConnections: Int {
        core.openConnections
    }

    /// Closes the listener and all connections and waits briefly for the server's threads; idempotent, also run on deinit.
    public func stop() {
        core.stop()
    }
}
