/// Legacy (unaggregated) discovery documents, enough for kubectl to map `hourlyimages`, `himg`, events and leases
/// to their endpoints: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/{group}`, `/apis/{group}/{version}`.
/// Served as plain `application/json`, so a client asking for aggregated discovery falls back to these.
enum Discovery {
    static let verbs: [JSON] = ["create", "delete", "get", "list", "patch", "update", "watch"]

    /// The document for a discovery path; nil when the path is not one.
    static func document(for path: String, host: String) -> JSON? {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        switch trimmed {
        case "/version":
            return ["major": "1", "minor": "32", "gitVersion": "v1.32.0-kube-test-server",
                    "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
                    "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc", "platform": "linux/amd64"]
        case "/api":
            return ["kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(host)]]]
        case "/api/v1":
            return resourceList(groupVersion: "v1", [.coreEvents])
        case "/apis":
            return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map(group))]
        default:
            for (name, version) in groups {
                if trimmed == "/apis/\(name)" { return group(name: name, version: version).merging(["kind": "APIGroup", "apiVersion": "v1"]) }
                if trimmed == "/apis/\(name)/\(version)" {
                    return resourceList(groupVersion: "\(name)/\(version)", ResourceKind.stored.filter { $0.group == name })
                }
            }
            return nil
        }
    }

    /// The API groups served, with their one version.
    static let groups: [(name: String, version: String)] = ResourceKind.stored.map { ($0.group, $0.version) }

    private static func group(name: String, version: String) -> JSON {
        let groupVersion: JSON = ["groupVersion": .string("\(name)/\(version)"), "version": .string(version)]
        return ["name": .string(name), "versions": [groupVersion], "preferredVersion": groupVersion]
    }

    private static func resourceList(groupVersion: String, _ resources: [ResourceKind]) -> JSON {
        var entries: [JSON] = []
        for resource in resources {
            entries.append(["name": .string(resource.plural), "singularName": .string(resource.singular), "namespaced": .bool(true),
                            "kind": .string(resource.kind), "verbs": resource.isView ? ["get", "list", "watch"] : .array(verbs),
                            "shortNames": .array(resource.shortNames.map(JSON.string))])
            if resource.hasStatusSubresource {
                entries.append(["name": .string("\(resource.plural)/status"), "singularName": "", "namespaced": .bool(true),
                                "kind": .string(resource.kind), "verbs": ["get", "patch", "update"]])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(entries)]
    }
}

extension JSON {
    /// This object with the other's members added (the other's win).
    func merging(_ other: [String: JSON]) -> JSON {
        .object((objectValue ?? [:]).merging(other) { _, new in new })
    }
}
