/// What a request asks to do, as the apiserver's RequestInfoFactory reads it from the path before it knows whether the
/// resource exists: authorization comes first, so a forbidden request for an unknown resource is a 403, not a 404.
struct AuthorizationAttributes: Sendable, Hashable {
    var verb: String
    var apiGroup = ""
    var resource = ""
    var subresource = ""
    var namespace = ""
    var name = ""
    /// false for non-resource paths (/apis, /version, /healthz …), which RBAC matches by nonResourceURLs.
    var isResourceRequest = true
    var path = ""

    /// "hourlyimages/status" as RBAC rules name it.
    var resourceWithSubresource: String { subresource.isEmpty ? resource : "\(resource)/\(subresource)" }

    /// The attributes of a request.
    static func parse(method: String, path: String, query: [String: String]) -> AuthorizationAttributes {
        var parts = path.split(separator: "/").map(String.init)
        let nonResource = AuthorizationAttributes(verb: method.lowercased(), isResourceRequest: false, path: path)
        var group = ""
        if parts.first == "api", parts.count >= 3 {
            parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 4 {
            group = parts[1]
            parts.removeFirst(3)
        } else {
            return nonResource
        }
        var watching = ["true", "1"].contains(query["watch"] ?? "")
        if parts.first == "watch" {
            watching = true
            parts.removeFirst()
        }
        var attributes = AuthorizationAttributes(verb: "", apiGroup: group, path: path)
        if parts.count >= 2, parts[0] == "namespaces" {
            attributes.namespace = parts[1]
            parts.removeFirst(2)
            // GET /api/v1/namespaces/NAME is the namespace itself.
            if parts.isEmpty {
                attributes.resource = "namespaces"
                attributes.name = attributes.namespace
            }
        }
        if !parts.isEmpty { attributes.resource = parts[0] }
        if parts.count >= 2 { attributes.name = parts[1] }
        if parts.count >= 3 { attributes.subresource = parts[2] }
        switch method {
        case "GET", "HEAD": attributes.verb = watching ? "watch" : (attributes.name.isEmpty ? "list" : "get")
        case "POST": attributes.verb = "create"
        case "PUT": attributes.verb = "update"
        case "PATCH": attributes.verb = "patch"
        case "DELETE": attributes.verb = attributes.name.isEmpty ? "deletecollection" : "delete"
        default: attributes.verb = method.lowercased()
        }
        return attributes
    }
}
