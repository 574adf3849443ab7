import Crypto
import Foundation

/// A minimal OpenAPI v3 (`/openapi/v3` and `/openapi/v3/apis/{group}/{version}`): enough for `kubectl apply` to see
/// that the server validates fields itself (the PATCH operation takes `fieldValidation`, kubectl's QueryParamVerifierV3)
/// and which patch types each kind takes (custom resources: no strategic merge patch, so kubectl sends a merge patch).
/// Custom resources carry their CRD's schema (so `kubectl explain` works); built-in kinds are open objects.
enum OpenAPIDocument {
    /// The document for an `/openapi/v3…` path; nil for any other path.
    static func document(for path: String, served: [ResourceKind]) -> JSON? {
        let groupVersions = groupVersions(served)
        if path == "/openapi/v3" || path == "/openapi/v3/" {
            var paths: [String: JSON] = [:]
            for (group, version) in groupVersions {
                let relative = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
                let document = groupVersionDocument(served.filter { $0.group == group && $0.version == version && !$0.createOnly })
                let hash = SHA512.hash(data: document.data).map { String(format: "%02X", $0) }.joined()
                paths[relative] = ["serverRelativeURL": .string("/openapi/v3/\(relative)?hash=\(hash)")]
            }
            return ["paths": .object(paths)]
        }
        for (group, version) in groupVersions {
            let relative = group.isEmpty ? "/openapi/v3/api/\(version)" : "/openapi/v3/apis/\(group)/\(version)"
            if path == relative {
                return groupVersionDocument(served.filter { $0.group == group && $0.version == version && !$0.createOnly })
            }
        }
        return nil
    }

    private static func groupVersions(_ served: [ResourceKind]) -> [(String, String)] {
        var seen: [(String, String)] = []
        for resource in served where !seen.contains(where: { $0 == (resource.group, resource.version) }) {
            seen.append((resource.group, resource.version))
        }
        return seen
    }

    private static func groupVersionDocument(_ resources: [ResourceKind]) -> JSON {
        var paths: [String: JSON] = [:]
        var schemas: [String: JSON] = [:]
        for resource in resources {
            let gvk: JSON = [["group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind)]]
            let schemaName = Self.schemaName(resource)
            let reference: JSON = ["$ref": .string("#/components/schemas/\(schemaName)")]
            let base = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
            var patchTypes = PatchDocument.acceptedTypes(for: resource).map { ($0, JSON.object(["schema": ["type": "object"]])) }
            let query: [JSON] = ["dryRun", "fieldManager", "fieldValidation", "force"].map {
                ["name": .string($0), "in": "query", "schema": ["type": "string", "uniqueItems": true]]
            }
            var item: [String: JSON] = [
                "get": operation("read", resource, gvk, reference, parameters: []),
                "parameters": [["name": "name", "in": "path", "required": true, "schema": ["type": "string"]],
                               ["name": "namespace", "in": "path", "required": true, "schema": ["type": "string"]]],
            ]
            if !resource.isView {
                item["put"] = operation("replace", resource, gvk, reference, parameters: query, body: [("application/json", ["schema": reference])])
                item["patch"] = operation("patch", resource, gvk, reference, parameters: query, body: patchTypes)
                item["delete"] = operation("delete", resource, gvk, reference, parameters: [])
            }
            paths["\(base)/namespaces/{namespace}/\(resource.plural)/{name}"] = .object(item)
            if let schema = resource.schema {
                var members = schema.objectValue ?? [:]
                members["x-kubernetes-group-version-kind"] = gvk
                schemas[schemaName] = .object(members)
                continue
            }
            schemas[schemaName] = [
                "type": "object", "x-kubernetes-group-version-kind": gvk, "x-kubernetes-preserve-unknown-fields": true,
                "description": .string("\(resource.kind) (\(resource.apiVersion)), served by the kube-test-server."),
                "properties": ["apiVersion": ["type": "string"], "kind": ["type": "string"],
                               "metadata": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]
        }
        return ["openapi": "3.0.0", "info": ["title": "kube-test-server", "version": "v1.32.0"],
                "paths": .object(paths), "components": ["schemas": .object(schemas)]]
    }

    /// The components.schemas name: the group reversed ("dev.dwk.images.v1alpha1.HourlyImage"), as upstream's builder names it.
    static func schemaName(_ resource: ResourceKind) -> String {
        let group = resource.group.isEmpty ? "io.k8s.api.core" : resource.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(group).\(resource.version).\(resource.kind)"
    }

    private static func operation(_ action: String, _ resource: ResourceKind, _ gvk: JSON, _ reference: JSON,
                                  parameters: [JSON], body: [(String, JSON)]? = nil) -> JSON {
        var operation: [String: JSON] = [
            "operationId": .string("\(action)\(resource.kind)"), "parameters": .array(parameters),
            "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk.arrayValue?.first ?? .null,
            "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": reference]]]],
        ]
        if let body {
            operation["requestBody"] = ["content": .object(Dictionary(body, uniquingKeysWith: { first, _ in first })), "required": true]
        }
        return .object(operation)
    }
}
