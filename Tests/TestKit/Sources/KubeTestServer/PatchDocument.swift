import Foundation

/// A PATCH body by content type (api-concepts "Patch"): `application/json-patch+json` (RFC 6902),
/// `application/merge-patch+json` (RFC 7386), and for built-in types `application/strategic-merge-patch+json`
/// (approximated here as a merge patch). See https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply
enum PatchDocument: Sendable {
    case json([JSONPatchOperation])
    case merge(JSON)

    /// The content types accepted for a resource, in the order upstream's 415 message lists them.
    static func acceptedTypes(for resource: ResourceKind) -> [String] {
        var types = ["application/json-patch+json", "application/merge-patch+json"]
        if resource.acceptsStrategicMergePatch { types.append("application/strategic-merge-patch+json") }
        return types + ["application/apply-patch+yaml"]
    }

    /// Decodes a body: 415 for an unsupported content type, 400 for a body that is not a patch of that type.
    static func decode(contentType: String, body: Data, resource: ResourceKind) throws(StatusError) -> PatchDocument {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let accepted = acceptedTypes(for: resource)
        guard accepted.contains(mediaType) else { throw .unsupportedMediaType(mediaType, accepted: accepted) }
        guard let json = JSON.parse(body) else {
            throw .badRequest("error decoding patch: invalid character in the JSON body")
        }
        if mediaType == "application/json-patch+json" {
            guard let operations = json.arrayValue else {
                throw .badRequest("error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp")
            }
            return .json(try operations.map { (operation) throws(StatusError) in try JSONPatchOperation(operation) })
        }
        guard json.objectValue != nil else { throw .badRequest("Invalid JSON Patch") }
        return .merge(json)
    }

    /// The patched object; 422 when a JSON patch operation cannot be applied (a failed `test` included).
    func apply(to object: JSON) throws(StatusError) -> JSON {
        switch self {
        case .merge(let patch):
            return MergePatch.apply(patch, to: object)
        case .json(let operations):
            var document = object
            for operation in operations {
                guard let result = operation.apply(to: document) else { throw .patchNotApplicable }
                document = result
            }
            return document
        }
    }
}

/// RFC 7386 JSON Merge Patch: objects merge recursively, `null` removes, anything else replaces.
enum MergePatch {
    static func apply(_ patch: JSON, to target: JSON) -> JSON {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
