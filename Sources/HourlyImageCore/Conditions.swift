import HourlyImageAPI

/// The condition types an HourlyImage reports.
public enum ConditionType {
    /// True while an image can be served.
    public static let ready = "Ready"
    /// True before `expiresAt`.
    public static let fresh = "Fresh"
    /// True when the last fetch failed or the spec is invalid.
    public static let degraded = "Degraded"
}

extension Array where Element == Condition {
    /// Sets a condition, keeping `lastTransitionTime` unless the status flips.
    public mutating func set(
        _ type: String, _ status: Condition.Status, reason: String, message: String, now: Timestamp,
        observedGeneration: Int64?
    ) {
        if let index = firstIndex(where: { $0.type == type }) {
            let old = self[index]
            self[index] = Condition(
                type: type, status: status, reason: reason, message: message,
                lastTransitionTime: old.status == status ? old.lastTransitionTime : now,
                observedGeneration: observedGeneration)
        } else {
            append(
                Condition(
                    type: type, status: status, reason: reason, message: message, lastTransitionTime: now,
                    observedGeneration: observedGeneration))
        }
    }
}
