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
    /// outages, and 404s that are normal, such as a Lease that does not exist yet).
    public static func classify(_ call: Call, error: KubeAPIError, identity: String) -> AccessProblem? {
        let outcome: (summary: String, hint: String)?
        switch error {
        case .unauthorized:
            outcome = (
                "the API server refused the credentials, so nothing can be read or written",
                "the token expired or is invalid, or the client certificate is not trusted: renew it, or choose other credentials with --kubeconfig or --context")
        case .forbidden:
            outcome = forbidden(call)
        case .notFound:
            outcome = notFound(call)
        default:
            outcome = nil
        }
        guard let outcome, let code = error.code else { return nil }
        return AccessProblem(call: call, code: code, serverMessage: message(error), identity: identity, summary: outcome.summary, hint: outcome.hint)
    }

    static func forbidden(_ call: Call) -> (String, String) {
        let namespace = call.namespace ?? "(all namespaces)"
        switch call.resource {
        case "leases":
            return (
                "forbidden to \(call.verb) leases in namespace \(namespace) (the leader-election Lease), so this replica never leads and reconciles nothing",
                "pass --lease-namespace NS for a namespace where this identity may get, create and update leases (rbac/leader-election-role.yaml), or --no-leader-elect to run a single replica without a Lease")
        case "hourlyimages" where call.verb == "list" || call.verb == "watch":
            return (
                "forbidden to \(call.verb) hourlyimages in \(call.namespace.map { "namespace \($0)" } ?? "all namespaces"), so the cache stays empty or stale",
                "apply the roles and bindings in rbac/ for this identity, or pass --namespace NS for a namespace it may read")
        case "hourlyimages", "hourlyimages/status":
            return (
                "forbidden to \(call.verb) \(call.resource) in namespace \(namespace), so status and finalizers are not written",
                "grant \(call.verb) on \(call.resource) to this identity: apply the role in rbac/")
        case "events":
            return (
                "forbidden to \(call.verb) events in namespace \(namespace), so `kubectl describe` shows no events",
                "grant create and patch on events.events.k8s.io to this identity: apply the role in rbac/")
        default:
            return ("forbidden to \(call.verb) \(call.resource) in namespace \(namespace)", "grant \(call.verb) on \(call.resource) to this identity in rbac/")
        }
    }

    static func notFound(_ call: Call) -> (String, String)? {
        switch (call.resource, call.verb) {
        case ("leases", "create"):
            // A GET 404 only means no Lease yet; a create 404 means the namespace itself is missing.
            return (
                "namespace \(call.namespace ?? "") for the leader-election Lease does not exist, so this replica never leads and reconciles nothing",
                "pass --lease-namespace NS naming an existing namespace, or --no-leader-elect")
        case ("hourlyimages", "list"), ("hourlyimages", "watch"):
            return (
                "the API server does not serve HourlyImages\(call.namespace.map { " in namespace \($0)" } ?? "")",
                "install the CRD (kubectl apply -f crds/hourlyimages.images.dwk.dev.yaml), or pass --namespace NS naming an existing namespace")
        default:
            return nil  // the object was deleted meanwhile: normal
        }
    }

    static func message(_ error: KubeAPIError) -> String {
        switch error {
        case .unauthorized(let m), .forbidden(let m), .notFound(let m): m
        default: error.description
        }
    }
}
