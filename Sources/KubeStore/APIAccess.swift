import KubeClient

/// Every Kubernetes API call the operator makes, as RBAC sees it: the one table `rbac/` must
/// match exactly (a test checks both directions), and the permissions the tests' API server
/// enforces, so a call missing here fails as a 403 in tests before it fails on a cluster.
public enum APIAccess {
    /// One permission: a verb on a resource (optionally a subresource) of an API group.
    public struct Permission: Hashable, Sendable, CustomStringConvertible, Comparable {
        public var group: String
        public var resource: String
        public var verb: String

        /// Creates a permission.
        public init(group: String, resource: String, verb: String) {
            self.group = group
            self.resource = resource
            self.verb = verb
        }

        public var description: String { "\(verb) \(resource)" + (group.isEmpty ? "" : " (\(group))") }

        public static func < (a: Permission, b: Permission) -> Bool { a.description < b.description }
    }

    static func on(_ type: ResourceType, _ subresource: String? = nil, _ verbs: String...) -> [Permission] {
        verbs.map { Permission(group: type.group, resource: type.plural + (subresource.map { "/\($0)" } ?? ""), verb: $0) }
    }

    /// `hourly-image controller`: reflector list/watch; finalizer merge patch (KubeResourceStore.updateFinalizers);
    /// status PUT (updateStatus); Events create and series patch (KubeEventRecorder); Lease get/create/update (LeaderElector).
    public static let controller: Set<Permission> = Set(
        on(.hourlyImages, nil, "list", "watch", "patch") + on(.hourlyImages, "status", "update") + on(.events, nil, "create", "patch")
            + on(.leases, nil, "get", "create", "update"))

    /// `hourly-image web`: reflector list/watch; the grace-view JSON patch on status (recordGraceView).
    public static let web: Set<Permission> = Set(on(.hourlyImages, nil, "list", "watch") + on(.hourlyImages, "status", "patch"))

    /// The permission strings the test API server takes ("verb resource").
    public static func serverPermissions(_ permissions: Set<Permission>) -> Set<String> {
        Set(permissions.map { "\($0.verb) \($0.resource)" })
    }
}
