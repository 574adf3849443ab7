import Foundation

/// A server that behaves like Lorem Picsum.
public final class PicsumLikeServer: @unchecked Sendable {
    /// The underlying server (for `requests`, `openConnections`, `port`).
    public let server: TestHTTPServer
    private let state: PicsumState

    /// Starts the server on `host` (an IP literal).
    public init(host: String = "127.0.0.1") throws {
        let state = PicsumState()
        self.state = state
        // The handler holds the state, not self, so dropping the PicsumLikeServer stops the server.
        server = try TestHTTPServer(host: host) { request in state.respond(to: request) }
        state.setBaseURL(server.baseURL)
    }

    /// "http://127.0.0.1:PORT" ("http://[::1]:PORT" for IPv6).
    public var baseURL: String {
        server.baseURL
    }

    /// The ids `/{size}` and `/{w}/{h}` redirect to, one per request in turn (default [237, 1025, 870]).
    public var ids: [Int] {
        get { state.ids }
        set { state.ids = newValue }
    }

    /// Adds or replaces an extra route, checked before the Picsum ones: exact path (or exact target with query) → response.
    public func route(_ path: String, _ response: TestHTTPResponse) {
        state.setRoute(path, response)
    }

    /// Makes every request get `response` until called with nil.
    public func failAll(with response: TestHTTPResponse?) {
        state.setFailure(response)
    }

    /// Stops the server (see TestHTTPServer.stop()).
    public func stop() {
        server.stop()
    }
}
