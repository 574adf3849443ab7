/// What the controller observed and did; the web renders `current`.
public struct HourlyImageStatus: Sendable, Hashable, Codable {
    /// The `metadata.generation` this status was computed from.
    public var observedGeneration: Int64?
    /// The image being served; absent until the first fetch.
    public var current: ImageRecord?
    /// The next image, fetched in advance, waiting for the grace views.
    public var pending: ImageRecord?
    /// Page views of `current` after `expiresAt` (written by the web renderer).
    public var graceViews: Int?
    /// Fetches that failed in a row; 0 after a success.
    public var consecutiveFailures: Int?
    /// When the last fetch started.
    public var lastAttemptTime: Timestamp?
    /// When the next fetch may start after a failure (backoff).
    public var nextAttemptTime: Timestamp?
    /// `Ready`, `Fresh` and `Degraded`.
    public var conditions: [Condition]?

    /// Creates a status.
    public init(
        observedGeneration: Int64? = nil, current: ImageRecord? = nil, pending: ImageRecord? = nil,
        graceViews: Int? = nil, consecutiveFailures: Int? = nil, lastAttemptTime: Timestamp? = nil,
        nextAttemptTime: Timestamp? = nil, conditions: [Condition]? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.current = current
        self.pending = pending
        self.graceViews = graceViews
        self.consecutiveFailures = consecutiveFailures
        self.lastAttemptTime = lastAttemptTime
        self.nextAttemptTime = nextAttemptTime
        self.conditions = conditions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case observedGeneration, current, pending, graceViews, consecutiveFailures
        case lastAttemptTime, nextAttemptTime, conditions
    }

    /// The JSON field names of the status, for checks against the CRD schema.
    public static let fieldNames: Set<String> = Set(CodingKeys.allCases.map(\.stringValue))
}
