/// What upstream's create strategies add to a new object of a built-in kind before it is stored.
extension ResourceKind {
    /// A Namespace gets the `kubernetes` finalizer, phase Active and its name label; a CRD a default conversion and the
    /// status the create answers with (no conditions yet, names not yet accepted).
    func preparedForCreate(_ object: JSON) -> JSON {
        var object = object
        switch self {
        case .namespaces:
            var labels = object.metadata["labels"]?.objectValue ?? [:]
            labels["kubernetes.io/metadata.name"] = .string(object.name)
            object.setMeta("labels", .object(labels))
            object["spec"] = ["finalizers": ["kubernetes"]]
            object["status"] = ["phase": "Active"]
        case .customResourceDefinitions:
            var spec = object["spec"]?.objectValue ?? [:]
            if spec["conversion"] == nil { spec["conversion"] = ["strategy": "None"] }
            object["spec"] = .object(spec)
            let stored = (object["spec"]?["versions"]?.arrayValue ?? []).filter { $0["storage"] == .bool(true) }.compactMap { $0["name"] }
            object["status"] = ["conditions": .null, "acceptedNames": ["plural": "", "kind": ""], "storedVersions": .array(stored)]
        default:
            break
        }
        return object
    }

    /// The status the apiextensions controllers give a CRD whose names are free, right after it is created:
    /// NamesAccepted, Established, acceptedNames.
    static func crdStatus(_ crd: JSON) -> JSON {
        let now = JSON.timestamp()
        var names = crd["spec"]?["names"]?.objectValue ?? [:]
        if names["listKind"] == nil, let kind = names["kind"]?.stringValue { names["listKind"] = .string(kind + "List") }
        let stored = (crd["spec"]?["versions"]?.arrayValue ?? []).filter { $0["storage"] == .bool(true) }.compactMap { $0["name"] }
        return [
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "lastTransitionTime": now, "reason": "NoConflicts", "message": "no conflicts found"],
                ["type": "Established", "status": "True", "lastTransitionTime": now, "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted"],
            ],
            "acceptedNames": .object(names),
            "storedVersions": .array(stored),
        ]
    }
}
