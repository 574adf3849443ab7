/// What `/readyz` answers, for the controller and the web alike: not ready until the store has
/// loaded, and not ready while the API server refuses a call the process needs (each named with its fix).
public struct Readiness: Sendable, Hashable {
    /// True for 200, false for 503.
    public var isReady: Bool
    /// The plain-text body, one reason a line.
    public var text: String

    /// Creates a readiness answer.
    public init(isReady: Bool, text: String) {
        self.isReady = isReady
        self.text = text
    }

    /// Decides readiness; `okText` is the body when ready (`ok`, `ok (leader)`, ...).
    public static func evaluate(loaded: Bool, notLoadedReason: String, accessProblems: [String], okText: String = "ok") -> Readiness {
        var reasons = accessProblems.map { "API access refused: \($0)" }
        if !loaded { reasons.append(notLoadedReason) }
        guard reasons.isEmpty else { return Readiness(isReady: false, text: "not ready:\n" + reasons.map { "- \($0)\n" }.joined()) }
        return Readiness(isReady: true, text: okText + "\n")
    }
}
