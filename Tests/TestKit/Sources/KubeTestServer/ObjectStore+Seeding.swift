import Foundation

/// Direct writes for tests, bypassing the request rules (status kept, no resourceVersion check).
extension ObjectStore {
    /// Stores the object as given, with the server's system fields filled in; ADDED or MODIFIED for watches.
    func seed(_ resource: ResourceKind, _ given: JSON) -> JSON {
        var object = given
        if object.namespace.isEmpty { object.setMeta("namespace", "default") }
        let existing = lookup(resource, namespace: object.namespace, name: object.name)
        if object.uid.isEmpty { object.setMeta("uid", .string(existing?.uid ?? UUID().uuidString.lowercased())) }
        if object.metadata["creationTimestamp"] == nil {
            object.setMeta("creationTimestamp", existing?.metadata["creationTimestamp"] ?? JSON.timestamp())
        }
        if resource.tracksGeneration, object.metadata["generation"] == nil {
            object.setMeta("generation", .int(existing?.generation ?? 1))
        }
        object.setMeta("resourceVersion", .string(String(nextRV())))
        commit(existing == nil ? .added : .modified, resource, object: object, previous: existing)
        return object
    }

    /// Deletes the object whatever its finalizers; DELETED for watches.
    func forceDelete(_ resource: ResourceKind, namespace: String, name: String) {
        guard let existing = lookup(resource, namespace: namespace, name: name) else { return }
        var last = existing
        last.setMeta("resourceVersion", .string(String(nextRV())))
        commit(.deleted, resource, object: last, previous: existing)
    }
}
