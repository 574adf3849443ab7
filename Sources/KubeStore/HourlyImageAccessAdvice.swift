import KubeClient

extension AccessAdvice {
    /// hourly-image's words for refused calls: which of its flags or manifests (`rbac/`, `crds/`) fixes each.
    public static let hourlyImage = AccessAdvice { call, refusal in
        switch refusal {
        case .unauthorized:
            ("the API server refused the credentials, so nothing can be read or written",
             "the token expired or is invalid, or the client certificate is not trusted: renew it, or choose other credentials with --kubeconfig or --context")
        case .forbidden: HourlyImageAccess.forbidden(call)
        case .notFound: HourlyImageAccess.notFound(call)
        }
    }
}

/// The wording behind `AccessAdvice.hourlyImage`, by call.
enum HourlyImageAccess {
    static func forbidden(_ call: AccessProblem.Call) -> (summary: String, hint: String) {
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

    static func notFound(_ call: AccessProblem.Call) -> (summary: String, hint: String)? {
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
}
