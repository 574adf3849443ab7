import HourlyImageAPI

/// Why a store operation failed.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The resource changed since it was read (HTTP 409); re-read and retry.
    case conflict(ResourceKey)
    /// The resource does not exist (HTTP 404).
    case notFound(ResourceKey)
    /// The store cannot be reached or written (network, disk); the message says why.
    case unavailable(String)

    public var description: String {
        switch self {
        case .conflict(let key): "\(key) was changed by someone else; re-reading it"
        case .notFound(let key): "\(key) does not exist"
        case .unavailable(let message): message
        }
    }
}

/// Where HourlyImages live: the Kubernetes API, or local files in standalone mode.
///
/// The controller and the web renderer use only this; keep it narrow. Writes are optimistic:
/// they carry the `resourceVersion` that was read and fail with `StoreError.conflict` when
/// someone else wrote in between.
public protocol ResourceStore: Sendable {
    /// Every resource in scope, from the store's cache.
    func list() async throws -> [HourlyImage]

    /// One resource from the store's cache, or nil.
    func get(_ key: ResourceKey) async throws -> HourlyImage?

    /// Replaces the status (the `status` subresource); returns the stored resource.
    func updateStatus(of resource: HourlyImage, to status: HourlyImageStatus) async throws -> HourlyImage

    /// Replaces `metadata.finalizers`; returns the stored resource (nil when that deleted it).
    func updateFinalizers(of resource: HourlyImage, to finalizers: [String]) async throws -> HourlyImage?

    /// Counts one grace view if `status.current.sha256` and `status.graceViews` still hold the
    /// given values (compare-and-swap); false when they do not, so the caller re-reads.
    func recordGraceView(_ key: ResourceKey, currentSHA256: String, seenViews: Int) async throws -> Bool

    /// Keys of resources as they change (added, updated, deleted); every existing key first.
    func changes() async -> AsyncStream<ResourceKey>

    /// True once the store has loaded (the first list finished).
    var isReady: Bool { get async }

    /// Why the store may be behind (e.g. the API server is unreachable), or nil when all is well.
    var problem: String? { get async }

    /// Calls the backend refuses because of who we are (forbidden, bad credentials, a missing
    /// namespace), each naming its fix; while any remain, the process is not ready.
    var accessProblems: [String] { get async }
}

extension ResourceStore {
    /// No problem by default.
    public var problem: String? { get async { nil } }

    /// No access problems by default.
    public var accessProblems: [String] { get async { [] } }
}

/// A store that takes refresh requests itself: standalone mode's admin port sets `images.dwk.dev/refresh` through it
/// (in a cluster, `kubectl annotate` or `kubectl himg refresh` sets the annotation on the API server).
public protocol RefreshRequesting: Sendable {
    /// Sets the refresh annotation of `key` to `value`; returns the stored resource, or nil when there is none.
    func requestRefresh(_ key: ResourceKey, value: String) async throws -> HourlyImage?
}
