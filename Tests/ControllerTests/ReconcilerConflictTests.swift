import Foundation
import HourlyImageCore
import HourlyImageAPI
import HourlyImageStore
import LocalStore
import Synchronization
import Testing

@testable import HourlyImageController

/// Another writer changes the resource just before each of our first `races` status writes, so those writes fail
/// with a real `StoreError.conflict` from the store's resourceVersion check.
final class StatusRaces: StoreHooks {
    private let state: Mutex<(races: Int, statusWrites: Int)>

    init(races: Int) { state = Mutex((races, 0)) }

    var statusWrites: Int { state.withLock { $0.statusWrites } }

    func beforeStatusWrite(_ resource: HourlyImage, inner: FileResourceStore) async throws {
        let race = state.withLock { s -> Bool in
            s.statusWrites += 1
            guard s.races > 0 else { return false }
            s.races -= 1
            return true
        }
        if race, let theirs = await inner.get(ResourceKey(resource)) {
            _ = try await inner.updateFinalizers(of: theirs, to: theirs.metadata.finalizers ?? [])  // someone else's write
        }
    }
}

@Suite("Reconciler and the retry policy")
struct ReconcilerConflictTests {
    func reconciler(_ h: Harness, _ store: InterceptingStore<StatusRaces>) -> Reconciler {
        Reconciler(
            store: store, blobs: h.blobs, fetcher: h.reconciler.fetcher, manageFinalizer: false, now: { h.clock.now }, random: { 0.5 })
    }

    @Test("a status write that lost a race is re-read and written again, without fetching twice")
    func conflictRetried() async throws {
        let h = try Harness()
        defer { h.cleanUp() }
        let store = InterceptingStore(h.store, StatusRaces(races: 2))
        let result = try await reconciler(h, store).reconcile(h.key)
        let current = try #require(await h.resource().status?.current)
        #expect(result.requeueAt == current.expiresAt?.date)
        #expect(store.hooks.statusWrites == 3, "two lost races, then the write that landed")
        #expect(h.picsum.server.requests.filter { $0.path == "/1200" }.count == 1, "the fetched image is kept across the re-reads")
        #expect(try h.blobs.list(namespace: "default", name: "project-image").map(\.relativePath) == [current.file])
    }

    @Test("past the policy's immediate retries the conflict is thrown for the queue's backoff; the fetched file stays")
    func conflictGivenUp() async throws {
        let h = try Harness()
        defer { h.cleanUp() }
        let store = InterceptingStore(h.store, StatusRaces(races: 100))
        let r = reconciler(h, store)
        await #expect(throws: StoreError.conflict(h.key)) { try await r.reconcile(h.key) }
        #expect(store.hooks.statusWrites == 1 + RetryPolicy.standard.conflictRetries)
        #expect(h.picsum.server.requests.filter { $0.path == "/1200" }.count == 1)
        #expect(await h.resource().status?.current == nil, "nothing was written")
        #expect(try h.blobs.list(namespace: "default", name: "project-image").count == 1, "the fetched file is still on the volume")
        // The next pass (the queue's retry) lands it.
        _ = try await h.reconciler.reconcile(h.key)
        #expect(await h.resource().status?.current != nil)
    }
}
