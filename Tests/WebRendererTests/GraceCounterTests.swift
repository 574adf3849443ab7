import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import LocalStore
import Logging
import Prometheus
import Synchronization
import Testing

@testable import WebRenderer

/// A file store whose grace-view compare-and-swap always loses, as if another replica always counted first.
final class LosingStore: ResourceStore {
    let inner: FileResourceStore
    let attempts = Mutex(0)
    init(_ inner: FileResourceStore) { self.inner = inner }

    func list() async throws -> [HourlyImage] { await inner.list() }
    func get(_ key: ResourceKey) async throws -> HourlyImage? { await inner.get(key) }
    func updateStatus(of resource: HourlyImage, to status: HourlyImageStatus) async throws -> HourlyImage {
        try await inner.updateStatus(of: resource, to: status)
    }
    func updateFinalizers(of resource: HourlyImage, to finalizers: [String]) async throws -> HourlyImage? {
        try await inner.updateFinalizers(of: resource, to: finalizers)
    }
    func recordGraceView(_ key: ResourceKey, currentSHA256: String, seenViews: Int) async throws -> Bool {
        attempts.withLock { $0 += 1 }
        return false
    }
    func changes() async -> AsyncStream<ResourceKey> { await inner.changes() }
    var isReady: Bool { get async { true } }
}

@Suite("Grace views and the retry policy")
struct GraceCounterTests {
    @Test("a lost compare-and-swap is re-read and retried as often as the policy says, then the page is served", arguments: [0, 1, 4])
    func lostRaces(conflictRetries: Int) async throws {
        let f = try WebFixture()
        try await f.setStatus(HourlyImageStatus(current: try f.blob(age: 4000), graceViews: 0))
        let store = LosingStore(f.store)
        let standard = RetryPolicy.standard
        let counter = GraceCounter(
            store: store, policy: RetryPolicy(conflictRetries: conflictRetries, errors: standard.errors, fetches: standard.fetches),
            metrics: WebMetrics(registry: PrometheusCollectorRegistry()), onPromotionDue: nil,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let resource = try #require(await f.store.get(ResourceKey(namespace: "default", name: "project-image")))
        let served = await counter.view(resource, now: f.now)
        #expect(store.attempts.withLock { $0 } == 1 + conflictRetries)
        #expect(served.status?.graceViews == 0, "nothing was counted, and the page still renders the current image")
        #expect(served.status?.current == resource.status?.current)
    }
}
