/// Identifies one namespaced object: `namespace/name`. The one key the reflector cache, the stores, the work queue and
/// the logs use.
public struct ResourceKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The namespace.
    public var namespace: String
    /// The name.
    public var name: String

    /// Creates a key.
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object's metadata (namespace `default` when unset, as the API server defaults it on create).
    public init(_ metadata: ObjectMeta) {
        self.init(namespace: metadata.namespaceOrDefault, name: metadata.name)
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (a: ResourceKey, b: ResourceKey) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
}
