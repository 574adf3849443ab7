import Foundation

/// Which objects a list or watch sees: one resource, optionally one namespace, label and field selectors.
struct ObjectFilter: Sendable {
    /// The resource as the client named it (a view such as core/v1 events included).
    let served: ResourceKind
    let namespace: String?
    let labels: LabelSelector
    let fields: FieldSelector

    /// The stored resource the objects come from.
    var stored: ResourceKind { served.isView ? .events : served }

    /// The object as the client sees it (converted for a view).
    func present(_ object: JSON) -> JSON {
        served.isView ? CoreEventView.coreEvent(from: object) : object
    }

    /// Whether a stored object is visible through this filter.
    func matches(_ object: JSON) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        if !labels.matches(object.labels) { return false }
        return fields.isEmpty || fields.matches(present(object))
    }
}

/// One line of a watch stream: `{"type": …, "object": …}`.
struct WatchEvent: Sendable {
    let type: String
    let object: JSON

    /// The JSON line, newline included.
    var line: Data {
        var data = JSON.object(["type": .string(type), "object": object]).data
        data.append(0x0A)
        return data
    }
}

/// The error a dropped watch stream ends with, so the connection is cut without a clean end.
struct WatchDropped: Error {}

/// What happened to one object at one resourceVersion, kept for watch replay and consistent pagination.
struct Change: Sendable {
    enum Kind: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED"
    }

    let resourceVersion: Int
    let kind: Kind
    let resource: ResourceKind
    /// The object after the change (for a deletion: its last state, with the deletion's resourceVersion).
    let object: JSON
    /// The object before the change; nil for a creation.
    let previous: JSON?

    /// The event a watcher with this filter sees, if any: an object leaving the selector is DELETED, entering it ADDED.
    func event(for filter: ObjectFilter) -> WatchEvent? {
        guard resource == filter.stored else { return nil }
        let isNow = kind != .deleted && filter.matches(object)
        let wasBefore = previous.map(filter.matches) ?? false
        let type: String
        switch kind {
        case .added: guard isNow else { return nil }; type = "ADDED"
        case .deleted: guard filter.matches(object) || wasBefore else { return nil }; type = "DELETED"
        case .modified:
            switch (wasBefore, isNow) {
            case (true, true): type = "MODIFIED"
            case (false, true): type = "ADDED"
            case (true, false): type = "DELETED"
            case (false, false): return nil
            }
        }
        return WatchEvent(type: type, object: filter.present(object))
    }
}
