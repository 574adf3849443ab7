import Foundation
import Yams

/// Server-side apply (`application/apply-patch+yaml`), enough of structured-merge-diff for whole fields: the applied
/// configuration is merged into the object, its manager owns the fields it set (operation Apply), and changing a
/// field another manager owns is a 409 conflict unless `force=true`, which moves the ownership.
extension ObjectStore {
    /// PATCH with an apply configuration; 201 when it created the object.
    func apply(_ resource: ResourceKind, namespace: String, name: String, body: Data, manager: String?, force: Bool) throws(StatusError) -> (object: JSON, created: Bool) {
        guard let manager, !manager.isEmpty else {
            let cause = FieldCause(reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager")
            throw .invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "", causes: [cause])
        }
        guard let configuration = Self.decodeApply(body), configuration.objectValue != nil else {
            throw .badRequest("error decoding YAML: the apply configuration is not a YAML or JSON object")
        }
        let applied = ManagedFields.fieldSet(configuration, previous: nil) ?? [:]
        let entry: JSON = ["manager": .string(manager), "operation": "Apply", "apiVersion": .string(resource.apiVersion),
                           "time": JSON.timestamp(), "fieldsType": "FieldsV1", "fieldsV1": applied]
        guard let existing = lookup(resource, namespace: namespace, name: name) else {
            let created = try create(resource, namespace: namespace, body: Self.checked(configuration, resource, namespace: namespace, name: name),
                                     manager: manager, managedFields: [entry])
            return (created, true)
        }
        var others = (existing.metadata["managedFields"]?.arrayValue ?? []).filter {
            !($0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == "Apply")
        }
        var conflicts: [(manager: String, field: String)] = []
        for leaf in Self.leaves(applied) {
            let wanted = Self.value(at: leaf, in: configuration)
            guard let current = Self.value(at: leaf, in: existing), let wanted, !jsonEquals(current, wanted) else { continue }
            for other in others where Self.leaves(other["fieldsV1"] ?? [:]).contains(leaf) {
                conflicts.append((other["manager"]?.stringValue ?? "", "." + leaf.joined(separator: ".")))
            }
        }
        if !conflicts.isEmpty, !force {
            let causes = conflicts.map { FieldCause(reason: "FieldManagerConflict", message: "conflict with \"\($0.manager)\"", field: $0.field) }
            let list = conflicts.map { "conflict with \"\($0.manager)\": \($0.field)" }.joined(separator: ", ")
            let noun = conflicts.count == 1 ? "conflict" : "conflicts"
            throw StatusError(code: 409, reason: "Conflict", message: "Apply failed with \(conflicts.count) \(noun): \(list)",
                              details: ["causes": .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message),
                                                                       "field": .string($0.field)] })])
        }
        if force {
            let taken = Set(Self.leaves(applied))
            others = others.compactMap { other in
                let kept = Self.leaves(other["fieldsV1"] ?? [:]).filter { !taken.contains($0) }
                guard !kept.isEmpty else { return nil }
                var copy = other
                copy["fieldsV1"] = Self.fieldSet(kept)
                return copy
            }
        }
        var proposed = MergePatch.apply(configuration, to: existing)
        proposed.setMeta("resourceVersion", existing.metadata["resourceVersion"])
        let object = try commitUpdate(resource, existing: existing, proposed: proposed, subresource: nil, manager: manager,
                                      managedFields: others + [entry])
        return (object, false)
    }

    /// The body as JSON, or as YAML (kubectl sends JSON, which is YAML too).
    static func decodeApply(_ body: Data) -> JSON? {
        if let json = JSON.parse(body) { return json }
        guard let text = String(data: body, encoding: .utf8), let loaded = try? Yams.load(yaml: text),
              JSONSerialization.isValidJSONObject(loaded), let data = try? JSONSerialization.data(withJSONObject: loaded) else { return nil }
        return JSON.parse(data)
    }

    /// The leaf field paths of a FieldsV1 set.
    static func leaves(_ set: JSON) -> [[String]] {
        let children = (set.objectValue ?? [:]).filter { $0.key.hasPrefix("f:") }
        if children.isEmpty { return [[]] }
        return children.sorted { $0.key < $1.key }.flatMap { key, child in
            leaves(child).map { [String(key.dropFirst(2))] + $0 }
        }
    }

    /// A FieldsV1 set of these leaves.
    static func fieldSet(_ leaves: [[String]]) -> JSON {
        var root: JSON = [:]
        for leaf in leaves {
            let path = RecordingFreePath(leaf.map { "f:" + $0 })
            root = path.inserting(into: root)
        }
        return root
    }

    static func value(at path: [String], in object: JSON) -> JSON? {
        path.reduce(Optional(object)) { $0?[$1] }
    }
}

/// A key path for building nested objects.
struct RecordingFreePath {
    let keys: [String]
    init(_ keys: [String]) { self.keys = keys }

    /// The object with empty objects created along the path.
    func inserting(into object: JSON) -> JSON {
        guard let first = keys.first else { return object }
        var members = object.objectValue ?? [:]
        members[first] = RecordingFreePath(Array(keys.dropFirst())).inserting(into: members[first] ?? [:])
        return .object(members)
    }
}
