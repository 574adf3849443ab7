/// One API call the server refused because of who we are or where we point (401, 403, or a
/// 404 that means a missing namespace or resource type), with what to do about it.
///
/// Pure: `classify` decides from the call and its error alone; nothing here logs or retries.
public struct AccessProblem: Sendable, Hashable, CustomStringConvertible {
    /// The call, as RBAC names it: a verb on a resource in a namespace.
    public struct Call: Sendable, Hashable, CustomStringConvertible {
        /// `get`, `list`, `watch`, `create`, `update` or `patch`.
        public var verb: String
        /// The resource, with its subresource (`hourlyimages/status`).
        public var resource: String
        /// The namespace; nil for all namespaces.
        public var namespace: String?

        /// Names a call.
        public init(_ verb: String, _ resource: String, namespace: String?) {
            self.verb = verb
            self.resource = resource
            self.namespace = namespace
        }

        public var description: String { "\(verb) \(resource) in \(namespace.map { "namespace \($0)" } ?? "all namespaces")" }
    }

    /// The refused call.
    public var call: Call
    /// The HTTP status code (401, 403 or 404).
    public var code: Int
    /// The server's message; for a 403 it names the user the server saw.
    public var serverMessage: String
    /// Who the client authenticates as, as far as it knows (kubeconfig file, context and user, or in-cluster).
    public var identity: String
    /// What is wrong, in a sentence.
    public var summary: String
    /// What fixes it: the flag or the RBAC to apply.
    public var hint: String

    public var description: String {
        "\(summary) (HTTP \(code) from the API server: \(serverMessage); client identity: \(identity)). Fix: \(hint)"
    }

    /// The access problem behind a failed call, or nil when the error is not one (conflicts,
    /// outages, and 404s that are normal, such as a Lease that does not exist yet); `advice` words it.
    public static func classify(_ call: Call, error: KubeAPIError, identity: String, advice: AccessAdvice = .generic) -> AccessProblem? {
        let refusal: AccessAdvice.Refusal
        switch error {
        case .unauthorized: refusal = .unauthorized
        case .forbidden: refusal = .forbidden
        case .notFound: refusal = .notFound
        default: return nil
        }
        guard let outcome = advice.explain(call, refusal) ?? AccessAdvice.generic.explain(call, refusal), let code = error.code else { return nil }
        return AccessProblem(call: call, code: code, serverMessage: message(error), identity: identity, summary: outcome.summary, hint: outcome.hint)
    }

    static func message(_ error: KubeAPIError) -> String {
        switch error {
        case .unauthorized(let m), .forbidden(let m), .notFound(let m): m
        default: error.description
        }
    }
}
