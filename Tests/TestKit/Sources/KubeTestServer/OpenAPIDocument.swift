import Crypto
import Foundation

/// `/openapi/v3` and `/openapi/v3/apis/{group}/{version}` as kube-apiserver serves them: the index with a content hash
/// per group version, and per group version the paths and operations of each resource with their kinds' schemas
/// (a custom resource's from its CRD, so `kubectl explain` works; built-in kinds are open objects).
enum OpenAPIDocument {
    /// The document for an `/openapi/v3…` path; nil for any other path.
    static func document(for path: String, served: [ResourceKind]) -> JSON? {
        let groupVersions = groupVersions(served)
        if path == "/openapi/v3" || path == "/openapi/v3/" {
            var paths: [String: JSON] = [:]
            for (group, version) in groupVersions {
                let relative = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
                let document = OpenAPIGroupDocument.build(resources(served, group, version))
                let hash = SHA512.hash(data: document.data).map { String(format: "%02X", $0) }.joined()
                paths[relative] = ["serverRelativeURL": .string("/openapi/v3/\(relative)?hash=\(hash)")]
            }
            return ["paths": .object(paths)]
        }
        for (group, version) in groupVersions {
            let relative = group.isEmpty ? "/openapi/v3/api/\(version)" : "/openapi/v3/apis/\(group)/\(version)"
            if path == relative { return OpenAPIGroupDocument.build(resources(served, group, version)) }
        }
        return nil
    }

    private static func resources(_ served: [ResourceKind], _ group: String, _ version: String) -> [ResourceKind] {
        served.filter { $0.group == group && $0.version == version && !$0.createOnly }
    }

    private static func groupVersions(_ served: [ResourceKind]) -> [(String, String)] {
        var seen: [(String, String)] = []
        for resource in served where !seen.contains(where: { $0 == (resource.group, resource.version) }) {
            seen.append((resource.group, resource.version))
        }
        return seen
    }

    /// The components.schemas name: the group reversed ("dev.dwk.images.v1alpha1.HourlyImage"), as upstream's builder names it.
    static func schemaName(_ resource: ResourceKind, kind: String? = nil) -> String {
        let group = resource.group.isEmpty ? "io.k8s.api.core" : resource.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(group).\(resource.version).\(kind ?? resource.kind)"
    }
}
