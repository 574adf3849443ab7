import Foundation

/// A request for a resource, parsed from the path the way apiserver's RequestInfoFactory does:
/// `/apis/{group}/{version}[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]` (or `/api/v1/…`).
struct ResourceRequest: Sendable {
    let resource: ResourceKind
    let namespace: String?
    let name: String?
    let subresource: String?
    /// The verb for authorization: get, list, watch, create, update, patch, delete, deletecollection.
    let verb: String
    let query: [String: String]

    /// Parses a resource path; nil when the path names no served resource (the caller answers 404).
    init?(method: String, path: String, query: [String: String], served: [ResourceKind]) {
        var parts = path.split(separator: "/").map(String.init)
        guard let root = parts.first else { return nil }
        let group: String
        let version: String
        if root == "api", parts.count >= 3 {
            group = ""
            version = parts[1]
            parts.removeFirst(2)
        } else if root == "apis", parts.count >= 4 {
            group = parts[1]
            version = parts[2]
            parts.removeFirst(3)
        } else {
            return nil
        }
        var watchPath = false
        if parts.first == "watch" {
            watchPath = true
            parts.removeFirst()
        }
        var namespace: String?
        if parts.count >= 3, parts[0] == "namespaces" {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard !parts.isEmpty, parts.count <= 3,
              let resource = served.first(where: { $0.group == group && $0.version == version && $0.plural == parts[0] }) else { return nil }
        self.resource = resource
        self.namespace = namespace
        name = parts.count >= 2 ? parts[1] : nil
        subresource = parts.count == 3 ? parts[2] : nil
        self.query = query
        let watching = watchPath || ["true", "1"].contains(query["watch"] ?? "")
        switch method {
        case "GET", "HEAD":
            verb = watching ? "watch" : (name == nil ? "list" : "get")
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name == nil ? "deletecollection" : "delete"
        default: verb = method.lowercased()
        }
    }

    /// The resource with its subresource, as RBAC names it: "hourlyimages/status".
    var rbacResource: String { subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural }

    /// Splits and percent-decodes a query string ("+" is a space, as Go's url.ParseQuery reads it).
    static func parseQuery(_ query: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let key = parts.first else { continue }
            result[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }
}
