/// The structural-schema rules kube-apiserver applies to a CustomResourceDefinition before it accepts it
/// (apiextensions-apiserver pkg/apis/apiextensions/validation and pkg/apiserver/schema): the ones a hand-written CRD
/// trips over. A CRD that breaks them gets the same 422 causes a real server answers.
enum CRDValidation {
    /// The causes of a 422 for this CRD; empty when it is acceptable.
    static func validate(_ crd: JSON) -> [FieldCause] {
        var causes: [FieldCause] = []
        let versions = crd["spec"]?["versions"]?.arrayValue ?? []
        if versions.isEmpty {
            causes.append(FieldCause(reason: "FieldValueRequired", message: "Required value: must have exactly one version marked as storage version",
                                     field: "spec.versions"))
        }
        let schemas = versions.map { $0["schema"]?["openAPIV3Schema"] }
        // Upstream reports an identical schema of every version under spec.validation (the internal version's field).
        let shared = schemas.count >= 1 && schemas.allSatisfy { $0 == schemas[0] }
        for (index, schema) in schemas.enumerated() {
            guard let schema else {
                causes.append(FieldCause(reason: "FieldValueRequired", message: "Required value: schemas are required",
                                         field: "spec.versions[\(index)].schema.openAPIV3Schema"))
                continue
            }
            let path = shared ? "spec.validation.openAPIV3Schema" : "spec.versions[\(index)].schema.openAPIV3Schema"
            causes += structural(schema, path: path, root: true)
            if shared { break }
        }
        return causes
    }

    /// Every node has a type (unless int-or-string or preserve-unknown-fields), the root is an object, and the root's
    /// metadata says nothing but `type: object`.
    static func structural(_ node: JSON, path: String, root: Bool) -> [FieldCause] {
        var causes: [FieldCause] = []
        let type = node["type"]?.stringValue ?? ""
        let typeless = node["x-kubernetes-int-or-string"] == .bool(true) || node["x-kubernetes-preserve-unknown-fields"] == .bool(true)
        if type.isEmpty, !typeless {
            causes.append(FieldCause(reason: "FieldValueRequired", message: "Required value: must not be empty for specified object fields",
                                     field: "\(path).type"))
        }
        if root, !type.isEmpty, type != "object" {
            causes.append(FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(type)\": must be object at the root",
                                     field: "\(path).type"))
        }
        if node["properties"] != nil, node["additionalProperties"] != nil, node["additionalProperties"] != .bool(false) {
            causes.append(FieldCause(reason: "FieldValueForbidden", message: "Forbidden: additionalProperties and properties are mutual exclusive",
                                     field: "\(path).additionalProperties"))
        }
        for (name, child) in (node["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let childPath = "\(path).properties[\(name)]"
            if root, name == "metadata" {
                if Set((child.objectValue ?? [:]).keys).subtracting(["type", "properties"]).isEmpty == false
                    || Set((child["properties"]?.objectValue ?? [:]).keys).subtracting(["name", "generateName"]).isEmpty == false {
                    causes.append(FieldCause(reason: "FieldValueForbidden",
                                             message: "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
                                             field: childPath))
                }
                continue
            }
            causes += structural(child, path: childPath, root: false)
        }
        if let items = node["items"], items.objectValue != nil {
            causes += structural(items, path: "\(path).items", root: false)
        }
        if let additional = node["additionalProperties"], additional.objectValue != nil {
            causes += structural(additional, path: "\(path).additionalProperties", root: false)
        }
        return causes
    }
}
