import Foundation

/// The state of the test API server: objects by resource, the resourceVersion counter, the change history
/// for watch replay and consistent pagination, and the open watches. Every write goes through here, in order.
actor ObjectStore {
    /// Objects by resource, then by "namespace/name".
    var objects: [ResourceKind: [String: JSON]] = [:]
    /// The last resourceVersion issued; one counter for every resource, like etcd's revision.
    var currentRV = 1
    /// Changes after `historyStart`, oldest first.
    var history: [Change] = []
    /// Every change with a resourceVersion above this is in `history`; older ones are forgotten (compacted).
    var historyStart = 1
    /// etcd's compacted revision: lists (Exact, continue tokens) from before it get 410; the watch cache (`history`)
    /// still serves watches from there.
    var compactedRevision = 0
    /// The resourceVersion at which each resource began to be served: its watch cache holds nothing older.
    var servedSince: [ResourceKind: Int] = [:]
    let historyLimit: Int
    var watchers: [Int: Watcher] = [:]
    /// Set when the server is stopping: new watches end at once instead of holding the connection open.
    var stopping = false
    var nextWatcherID = 0

    /// An open watch: what it sees and where its events go.
    struct Watcher {
        let filter: ObjectFilter
        let continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    }

    /// Container output by "namespace/name" of a pod, for the `log` subresource.
    var podLogs: [String: String] = [:]

    func podLog(namespace: String, name: String) -> String { podLogs["\(namespace)/\(name)"] ?? "" }

    /// Every resource served: the built-in kinds and one per established CustomResourceDefinition.
    var served: [ResourceKind]

    /// Creating an object in a namespace that does not exist answers 404, as upstream's NamespaceLifecycle admission does.
    let requiresNamespaces: Bool

    init(historyLimit: Int, customResources: [ResourceKind], requiresNamespaces: Bool) {
        self.historyLimit = max(1, historyLimit)
        served = ResourceKind.builtIn + customResources
        self.requiresNamespaces = requiresNamespaces
        guard requiresNamespaces else { return }
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            var namespace: JSON = ["apiVersion": "v1", "kind": "Namespace",
                                   "metadata": ["name": .string(name), "uid": .string(UUID().uuidString.lowercased()),
                                                "creationTimestamp": JSON.timestamp(), "resourceVersion": "1"]]
            namespace = ResourceKind.namespaces.preparedForCreate(namespace)
            objects[.namespaces, default: [:]]["/\(name)"] = namespace
        }
    }

    /// What the apiextensions controllers do right after a CRD is created: accept its names, mark it Established
    /// (a status write with its own resourceVersion) and serve its resource.
    func establish(_ crd: JSON, serving resource: ResourceKind) {
        var next = crd
        next["status"] = ResourceKind.crdStatus(crd)
        next.setMeta("resourceVersion", .string(String(nextRV())))
        commit(.modified, .customResourceDefinitions, object: next, previous: crd)
        serve(resource)
    }

    /// RBAC over the Roles and bindings stored now.
    func authorizer() -> RBACAuthorizer {
        func all(_ resource: ResourceKind) -> [JSON] { (objects[resource] ?? [:]).keys.sorted().compactMap { objects[resource]?[$0] } }
        return RBACAuthorizer(roles: all(.roles), clusterRoles: all(.clusterRoles), roleBindings: all(.roleBindings),
                              clusterRoleBindings: all(.clusterRoleBindings))
    }

    /// Serves a custom resource (a CRD was created or changed); replaces an earlier kind of the same group and plural.
    func serve(_ resource: ResourceKind) {
        served.removeAll { $0 == resource }
        served.append(resource)
        if servedSince[resource] == nil { servedSince[resource] = currentRV }
    }

    /// The stored object, or 404.
    func get(_ resource: ResourceKind, namespace: String, name: String) throws(StatusError) -> JSON {
        guard let object = objects[resource]?["\(namespace)/\(name)"] else { throw .notFound(resource, name) }
        return object
    }

    /// The stored object or nil (test access).
    func lookup(_ resource: ResourceKind, namespace: String, name: String) -> JSON? {
        objects[resource]?["\(namespace)/\(name)"]
    }

    /// The objects of a resource as they were at `resourceVersion`, rebuilt by undoing later changes; nil once compacted.
    func snapshot(_ resource: ResourceKind, at resourceVersion: Int) -> [String: JSON]? {
        guard resourceVersion >= historyStart, resourceVersion >= compactedRevision else { return nil }
        var state = objects[resource] ?? [:]
        for change in history.reversed() where change.resourceVersion > resourceVersion && change.resource == resource {
            state[change.object.storageKey] = change.previous
        }
        return state
    }

    /// Issues the next resourceVersion.
    func nextRV() -> Int {
        currentRV += 1
        return currentRV
    }

    /// Stores or removes the object, records the change and sends it to every watch that sees it.
    func commit(_ kind: Change.Kind, _ resource: ResourceKind, object: JSON, previous: JSON?) {
        if kind == .deleted {
            objects[resource]?[object.storageKey] = nil
        } else {
            objects[resource, default: [:]][object.storageKey] = object
        }
        let change = Change(resourceVersion: object.resourceVersion ?? currentRV, kind: kind, resource: resource,
                            object: object, previous: previous)
        history.append(change)
        if history.count > historyLimit {
            let dropped = history.removeFirst()
            historyStart = dropped.resourceVersion
        }
        for watcher in watchers.values {
            if let event = change.event(for: watcher.filter) { watcher.continuation.yield(event) }
        }
    }

    /// Forgets all history: watches and continue tokens from older resourceVersions now get 410.
    func compact() {
        history.removeAll()
        historyStart = currentRV
        compactedRevision = currentRV
    }

    /// etcd compaction up to `revision`: lists and continue tokens from before it get 410, while the watch cache
    /// keeps serving watches from its own window (recorded steps 170-173).
    func compact(upTo revision: Int) {
        compactedRevision = max(compactedRevision, min(revision, currentRV))
    }

    /// A page of a list: the items, the list's resourceVersion, the continue token and how many items remain.
    struct Page: Sendable {
        var items: [JSON]
        var resourceVersion: Int
        var continueToken: String?
        var remaining: Int?
    }

    /// Lists objects (API concepts, "Resource versions" and "Retrieving large results sets in chunks"):
    /// resourceVersion unset or "0" serves the latest state, "N" is "not older than N" (504 when N is in the future)
    /// unless `exact`; a continue token serves the rest of the snapshot it was issued for, 410 Expired once compacted.
    /// See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
    func list(_ filter: ObjectFilter, resourceVersion: Int?, exact: Bool, limit: Int?, continueToken: String?) throws(StatusError) -> Page {
        var at = currentRV
        var startKey = ""
        if let continueToken {
            guard let token = ContinueToken(encoded: continueToken) else {
                throw .badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
            }
            at = token.resourceVersion
            startKey = token.startKey
        } else if let resourceVersion, resourceVersion > 0 {
            if resourceVersion > currentRV { throw .tooLargeResourceVersion(resourceVersion, current: currentRV) }
            if exact { at = resourceVersion }
        }
        guard let state = snapshot(filter.stored, at: at) else {
            if continueToken != nil {
                let fresh = ContinueToken(resourceVersion: currentRV, startKey: startKey).encoded
                throw .expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.", continueToken: fresh)
            }
            if exact, at < compactedRevision { throw .expired("The resourceVersion for the provided list is too old.") }
            throw .expired("too old resource version: \(at) (\(historyStart + 1))")
        }
        let matching = state.keys.sorted().filter { $0 >= startKey }.compactMap { key in
            state[key].flatMap { filter.matches($0) ? $0 : nil }
        }
        var page = Page(items: matching.map(filter.present), resourceVersion: at)
        if let limit, limit > 0, matching.count > limit {
            page.items = Array(page.items.prefix(limit))
            page.continueToken = ContinueToken(resourceVersion: at, startKey: matching[limit - 1].storageKey + "\u{0}").encoded
            if filter.labels.isEmpty, filter.fields.isEmpty { page.remaining = matching.count - limit }
        }
        return page
    }
}

extension ObjectStore {
    func setPodLog(namespace: String, name: String, _ text: String) { podLogs["\(namespace)/\(name)"] = text }
}
