import Foundation

/// Accessors for the `metadata` of a Kubernetes object held as JSON.
extension JSON {
    /// `metadata` as an object (empty when absent).
    var metadata: [String: JSON] {
        get { self["metadata"]?.objectValue ?? [:] }
        set { self["metadata"] = .object(newValue) }
    }

    /// Sets or (with nil) removes one `metadata` field.
    mutating func setMeta(_ key: String, _ value: JSON?) {
        var meta = metadata
        meta[key] = value
        metadata = meta
    }

    var name: String { metadata["name"]?.stringValue ?? "" }
    var namespace: String { metadata["namespace"]?.stringValue ?? "" }
    /// `metadata.resourceVersion` as the integer this server issues; nil when absent, empty or not a number.
    var resourceVersion: Int? { metadata["resourceVersion"]?.stringValue.flatMap { Int($0) } }
    var resourceVersionText: String { metadata["resourceVersion"]?.stringValue ?? "" }
    var uid: String { metadata["uid"]?.stringValue ?? "" }
    var generation: Int64 { metadata["generation"]?.intValue ?? 0 }
    var finalizers: [String] { metadata["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    var isBeingDeleted: Bool {
        if let stamp = metadata["deletionTimestamp"], stamp != .null { return true }
        return false
    }
    var labels: [String: String] {
        (metadata["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// The object without metadata and status: what counts as "spec" for generation (customresource strategy).
    var specContent: [String: JSON] {
        var members = objectValue ?? [:]
        members["metadata"] = nil
        members["status"] = nil
        return members
    }

    /// The sort key of an object: namespace, then name (etcd key order).
    var storageKey: String { "\(namespace)/\(name)" }

    /// RFC 3339 in whole seconds, as metav1.Time serializes.
    static func timestamp(_ date: Date = Date()) -> JSON {
        .string(date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)))
    }
}

/// Structural equality that treats 1 and 1.0 as the same number (RFC 6902 `test`).
func jsonEquals(_ lhs: JSON, _ rhs: JSON) -> Bool {
    switch (lhs, rhs) {
    case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
    case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { jsonEquals($0, $1) }
    case (.object(let a), .object(let b)):
        return a.count == b.count && a.allSatisfy { key, value in b[key].map { jsonEquals(value, $0) } ?? false }
    default: return lhs == rhs
    }
}
