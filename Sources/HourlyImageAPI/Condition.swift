/// A Kubernetes `metav1.Condition`.
public struct Condition: Sendable, Hashable, Codable {
    /// `"True"`, `"False"` or `"Unknown"`, as the API spells them.
    public enum Status: String, Sendable, Hashable, Codable {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"
    }

    /// The condition type: `Ready`, `Fresh` or `Degraded`.
    public var type: String
    public var status: Status
    /// A CamelCase reason such as `ImageAvailable` or `SourceUnreachable`.
    public var reason: String
    /// A human-readable message.
    public var message: String
    /// When `status` last changed.
    public var lastTransitionTime: Timestamp
    /// The `metadata.generation` the condition was computed from.
    public var observedGeneration: Int64?

    /// Creates a condition.
    public init(
        type: String, status: Status, reason: String, message: String, lastTransitionTime: Timestamp,
        observedGeneration: Int64? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, status, reason, message, lastTransitionTime, observedGeneration
    }

    /// The JSON field names of a condition, for checks against the CRD schema.
    public static let fieldNames: Set<String> = Set(CodingKeys.allCases.map(\.stringValue))
}

extension Array where Element == Condition {
    /// The condition of the given type, if present.
    public subscript(type type: String) -> Condition? {
        first { $0.type == type }
    }
}
