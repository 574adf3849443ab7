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
    /// When the reconcile pass that made the last fetch attempt started.
    public var lastAttemptTime: Timestamp?
    /// When the next fetch may start after a failure (backoff); nil after a success.
    public var nextAttemptTime: Timestamp?
    /// The `images.dwk.dev/refresh` request last carried out (see `RefreshRequest.token`).
    public var lastRefresh: String?
    /// `Ready`, `Fresh` and `Degraded`.
    public var conditions: [Condition]?
    /// For `kubectl get`: what `current` is (`picsum/237`, a file name or a host); see `StatusDisplay`.
    public var imageLabel: String?
    /// For `kubectl get`: grace views used of those allowed (`1/3`), changed together with `graceViews`.
    public var graceUsage: String?
    /// For `kubectl get -o wide`: where `current` came from (else `spec.url`), redacted and bounded.
    public var redactedSourceURL: String?
    /// For `kubectl get -o wide`: the first 12 hex digits of `current.sha256`.
    public var shortSHA256: String?

    /// Creates a status.
    public init(
        observedGeneration: Int64? = nil, current: ImageRecord? = nil, pending: ImageRecord? = nil,
        graceViews: Int? = nil, consecutiveFailures: Int? = nil, lastAttemptTime: Timestamp? = nil,
        nextAttemptTime: Timestamp? = nil, lastRefresh: String? = nil, conditions: [Condition]? = nil, imageLabel: String? = nil,
        graceUsage: String? = nil, redactedSourceURL: String? = nil, shortSHA256: String? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.current = current
        self.pending = pending
        self.graceViews = graceViews
        self.consecutiveFailures = consecutiveFailures
        self.lastAttemptTime = lastAttemptTime
        self.nextAttemptTime = nextAttemptTime
        self.lastRefresh = lastRefresh
        self.conditions = conditions
        self.imageLabel = imageLabel
        self.graceUsage = graceUsage
        self.redactedSourceURL = redactedSourceURL
        self.shortSHA256 = shortSHA256
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case observedGeneration, current, pending, graceViews, consecutiveFailures
        case lastAttemptTime, nextAttemptTime, lastRefresh, conditions
        case imageLabel, graceUsage, redactedSourceURL, shortSHA256
    }

    /// The JSON field names of the status, for checks against the CRD schema.
    public static let fieldNames: Set<String> = Set(CodingKeys.allCases.map(\.stringValue))
}
