import SystemSupport

/// The reflector as a pure state machine: list, watch from the list's resourceVersion, resume
/// from the last one seen (events and bookmarks), relist on 410 Gone, back off on errors.
///
/// See the API concepts page, "Efficient detection of changes" and "Watch bookmarks". The
/// runner feeds it what happened and performs the action it returns; tests do the same.
public struct ReflectorMachine: Sendable, Equatable {
    /// What to do next.
    public enum Action: Sendable, Equatable {
        /// List everything (a full resync of the cache).
        case list
        /// Watch from this resourceVersion.
        case watch(from: String)
        /// Wait, then list.
        case waitThenList(seconds: Double)
        /// Wait, then watch from this resourceVersion.
        case waitThenWatch(seconds: Double, from: String)
    }

    /// The last resourceVersion seen; nil before the first list or after a 410.
    public private(set) var resourceVersion: String?
    /// Errors in a row since the last success.
    public private(set) var failures = 0
    /// The delay after errors in a row: `initialBackoff` doubling to `maximumBackoff`, ±`jitter`.
    public let backoff: Backoff

    /// Creates a machine (defaults: 0.8 s doubling to 30 s, ±20 %).
    public init(initialBackoff: Double = 0.8, maximumBackoff: Double = 30, jitter: Double = 0.2) {
        backoff = Backoff(initial: initialBackoff, maximum: maximumBackoff, jitter: jitter)
    }

    /// The first action.
    public func start() -> Action { .list }

    /// The list finished; watch from its resourceVersion.
    public mutating func listed(resourceVersion: String) -> Action {
        self.resourceVersion = resourceVersion
        failures = 0
        return .watch(from: resourceVersion)
    }

    /// The list failed; an expired continue token (410) relists at once, anything else backs off.
    public mutating func listFailed(_ error: KubeAPIError, random: Double) -> Action {
        if case .gone = error { return .list }
        failures += 1
        return .waitThenList(seconds: delay(error, random: random))
    }

    /// A watch event carried this resourceVersion (an object's, or a bookmark's).
    public mutating func observed(resourceVersion: String) {
        if !resourceVersion.isEmpty { self.resourceVersion = resourceVersion }
        failures = 0
    }

    /// The watch ended: cleanly (timeout), with an ERROR event's status, or with an error.
    public mutating func watchEnded(_ error: KubeAPIError?, random: Double) -> Action {
        guard let resourceVersion else { return .list }
        guard let error else { return .watch(from: resourceVersion) }  // timeoutSeconds: just resume
        if case .gone = error {
            self.resourceVersion = nil  // too old: the cache may have missed deletions
            return .list
        }
        failures += 1
        return .waitThenWatch(seconds: delay(error, random: random), from: resourceVersion)
    }

    /// The backoff after the current number of failures; 429's Retry-After wins when given.
    func delay(_ error: KubeAPIError, random: Double) -> Double {
        if case .tooManyRequests(_, let retryAfter?) = error { return retryAfter }
        return backoff.delay(failures: max(failures, 1), unit: random)
    }
}
