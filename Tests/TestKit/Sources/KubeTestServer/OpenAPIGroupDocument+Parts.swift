extension OpenAPIGroupDocument {
    /// A path item: each route's operation, with the parameters every operation shares moved up to the item, sorted by name.
    static func pathItem(_ routes: [Route], _ resource: ResourceKind, meta: OpenAPIMeta) -> JSON {
        let parameterLists = routes.map { parameters($0, resource, meta: meta) }
        let shared = (parameterLists.first ?? []).filter { parameter in parameterLists.allSatisfy { $0.contains(parameter) } }
        var item: [String: JSON] = [:]
        for (route, all) in zip(routes, parameterLists) {
            var built = operation(route, resource, meta: meta)
            let own = all.filter { !shared.contains($0) }
            if !own.isEmpty { built["parameters"] = .array(sortedByName(own)) }
            item[route.method] = .object(built)
        }
        if !shared.isEmpty { item["parameters"] = .array(sortedByName(shared)) }
        return .object(item)
    }

    private static func parameters(_ route: Route, _ resource: ResourceKind, meta: OpenAPIMeta) -> [JSON] {
        var result: [JSON] = []
        if route.isItem, let name = meta.pathParameters["name"] { result.append(name) }
        if resource.namespaced, !route.operationID.hasSuffix("ForAllNamespaces"), let namespace = meta.pathParameters["namespace"] {
            result.append(namespace)
        }
        let options = ["post": "create", "put": "update"][route.action] ?? route.action
        return result + [meta.pretty] + (meta.options[options] ?? [])
    }

    private static func sortedByName(_ parameters: [JSON]) -> [JSON] {
        parameters.sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
    }

    private static func operation(_ route: Route, _ resource: ResourceKind, meta: OpenAPIMeta) -> [String: JSON] {
        let kindReference = reference(OpenAPIDocument.schemaName(resource))
        let listReference = reference(OpenAPIDocument.schemaName(resource, kind: resource.listKind))
        let status = OpenAPIMeta.reference("Status")
        var operation: [String: JSON] = [
            "tags": [.string(tag(resource))], "description": .string(route.description), "operationId": .string(route.operationID),
            "x-kubernetes-action": .string(route.action),
            "x-kubernetes-group-version-kind": ["group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind)],
        ]
        var responses: [String: JSON] = ["401": ["description": "Unauthorized"]]
        switch route.action {
        case "list":
            responses["200"] = response("OK", listReference)
        case "deletecollection":
            responses["200"] = response("OK", status)
        case "post":
            operation["requestBody"] = ["content": content(kindReference), "required": true]
            responses["200"] = response("OK", kindReference)
            responses["201"] = response("Created", kindReference)
            responses["202"] = response("Accepted", kindReference)
        case "put":
            operation["requestBody"] = ["content": content(kindReference), "required": true]
            responses["200"] = response("OK", kindReference)
            responses["201"] = response("Created", kindReference)
        case "delete":
            operation["requestBody"] = ["content": content(OpenAPIMeta.reference("DeleteOptions"))]
            responses["200"] = response("OK", status)
            responses["202"] = response("Accepted", status)
        case "patch":
            let patch: [String: JSON] = ["schema": OpenAPIMeta.reference("Patch")]
            let types = PatchDocument.acceptedTypes(for: resource).map { ($0, JSON.object(patch)) }
            operation["requestBody"] = ["content": .object(Dictionary(types, uniquingKeysWith: { first, _ in first })), "required": true]
            responses["200"] = response("OK", kindReference)
        default:
            responses["200"] = response("OK", kindReference)
        }
        operation["responses"] = .object(responses)
        return operation
    }

    private static func reference(_ schemaName: String) -> JSON { ["$ref": .string("#/components/schemas/\(schemaName)")] }

    private static func content(_ schema: JSON) -> JSON {
        ["application/json": ["schema": schema], "application/yaml": ["schema": schema]]
    }

    private static func response(_ description: String, _ schema: JSON) -> JSON {
        ["description": .string(description), "content": content(schema)]
    }

    private static func groupVersionKind(_ resource: ResourceKind, kind: String) -> JSON {
        [["group": .string(resource.group), "kind": .string(kind), "version": .string(resource.version)]]
    }

    /// The CRD's schema with upstream's TypeMeta properties, metadata as a reference to ObjectMeta, and the kind.
    static func kindSchema(_ resource: ResourceKind, meta: OpenAPIMeta) -> JSON {
        var members = resource.schema?.objectValue ?? [
            "type": "object", "x-kubernetes-preserve-unknown-fields": true,
            "description": .string("\(resource.kind) (\(resource.apiVersion)), served by the kube-test-server."),
        ]
        var properties = members["properties"]?.objectValue ?? [:]
        properties.merge(meta.typeMeta) { _, upstream in upstream }
        properties["metadata"] = ["description": .string(meta.objectMetaDescription), "allOf": [OpenAPIMeta.reference("ObjectMeta")]]
        members["properties"] = .object(properties)
        members["x-kubernetes-group-version-kind"] = groupVersionKind(resource, kind: resource.kind)
        return .object(members)
    }

    /// The List kind upstream generates for every CRD version.
    static func listSchema(_ resource: ResourceKind, meta: OpenAPIMeta) -> JSON {
        var properties = meta.typeMeta
        properties["items"] = [
            "description": .string(meta.listItemsDescription.replacingOccurrences(of: "{plural}", with: resource.plural)),
            "type": "array", "items": reference(OpenAPIDocument.schemaName(resource)),
        ]
        properties["metadata"] = ["description": .string(meta.listMetaDescription), "allOf": [OpenAPIMeta.reference("ListMeta")]]
        return [
            "description": .string("\(resource.listKind) is a list of \(resource.kind)"), "type": "object", "required": ["items"],
            "properties": .object(properties), "x-kubernetes-group-version-kind": groupVersionKind(resource, kind: resource.listKind),
        ]
    }

    /// Adds each meta/v1 schema the paths and schemas reference, and the ones those reference.
    static func addReferencedMetaSchemas(to schemas: inout [String: JSON], paths: JSON, meta: OpenAPIMeta) {
        var pending = Array(schemas.values) + [paths]
        while let next = pending.popLast() {
            for name in references(in: next) where schemas[name] == nil {
                guard let schema = meta.schemas[name] else { continue }
                schemas[name] = schema
                pending.append(schema)
            }
        }
    }

    private static func references(in json: JSON) -> [String] {
        switch json {
        case .object(let members):
            let own = members["$ref"]?.stringValue.map { [String($0.dropFirst("#/components/schemas/".count))] } ?? []
            return own + members.values.flatMap(references)
        case .array(let elements):
            return elements.flatMap(references)
        default:
            return []
        }
    }
}
