/// One group version's OpenAPI v3 document, built the way apiextensions-apiserver's builder does for each CRD:
/// the all-namespaces list, the collection, the item and the status subresource with upstream's operation ids,
/// tags, descriptions, parameters (shared ones hoisted to the path item) and responses; the kind's schema with
/// TypeMeta and an ObjectMeta reference, the generated List kind, and every meta/v1 schema they reference.
enum OpenAPIGroupDocument {
    static func build(_ resources: [ResourceKind], meta: OpenAPIMeta = .shared) -> JSON {
        var paths: [String: JSON] = [:]
        var schemas: [String: JSON] = [:]
        for resource in resources {
            for (path, operations) in routes(resource) {
                paths[path] = pathItem(operations, resource, meta: meta)
            }
            schemas[OpenAPIDocument.schemaName(resource)] = kindSchema(resource, meta: meta)
            schemas[OpenAPIDocument.schemaName(resource, kind: resource.listKind)] = listSchema(resource, meta: meta)
        }
        addReferencedMetaSchemas(to: &schemas, paths: .object(paths), meta: meta)
        let isCustom = resources.contains { $0.schema != nil }
        let info: JSON = isCustom ? meta.info : ["title": "Kubernetes", "version": "unversioned"]
        return ["openapi": "3.0.0", "info": info, "paths": .object(paths), "components": ["schemas": .object(schemas)]]
    }

    /// What one route serves: HTTP method, upstream's action, operation id and description.
    struct Route {
        let method: String
        let action: String
        let operationID: String
        let description: String
        let isItem: Bool
    }

    static func routes(_ resource: ResourceKind) -> [(String, [Route])] {
        let kind = resource.kind
        let base = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        let scope = resource.namespaced ? "Namespaced" : ""
        let prefix = operationPrefix(resource)
        /// "deleteImagesDwkDevV1alpha1CollectionNamespacedHourlyImage": verb, group version, infix, scope, kind, suffix.
        func route(_ method: String, _ action: String, _ verb: String, infix: String = "", scope: String = scope, suffix: String = "",
                   _ description: String, item: Bool = true) -> Route {
            Route(method: method, action: action, operationID: "\(verb)\(prefix)\(infix)\(scope)\(kind)\(suffix)", description: description,
                  isItem: item)
        }
        let collection = resource.namespaced ? "\(base)/namespaces/{namespace}/\(resource.plural)" : "\(base)/\(resource.plural)"
        var result: [(String, [Route])] = []
        if resource.namespaced {
            result.append(("\(base)/\(resource.plural)",
                           [route("get", "list", "list", scope: "", suffix: "ForAllNamespaces", "list objects of kind \(kind)", item: false)]))
        }
        var collectionRoutes = [route("get", "list", "list", "list objects of kind \(kind)", item: false)]
        var itemRoutes = [route("get", "get", "read", "read the specified \(kind)")]
        if !resource.isView {
            collectionRoutes += [
                route("post", "post", "create", "create a \(kind)", item: false),
                route("delete", "deletecollection", "delete", infix: "Collection", "delete collection of \(kind)", item: false),
            ]
            itemRoutes += [
                route("put", "put", "replace", "replace the specified \(kind)"),
                route("delete", "delete", "delete", "delete a \(kind)"),
                route("patch", "patch", "patch", "partially update the specified \(kind)"),
            ]
        }
        result.append((collection, collectionRoutes))
        result.append(("\(collection)/{name}", itemRoutes))
        if resource.hasStatusSubresource, !resource.isView {
            result.append(("\(collection)/{name}/status", [
                route("get", "get", "read", suffix: "Status", "read status of the specified \(kind)"),
                route("put", "put", "replace", suffix: "Status", "replace status of the specified \(kind)"),
                route("patch", "patch", "patch", suffix: "Status", "partially update status of the specified \(kind)"),
            ]))
        }
        return result
    }

    /// "ImagesDwkDevV1alpha1" for images.dwk.dev/v1alpha1, "CoreV1" for the core group, "CoordinationV1" for coordination.k8s.io/v1.
    static func operationPrefix(_ resource: ResourceKind) -> String {
        groupWords(resource).map(capitalized).joined() + capitalized(resource.version)
    }

    /// "imagesDwkDev_v1alpha1", "core_v1".
    static func tag(_ resource: ResourceKind) -> String {
        let words = groupWords(resource)
        return (words.prefix(1) + words.dropFirst().map(capitalized)).joined() + "_" + resource.version
    }

    private static func groupWords(_ resource: ResourceKind) -> [String] {
        if resource.group.isEmpty { return ["core"] }
        let group = resource.group.hasSuffix(".k8s.io") ? String(resource.group.dropLast(".k8s.io".count)) : resource.group
        return group.split(whereSeparator: { $0 == "." || $0 == "-" }).map(String.init)
    }

    private static func capitalized(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }
}
