import HourlyImageAPI
import HourlyImageStore
import LocalStore

/// What a test does before a store's reads and status writes: fail them, or let another writer race them.
protocol StoreHooks: Sendable {
    /// Runs before each `get`; throwing fails the read.
    func beforeGet(_ key: ResourceKey) async throws
    /// Runs before each status write, with the real store to race against.
    func beforeStatusWrite(_ resource: HourlyImage, inner: FileResourceStore) async throws
}

extension StoreHooks {
    func beforeGet(_ key: ResourceKey) async throws {}
    func beforeStatusWrite(_ resource: HourlyImage, inner: FileResourceStore) async throws {}
}

/// A file store whose reads and status writes pass through `hooks` first.
final class InterceptingStore<Hooks: StoreHooks>: ResourceStore {
    let inner: FileResourceStore
    let hooks: Hooks

    init(_ inner: FileResourceStore, _ hooks: Hooks) {
        self.inner = inner
        self.hooks = hooks
    }

    func list() async throws -> [HourlyImage] { await inner.list() }
    func get(_ key: ResourceKey) async throws -> HourlyImage? {
        try await hooks.beforeGet(key)
        return await inner.get(key)
    }
    func updateStatus(of resource: HourlyImage, to status: HourlyImageStatus) async throws -> HourlyImage {
        try await hooks.beforeStatusWrite(resource, inner: inner)
        return try await inner.updateStatus(of: resource, to: status)
    }
    func updateFinalizers(of resource: HourlyImage, to finalizers: [String]) async throws -> HourlyImage? {
        try await inner.updateFinalizers(of: resource, to: finalizers)
    }
    func recordGraceView(_ key: ResourceKey, currentSHA256: String, seenViews: Int) async throws -> Bool {
        try await inner.recordGraceView(key, currentSHA256: currentSHA256, seenViews: seenViews)
    }
    func changes() async -> AsyncStream<ResourceKey> { await inner.changes() }
    var isReady: Bool { get async { true } }
}
