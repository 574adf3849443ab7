/// One request as the server saw it.
public struct RecordedRequest: Sendable, Equatable {
    /// The HTTP method, e.g. "GET".
    public let method: String
    /// Path plus query, e.g. "/apis/images.dwk.dev/v1alpha1/hourlyimages?watch=true".
    public let target: String
    /// The authenticated identity; nil when authentication failed.
    public let identity: String?
    /// The status code answered (200 for a watch that started streaming).
    public let status: Int

    /// Creates a record (the server makes these; tests compare against them).
    public init(method: String, target: String, identity: String?, status: Int) {
        self.method = method
        self.target = target
        self.identity = identity
        self.status = status
    }
}

/// The mutable knobs of a running server: tokens, injected latency and errors, and the request log.
actor ServerControls {
    /// token → identity.
    var tokens: [String: String]
    var latency: Duration = .zero
    var recorded: [RecordedRequest] = []
    private var injections: [Injection] = []

    private struct Injection {
        let status: Int
        var remaining: Int
        let matching: @Sendable (String, String) -> Bool
    }

    init(tokens: [String: String]) {
        self.tokens = tokens
    }

    /// The identity a bearer token belongs to.
    func identity(forToken token: String) -> String? { tokens[token] }

    /// Replaces every token of `identity` by `newToken`.
    func rotate(identity: String, to newToken: String) {
        tokens = tokens.filter { $0.value != identity }
        tokens[newToken] = identity
    }

    func setLatency(_ duration: Duration) { latency = duration }

    func inject(status: Int, count: Int, matching: @escaping @Sendable (String, String) -> Bool) {
        injections.append(Injection(status: status, remaining: count, matching: matching))
    }

    /// The status to fail this request with, using up one injection; nil to serve it normally.
    func takeInjectedFailure(method: String, target: String) -> Int? {
        guard let index = injections.firstIndex(where: { $0.remaining > 0 && $0.matching(method, target) }) else { return nil }
        injections[index].remaining -= 1
        let status = injections[index].status
        if injections[index].remaining == 0 { injections.remove(at: index) }
        return status
    }

    func record(_ request: RecordedRequest) { recorded.append(request) }
}
