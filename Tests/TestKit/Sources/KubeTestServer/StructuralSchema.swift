/// Defaulting and pruning of custom resources by their structural schema, as the apiserver does on every write
/// (apiextensions-apiserver pkg/apiserver/schema/defaulting and pruning).
enum StructuralSchema {
    /// The object with every `default` of the schema filled in where the field is absent; a defaulted object then gets
    /// its own children's defaults (so `spec: {default: {}}` yields a fully defaulted spec). A null where the schema
    /// does not allow one (no `nullable: true`) is defaulted like an absent field, or dropped when there is no default
    /// (upstream's PruneNonNullableNullsWithoutDefaults, then Default): `ttl:` left empty in YAML gets the default.
    static func defaulted(_ value: JSON, schema: JSON) -> JSON {
        switch value {
        case .object(var members):
            for (name, child) in schema["properties"]?.objectValue ?? [:] {
                if members[name] == .null, child["nullable"] != .bool(true) { members[name] = nil }
                if members[name] == nil, let fallback = child["default"] { members[name] = fallback }
                if let present = members[name] { members[name] = defaulted(present, schema: child) }
            }
            if let additional = schema["additionalProperties"], additional.objectValue != nil {
                for (name, present) in members where schema["properties"]?[name] == nil {
                    if present == .null, additional["nullable"] != .bool(true) {
                        members[name] = additional["default"].map { defaulted($0, schema: additional) }
                    } else {
                        members[name] = defaulted(present, schema: additional)
                    }
                }
            }
            return .object(members)
        case .array(let elements):
            guard let items = schema["items"] else { return value }
            return .array(elements.map { defaulted($0, schema: items) })
        default:
            return value
        }
    }

    /// The object without the fields its schema does not name, and their paths ("extra_top", "spec.color") sorted as
    /// upstream reports them. At the root, apiVersion, kind and metadata are always kept.
    static func pruned(_ value: JSON, schema: JSON) -> (value: JSON, unknown: [String]) {
        var unknown: [String] = []
        let result = prune(value, schema: schema, path: "", root: true, unknown: &unknown)
        return (result, unknown.sorted())
    }

    private static func prune(_ value: JSON, schema: JSON, path: String, root: Bool, unknown: inout [String]) -> JSON {
        if schema["x-kubernetes-preserve-unknown-fields"] == .bool(true) { return value }
        switch value {
        case .object(var members):
            let properties = schema["properties"]?.objectValue
            let additional = schema["additionalProperties"]
            for (name, child) in members {
                if root, ["apiVersion", "kind", "metadata"].contains(name) { continue }
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if let childSchema = properties?[name] {
                    members[name] = prune(child, schema: childSchema, path: childPath, root: false, unknown: &unknown)
                } else if let additional, additional.objectValue != nil {
                    members[name] = prune(child, schema: additional, path: childPath, root: false, unknown: &unknown)
                } else if additional == .bool(true) {
                    continue
                } else if properties != nil || schema["type"]?.stringValue == "object" {
                    members[name] = nil
                    unknown.append(childPath)
                }
            }
            return .object(members)
        case .array(let elements):
            guard let items = schema["items"] else { return value }
            return .array(elements.enumerated().map { prune($1, schema: items, path: "\(path)[\($0)]", root: false, unknown: &unknown) })
        default:
            return value
        }
    }
}
