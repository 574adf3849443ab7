import Foundation

/// Create, update, patch and delete with the generic registry's rules
/// (apiserver/pkg/registry/generic/registry/store.go, apiserver/pkg/registry/rest/{create,update}.go,
/// apiextensions-apiserver customresource strategy).
extension ObjectStore {
    /// POST: 201 with the stored object; 409 AlreadyExists when the name is taken.
    func create(_ resource: ResourceKind, namespace: String, body: JSON, manager: String = "kube-test-server",
                managedFields: [JSON]? = nil) throws(StatusError) -> JSON {
        if resource.namespaced, requiresNamespaces, lookup(.namespaces, namespace: "", name: namespace) == nil {
            throw .notFound(.namespaces, namespace)
        }
        var object = try Self.checked(body, resource, namespace: namespace, name: nil)
        if object.name.isEmpty, let prefix = object.metadata["generateName"]?.stringValue, !prefix.isEmpty {
            object.setMeta("name", .string(prefix + Self.generatedSuffix()))
        }
        let nameCauses = ObjectMetaValidation.name(object.name, namespaced: resource.namespaced)
        if let schema = resource.schema {
            let defaulted = StructuralSchema.defaulted(StructuralSchema.pruned(object, schema: schema).value, schema: schema)
            var checked = defaulted
            if resource.hasStatusSubresource { checked["status"] = nil }
            let causes = SchemaValidation.validate(checked, schema: schema, extraCauses: nameCauses)
            if !causes.isEmpty { throw .invalid(kind: resource.kind, group: resource.group, name: object.name, causes: causes) }
        } else if !nameCauses.isEmpty {
            throw .invalid(kind: resource.kind, group: resource.group, name: object.name, causes: nameCauses)
        }
        // etcd3 store.Create refuses a preset resourceVersion (storage.ErrResourceVersionSetOnCreate, a 500).
        guard object.resourceVersionText.isEmpty else {
            throw .storageError("resourceVersion should not be set on objects to be created")
        }
        guard lookup(resource, namespace: namespace, name: object.name) == nil else { throw .alreadyExists(resource, object.name) }
        // rest.BeforeCreate: system fields are the server's; the CR strategy drops status and starts generation at 1.
        object.setMeta("uid", .string(UUID().uuidString.lowercased()))
        object.setMeta("creationTimestamp", JSON.timestamp())
        object.setMeta("deletionTimestamp", nil)
        object.setMeta("deletionGracePeriodSeconds", nil)
        object.setMeta("generation", resource.tracksGeneration ? 1 : nil)
        if resource.hasStatusSubresource { object["status"] = nil }
        object = resource.preparedForCreate(object)
        if resource == .events { object = CoreEventView.withDefaults(object) }
        if let schema = resource.schema {
            object = StructuralSchema.defaulted(StructuralSchema.pruned(object, schema: schema).value, schema: schema)
        }
        object.setMeta("managedFields", nil)
        if let managedFields {
            object.setMeta("managedFields", .array(managedFields))
        } else {
            object = ManagedFields.recording(object, previous: nil, manager: manager, subresource: nil, apiVersion: resource.apiVersion)
        }
        object.setMeta("resourceVersion", .string(String(nextRV())))
        commit(.added, resource, object: object, previous: nil)
        return object
    }

    /// PUT: the whole object (or, for `/status`, only its status) replaces the stored one when
    /// metadata.resourceVersion matches; 409 Conflict when it is stale.
    func update(_ resource: ResourceKind, namespace: String, name: String, body: JSON, subresource: String?,
                manager: String = "kube-test-server") throws(StatusError) -> (object: JSON, created: Bool) {
        let proposed = try Self.checked(body, resource, namespace: namespace, name: name)
        guard let existing = lookup(resource, namespace: namespace, name: name) else {
            if resource.allowCreateOnUpdate, subresource == nil {
                var fresh = proposed
                fresh.setMeta("resourceVersion", nil)
                return (try create(resource, namespace: namespace, body: fresh, manager: manager), true)
            }
            throw .notFound(resource, name)
        }
        if proposed.resourceVersionText.isEmpty {
            guard resource.allowUnconditionalUpdate else {
                throw .invalid(resource, name, field: "metadata.resourceVersion", causeType: "FieldValueInvalid",
                               detail: "Invalid value: 0: must be specified for an update")
            }
        } else if proposed.resourceVersionText != existing.resourceVersionText {
            throw .conflict(resource, name)
        }
        return (try commitUpdate(resource, existing: existing, proposed: proposed, subresource: subresource, manager: manager), false)
    }

    /// PATCH: applies a JSON patch or merge patch to the stored object, then updates as PUT does
    /// (a resourceVersion in the patch is a precondition: 409 when stale).
    func patch(_ resource: ResourceKind, namespace: String, name: String, subresource: String?, patch: PatchDocument,
               manager: String = "kube-test-server") throws(StatusError) -> JSON {
        guard let existing = lookup(resource, namespace: namespace, name: name) else { throw .notFound(resource, name) }
        var patched = try patch.apply(to: existing)
        _ = try Self.checked(patched, resource, namespace: namespace, name: name)
        if patched.resourceVersionText.isEmpty { patched.setMeta("resourceVersion", existing.metadata["resourceVersion"]) }
        guard patched.resourceVersionText == existing.resourceVersionText else { throw .conflict(resource, name) }
        return try commitUpdate(resource, existing: existing, proposed: patched, subresource: subresource, manager: manager)
    }

    /// Turns a proposed object into the next stored state and commits it; a no-op write changes nothing
    /// (no new resourceVersion, no event), as etcd3's GuaranteedUpdate skips identical bytes.
    func commitUpdate(_ resource: ResourceKind, existing: JSON, proposed: JSON, subresource: String?,
                      manager: String = "kube-test-server", managedFields: [JSON]? = nil) throws(StatusError) -> JSON {
        var next: JSON
        if subresource == "status" {
            // Status strategy: only status changes; metadata and spec stay (ResetObjectMetaForStatus).
            next = existing
            next["status"] = proposed["status"]
        } else {
            next = proposed
            if resource.hasStatusSubresource { next["status"] = existing["status"] }
            let proposedUID = proposed.uid
            if !proposedUID.isEmpty, proposedUID != existing.uid {
                // The uid is a storage precondition (etcd3 GuaranteedUpdate): a 409 naming the key, not a 422.
                let key = "/registry/\(resource.group)/\(resource.plural)/\(existing.namespace.isEmpty ? "" : existing.namespace + "/")\(existing.name)"
                throw .conflict(resource, existing.name,
                                "StorageError: invalid object, Code: 4, Key: \(key), ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: \(proposedUID), UID in object meta: \(existing.uid)")
            }
            // rest.BeforeUpdate: uid, creationTimestamp, deletion fields and generation are not the client's.
            for key in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                next.setMeta(key, existing.metadata[key])
            }
            if existing.isBeingDeleted {
                let added = next.finalizers.filter { !existing.finalizers.contains($0) }
                if !added.isEmpty {
                    let list = added.map { "\"\($0)\"" }.joined(separator: ", ")
                    // Upstream reports this cause twice (ValidateObjectMetaUpdate runs in two places).
                    let cause = FieldCause(reason: "FieldValueForbidden",
                                           message: "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\(list)}",
                                           field: "metadata.finalizers")
                    throw .invalid(kind: resource.kind, group: resource.group, name: existing.name, causes: [cause, cause])
                }
            }
            if next.finalizers.isEmpty { next.setMeta("finalizers", nil) }
        }
        if let schema = resource.schema {
            next = StructuralSchema.defaulted(StructuralSchema.pruned(next, schema: schema).value, schema: schema)
        }
        // customresource strategy PrepareForUpdate: any change outside metadata and status is a new generation.
        if subresource != "status", resource.tracksGeneration, next.specContent != existing.specContent {
            next.setMeta("generation", .int(existing.generation + 1))
        }
        if let schema = resource.schema {
            let causes: [FieldCause]
            if subresource == "status", let statusSchema = schema["properties"]?["status"] {
                causes = SchemaValidation.validate(next["status"] ?? .null, schema: statusSchema, fieldPrefix: "status")
            } else {
                causes = SchemaValidation.validate(next, schema: schema)
            }
            if !causes.isEmpty { throw .invalid(kind: resource.kind, group: resource.group, name: existing.name, causes: causes) }
        }
        next.setMeta("resourceVersion", existing.metadata["resourceVersion"])
        next.setMeta("managedFields", managedFields.map(JSON.array) ?? existing.metadata["managedFields"])
        if next == existing { return existing }
        if managedFields == nil {
            next = ManagedFields.recording(next, previous: existing, manager: manager, subresource: subresource, apiVersion: resource.apiVersion)
        }
        next.setMeta("resourceVersion", .string(String(nextRV())))
        // store.go ShouldDeleteDuringUpdate: the last finalizer removed from a deleting object deletes it.
        if next.isBeingDeleted, next.finalizers.isEmpty {
            commit(.deleted, resource, object: next, previous: existing)
        } else {
            commit(.modified, resource, object: next, previous: existing)
        }
        return next
    }

    /// DELETE: without finalizers the object goes (DELETED); with finalizers it is only marked (store.go
    /// markAsDeleting: deletionTimestamp now, deletionGracePeriodSeconds 0, generation + 1) and returned.
    func delete(_ resource: ResourceKind, namespace: String, name: String, preconditionUID: String?, preconditionRV: String?) throws(StatusError) -> JSON {
        guard let existing = lookup(resource, namespace: namespace, name: name) else { throw .notFound(resource, name) }
        if let preconditionUID, preconditionUID != existing.uid {
            throw .conflict(resource, name, "Precondition failed: UID in precondition: \(preconditionUID), UID in object meta: \(existing.uid)")
        }
        if let preconditionRV, preconditionRV != existing.resourceVersionText {
            let qualified = resource.group.isEmpty ? resource.kind : "\(resource.kind).\(resource.group)"
            var details: [String: JSON] = ["name": .string(name), "kind": .string(resource.kind)]
            if !resource.group.isEmpty { details["group"] = .string(resource.group) }
            throw StatusError(code: 409, reason: "Conflict",
                              message: "Operation cannot be fulfilled on \(qualified) \"\(name)\": the ResourceVersion in the precondition (\(preconditionRV)) does not match the ResourceVersion in record (\(existing.resourceVersionText)). The object might have been modified",
                              details: .object(details))
        }
        var next = existing
        next.setMeta("resourceVersion", .string(String(currentRV + 1)))
        if existing.finalizers.isEmpty {
            _ = nextRV()
            commit(.deleted, resource, object: next, previous: existing)
            return Self.deleted(resource, existing)
        }
        if existing.isBeingDeleted { return existing }
        if resource.tracksGeneration, existing.generation > 0 { next.setMeta("generation", .int(existing.generation + 1)) }
        next.setMeta("deletionTimestamp", JSON.timestamp())
        next.setMeta("deletionGracePeriodSeconds", 0)
        _ = nextRV()
        commit(.modified, resource, object: next, previous: existing)
        return next
    }

    /// The Status a DELETE answers when the object is gone at once (store.go: an unstructured Success Status with
    /// name, group, kind (the plural) and uid).
    static func deleted(_ resource: ResourceKind, _ object: JSON) -> JSON {
        var details: [String: JSON] = ["name": .string(object.name), "kind": .string(resource.plural), "uid": .string(object.uid)]
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        return ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": .object(details)]
    }

    /// Five characters of generateName's random suffix (names.SimpleNameGenerator: consonants and digits).
    static func generatedSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }

    /// Checks the body is an object of this resource in this namespace (and with this name), filling in
    /// apiVersion, kind and namespace when absent; 400 otherwise, as the request decoder and
    /// rest.EnsureObjectNamespaceMatchesRequestNamespace answer.
    static func checked(_ body: JSON, _ resource: ResourceKind, namespace: String, name: String?) throws(StatusError) -> JSON {
        guard var object = body.objectValue.map(JSON.object) else {
            throw .badRequest("the body of the request was not a JSON object")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, apiVersion != resource.apiVersion {
            throw .badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
        if let kind = object["kind"]?.stringValue, kind != resource.kind, resource.schema != nil {
            let cause = FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(kind)\": must be \(resource.kind)", field: "kind")
            throw .invalid(kind: kind, group: resource.group, name: object.name, causes: [cause])
        }
        if let kind = object["kind"]?.stringValue, kind != resource.kind {
            throw .badRequest("the kind in the data (\(kind)) does not match the expected kind (\(resource.kind))")
        }
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        if object["metadata"]?.objectValue == nil { object["metadata"] = .object([:]) }
        if !object.namespace.isEmpty, object.namespace != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        object.setMeta("namespace", resource.namespaced ? .string(namespace) : nil)
        if let name {
            if object.name.isEmpty { object.setMeta("name", .string(name)) }
            guard object.name == name else {
                throw .badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(name))")
            }
        }
        return object
    }
}
