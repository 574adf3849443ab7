import Foundation

/// Where a kind of object lives in the API: group, version and resource name.
public struct ResourceType: Sendable, Hashable {
    /// The API group; empty for the core group.
    public var group: String
    /// The version.
    public var version: String
    /// The plural resource name used in URLs.
    public var plural: String
    /// Whether objects live in namespaces.
    public var namespaced: Bool

    /// Creates a resource type.
    public init(group: String, version: String, plural: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `events.k8s.io/v1` events.
    public static let events = ResourceType(group: "events.k8s.io", version: "v1", plural: "events")
    /// `coordination.k8s.io/v1` leases.
    public static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases")
    /// Core `v1` pods.
    public static let pods = ResourceType(group: "", version: "v1", plural: "pods")
    /// `networking.k8s.io/v1` ingresses.
    public static let ingresses = ResourceType(group: "networking.k8s.io", version: "v1", plural: "ingresses")

    /// The URL path of a collection or object: `/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]`.
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(Self.escape(namespace))" }
        path += "/\(plural)"
        if let name { path += "/\(Self.escape(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    /// One path segment, percent-encoded (a `/` in it too).
    public static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? segment
    }
}

/// Builds a query string from ordered pairs, skipping nil values.
func queryString(_ items: [(String, String?)]) -> String {
    var components = URLComponents()
    components.queryItems = items.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
    guard let query = components.percentEncodedQuery, !query.isEmpty else { return "" }
    return "?" + query.replacingOccurrences(of: "+", with: "%2B")
}
