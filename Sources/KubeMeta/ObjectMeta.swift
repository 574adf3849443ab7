/// The subset of Kubernetes `metav1.ObjectMeta` the operator reads and writes.
public struct ObjectMeta: Sendable, Hashable, Codable {
    public var name: String
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Timestamp?
    public var deletionTimestamp: Timestamp?
    public var finalizers: [String]?
    public var labels: [String: String]?
    public var annotations: [String: String]?

    /// Creates metadata with a name and optional namespace.
    public init(
        name: String, namespace: String? = nil, uid: String? = nil, resourceVersion: String? = nil,
        generation: Int64? = nil, creationTimestamp: Timestamp? = nil, deletionTimestamp: Timestamp? = nil,
        finalizers: [String]? = nil, labels: [String: String]? = nil, annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.finalizers = finalizers
        self.labels = labels
        self.annotations = annotations
    }

    /// The namespace a namespaced object without one is in.
    public static let defaultNamespace = "default"

    /// The namespace, or `default` when unset.
    public var namespaceOrDefault: String { namespace ?? Self.defaultNamespace }
}
