/// `metadata.managedFields` as the apiserver's field manager keeps them for Update operations: one entry per
/// (manager, operation, subresource) listing, in FieldsV1 form, the fields that manager set.
enum ManagedFields {
    /// metadata fields that belong to the server and are never owned by a manager.
    static let systemMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp",
        "deletionGracePeriodSeconds", "selfLink", "generateName",
    ]

    /// The manager of a request: `?fieldManager=` or the User-Agent up to its first "/", as upstream defaults it.
    static func manager(query: [String: String], userAgent: String?) -> String {
        if let name = query["fieldManager"], !name.isEmpty { return name }
        let agent = userAgent?.split(separator: "/").first.map(String.init) ?? ""
        return agent.isEmpty ? "unknown" : agent
    }

    /// The object with the fields `manager` changed (from `previous`, nil on create) recorded in its managedFields.
    static func recording(_ object: JSON, previous: JSON?, manager: String, subresource: String?, apiVersion: String) -> JSON {
        var object = object
        let owned = object.metadata["managedFields"]?.arrayValue ?? previous?.metadata["managedFields"]?.arrayValue ?? []
        var entries = owned
        if let changed = fieldSet(object, previous: previous) {
            let index = entries.firstIndex {
                $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == "Update"
                    && $0["subresource"]?.stringValue == subresource
            }
            var entry: [String: JSON] = ["manager": .string(manager), "operation": "Update", "apiVersion": .string(apiVersion),
                                         "time": JSON.timestamp(), "fieldsType": "FieldsV1", "fieldsV1": changed]
            if let subresource { entry["subresource"] = .string(subresource) }
            if let index {
                entry["fieldsV1"] = union(entries[index]["fieldsV1"] ?? [:], changed)
                entries[index] = .object(entry)
            } else {
                entries.append(.object(entry))
            }
        }
        object.setMeta("managedFields", entries.isEmpty ? nil : .array(entries))
        return object
    }

    /// The FieldsV1 set of what differs between the object and its previous state (all of it on create); nil when nothing.
    static func fieldSet(_ object: JSON, previous: JSON?) -> JSON? {
        var members = object.objectValue ?? [:]
        members["apiVersion"] = nil
        members["kind"] = nil
        var metadata = members["metadata"]?.objectValue ?? [:]
        for key in systemMetadata { metadata[key] = nil }
        members["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        var before = previous?.objectValue
        if var old = before {
            old["apiVersion"] = nil
            old["kind"] = nil
            var oldMeta = old["metadata"]?.objectValue ?? [:]
            for key in systemMetadata { oldMeta[key] = nil }
            old["metadata"] = oldMeta.isEmpty ? nil : .object(oldMeta)
            before = old
        }
        guard case .object(let set)? = diff(.object(members), before.map(JSON.object)), !set.isEmpty else { return nil }
        var top = set
        top["."] = nil
        if var meta = top["f:metadata"]?.objectValue {
            meta["."] = nil
            top["f:metadata"] = .object(meta)
        }
        return top.isEmpty ? nil : .object(top)
    }

    /// FieldsV1 of the parts of `value` that are new or changed compared with `old`; nil when equal.
    private static func diff(_ value: JSON, _ old: JSON?) -> JSON? {
        if let old, jsonEquals(value, old) { return nil }
        guard case .object(let members) = value else { return .object([:]) }
        let oldMembers = old?.objectValue
        var set: [String: JSON] = [:]
        if oldMembers == nil { set["."] = .object([:]) }
        for (key, child) in members {
            if let childSet = diff(child, oldMembers?[key]) { set["f:\(key)"] = childSet }
        }
        return set.isEmpty && oldMembers != nil ? nil : .object(set)
    }

    private static func union(_ a: JSON, _ b: JSON) -> JSON {
        guard case .object(var left) = a, case .object(let right) = b else { return b }
        for (key, value) in right { left[key] = left[key].map { union($0, value) } ?? value }
        return .object(left)
    }
}
