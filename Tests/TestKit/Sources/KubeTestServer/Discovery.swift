import Crypto
import Foundation

/// Discovery as kube-apiserver serves it for the resources this server serves: `/version`, `/api`, `/api/v1`, `/apis`
/// (legacy, or aggregated `apidiscovery.k8s.io/v2` when the Accept header asks for it), `/apis/{group}`,
/// `/apis/{group}/{version}`.
enum Discovery {
    /// The verbs of a stored resource, in the order upstream lists them for custom resources.
    static let verbs: [JSON] = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
    /// Content type of aggregated discovery.
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// The document and its content type for a discovery path; nil when the path is not one.
    static func document(for path: String, host: String, accept: String?, served: [ResourceKind]) -> (JSON, String)? {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let groups = groupVersions(served)
        switch trimmed {
        case "/version":
            return (["major": "1", "minor": "36", "gitVersion": "v1.36.2-kube-test-server",
                     "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
                     "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.0", "compiler": "gc", "platform": "linux/amd64"],
                    "application/json")
        case "/api":
            return (["kind": "APIVersions", "versions": ["v1"],
                     "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(host)]]], "application/json")
        case "/api/v1":
            return (resourceList(groupVersion: "v1", served.filter { $0.group.isEmpty }), "application/json")
        case "/apis":
            if accept?.contains("as=APIGroupDiscoveryList") == true {
                let items = groups.map { aggregated(name: $0.name, version: $0.version, served) }
                return (["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": [:], "items": .array(items)],
                        aggregatedContentType)
            }
            return (["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map { group(name: $0.name, version: $0.version) })],
                    "application/json")
        default:
            for (name, version) in groups {
                if trimmed == "/apis/\(name)" {
                    return (group(name: name, version: version).merging(["kind": "APIGroup", "apiVersion": "v1"]), "application/json")
                }
                if trimmed == "/apis/\(name)/\(version)" {
                    return (resourceList(groupVersion: "\(name)/\(version)", served.filter { $0.group == name }), "application/json")
                }
            }
            return nil
        }
    }

    /// The named API groups served, with their one version, in the order they were first served.
    static func groupVersions(_ served: [ResourceKind]) -> [(name: String, version: String)] {
        var seen: [(name: String, version: String)] = []
        for resource in served where !resource.group.isEmpty && !seen.contains(where: { $0.name == resource.group }) {
            seen.append((resource.group, resource.version))
        }
        return seen
    }

    /// storageVersionHash: the first 8 bytes of SHA-256 over "group/version/Kind", base64 (apiserver discovery).
    static func storageVersionHash(_ resource: ResourceKind) -> String {
        let digest = SHA256.hash(data: Data("\(resource.group)/\(resource.version)/\(resource.kind)".utf8))
        return Data(digest.prefix(8)).base64EncodedString()
    }

    private static func verbs(of resource: ResourceKind) -> JSON {
        if resource.createOnly { return ["create"] }
        return .array(verbs)
    }

    private static func group(name: String, version: String) -> JSON {
        let groupVersion: JSON = ["groupVersion": .string("\(name)/\(version)"), "version": .string(version)]
        return ["name": .string(name), "versions": [groupVersion], "preferredVersion": groupVersion]
    }

    private static func resourceList(groupVersion: String, _ resources: [ResourceKind]) -> JSON {
        var entries: [JSON] = []
        for resource in resources {
            var entry: [String: JSON] = ["name": .string(resource.plural), "singularName": .string(resource.singular),
                                         "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                                         "verbs": verbs(of: resource)]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSON.string)) }
            if !resource.createOnly { entry["storageVersionHash"] = .string(storageVersionHash(resource)) }
            entries.append(.object(entry))
            if resource.hasStatusSubresource {
                entries.append(["name": .string("\(resource.plural)/status"), "singularName": "", "namespaced": .bool(resource.namespaced),
                                "kind": .string(resource.kind), "verbs": ["get", "patch", "update"]])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(entries)]
    }

    /// One group of aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscovery).
    private static func aggregated(name: String, version: String, _ served: [ResourceKind]) -> JSON {
        let resources: [JSON] = served.filter { $0.group == name && !$0.isView }.map { resource in
            let responseKind: JSON = ["group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind)]
            var entry: [String: JSON] = ["resource": .string(resource.plural), "responseKind": responseKind,
                                         "scope": resource.namespaced ? "Namespaced" : "Cluster",
                                         "singularResource": .string(resource.singular), "verbs": verbs(of: resource)]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSON.string)) }
            if resource.hasStatusSubresource {
                entry["subresources"] = [["subresource": "status", "responseKind": responseKind, "verbs": ["get", "patch", "update"]]]
            }
            return .object(entry)
        }
        return ["metadata": ["name": .string(name)],
                "versions": [["version": .string(version), "resources": .array(resources), "freshness": "Current"]]]
    }
}

extension JSON {
    /// This object with the other's members added (the other's win).
    func merging(_ other: [String: JSON]) -> JSON {
        .object((objectValue ?? [:]).merging(other) { _, new in new })
    }
}
