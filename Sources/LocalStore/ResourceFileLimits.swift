import HourlyImageAPI
import Yams

/// What a resource file may hold, read as the API server reads requests: bounded in size and in the nodes its
/// aliases expand to, and with no field the HourlyImage API does not know (as `kubectl apply --validate=strict`).
public enum ResourceFileLimits {
    /// The largest resource file read: 4 MiB (a few thousand HourlyImages).
    public static let maximumFileBytes = 4 << 20
    /// The most YAML nodes one document may expand to once aliases are followed (a "billion laughs" stays small).
    public static let maximumNodes = 100_000

    /// Fields a resource file may set, by path; `metadata.labels` and `metadata.annotations` take any key.
    static let knownFields: [String: Set<String>] = [
        "": ["apiVersion", "kind", "metadata", "spec", "status"],
        "metadata": ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                     "finalizers", "labels", "annotations"],
        "spec": HourlyImageSpec.fieldNames,
    ]

    /// Whether the document stays within `maximumNodes` once every alias is expanded; stops counting at the limit,
    /// so the check itself is bounded however many times the aliases nest.
    static func withinNodeLimit(_ root: Node) -> Bool {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            if count > maximumNodes { return false }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            default:
                break
            }
        }
        return true
    }

    /// The paths of fields the API does not know ("spec.urll", "frobnicate"), sorted.
    static func unknownFields(_ document: [String: Any]) -> [String] {
        var unknown: [String] = []
        for (key, value) in document {
            if !(knownFields[""]?.contains(key) ?? false) {
                unknown.append(key)
                continue
            }
            guard let nested = value as? [String: Any], let known = knownFields[key] else { continue }
            unknown += nested.keys.filter { !known.contains($0) }.map { "\(key).\($0)" }
        }
        return unknown.sorted()
    }
}
