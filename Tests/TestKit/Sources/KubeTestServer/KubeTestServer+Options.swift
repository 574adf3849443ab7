extension KubeTestServer {
    /// How to run the server.
    public struct Options: Sendable {
        /// Serve HTTPS with this PKI's server certificate and accept its client certificates; nil serves plain HTTP.
        public var tls: TestPKI?
        /// Bearer token → identity. When empty, requests without credentials are served as "system:anonymous";
        /// otherwise they get 401. An unknown token always gets 401.
        public var tokens: [String: String]
        /// Identity → allowed "verb resource" strings ("get hourlyimages", "patch hourlyimages/status",
        /// "create events", `*` for either part); nil allows everything. Discovery needs no permission.
        public var permissions: [String: Set<String>]?
        /// How often a watch with allowWatchBookmarks=true gets a BOOKMARK.
        public var bookmarkInterval: Duration
        /// How many changes are kept for watch replay and continue tokens; older resourceVersions get 410.
        public var historyLimit: Int
        /// The port on 127.0.0.1; 0 picks a free one.
        public var port: Int
        /// Custom resources served from the start, as if their CRDs had been created (default: HourlyImage).
        var customResources: [ResourceKind] = [.hourlyImages]
        /// Objects may only be created in namespaces that exist (default, kube-system, kube-public, kube-node-lease and
        /// those created through the API), as on a real cluster.
        var requiresNamespaces = false
        /// Requests without credentials are served as system:anonymous (upstream's default); nil: only when `tokens` is empty.
        var allowsAnonymous: Bool?
        /// Authorize with RBAC over the Roles and bindings created through the API (plus the bootstrap policy), as a
        /// cluster does; `permissions` is ignored then.
        var usesRBAC = false
        /// Groups of a user besides those its name implies, e.g. ["kubernetes-admin": ["system:masters"]].
        var userGroups: [String: [String]] = [:]

        /// Options with plain HTTP, anonymous access, no permission checks, bookmarks every second.
        public init(tls: TestPKI? = nil, tokens: [String: String] = [:], permissions: [String: Set<String>]? = nil,
                    bookmarkInterval: Duration = .seconds(1), historyLimit: Int = 1000, port: Int = 0) {
            self.tls = tls
            self.tokens = tokens
            self.permissions = permissions
            self.bookmarkInterval = bookmarkInterval
            self.historyLimit = historyLimit
            self.port = port
        }
    }

    /// Names one stored object for the state-access methods.
    public struct ObjectPath: Sendable, Hashable {
        /// The resources the server stores.
        public enum Resource: String, Sendable, CaseIterable {
            /// `hourlyimages.images.dwk.dev/v1alpha1`.
            case hourlyImages = "hourlyimages"
            /// `events.events.k8s.io/v1`.
            case events
            /// `leases.coordination.k8s.io/v1`.
            case leases
        }

        /// Which resource.
        public var resource: Resource
        /// The namespace.
        public var namespace: String
        /// The name.
        public var name: String

        /// Names an object.
        public init(_ resource: Resource, namespace: String = "default", name: String) {
            self.resource = resource
            self.namespace = namespace
            self.name = name
        }

        /// An HourlyImage.
        public static func hourlyImage(_ name: String, namespace: String = "default") -> ObjectPath {
            ObjectPath(.hourlyImages, namespace: namespace, name: name)
        }

        /// A Lease.
        public static func lease(_ name: String, namespace: String = "default") -> ObjectPath {
            ObjectPath(.leases, namespace: namespace, name: name)
        }

        /// An Event (events.k8s.io/v1).
        public static func event(_ name: String, namespace: String = "default") -> ObjectPath {
            ObjectPath(.events, namespace: namespace, name: name)
        }

        var kind: ResourceKind {
            switch resource {
            case .hourlyImages: .hourlyImages
            case .events: .events
            case .leases: .leases
            }
        }
    }
}

/// A misuse of the server's test API, such as seeding something that is not an object of a served kind.
public struct KubeTestServerError: Error, CustomStringConvertible {
    /// What was wrong.
    public let description: String
}

extension KubeTestServer.Options {
    /// Options for a server that starts like a fresh cluster, as the conformance recordings' server did: no custom
    /// resource until its CRD is created, objects only in namespaces that exist, RBAC deciding (the admin, by token or by a
    /// client certificate with that common name, is in system:masters), requests without credentials served as
    /// system:anonymous.
    public static func cluster(tls: TestPKI? = nil, adminToken: String? = nil, adminName: String = "kubernetes-admin",
                               port: Int = 0) -> KubeTestServer.Options {
        var options = KubeTestServer.Options(tls: tls, tokens: adminToken.map { [$0: adminName] } ?? [:], port: port)
        options.customResources = []
        options.requiresNamespaces = true
        options.allowsAnonymous = true
        options.usesRBAC = true
        options.userGroups = [adminName: ["system:masters"]]
        return options
    }
}
