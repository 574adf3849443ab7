import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import LocalStore
import Synchronization
import SystemSupport
import Testing

@testable import HourlyImageController

/// Reads fail (`StoreError.unavailable`) the first `outages` times, as with an unreachable API server; each read's
/// instant is kept.
final class FlakyReads: StoreHooks {
    private let state: Mutex<(outages: Int, reads: [ContinuousClock.Instant])>

    init(outages: Int) { state = Mutex((outages, [])) }

    var reads: [ContinuousClock.Instant] { state.withLock { $0.reads } }

    func beforeGet(_ key: ResourceKey) async throws {
        let down = state.withLock { s -> Bool in
            s.reads.append(.now)
            guard s.outages > 0 else { return false }
            s.outages -= 1
            return true
        }
        if down { throw StoreError.unavailable("the API server is unreachable") }
    }
}

@Suite("Controller and the retry policy")
struct ControllerRetryTests {
    @Test("a pass that throws is requeued after the policy's delay, doubling per failure in a row, until it lands")
    func failedPassesBackOff() async throws {
        let h = try Harness()
        defer { h.cleanUp() }
        let store = InterceptingStore(h.store, FlakyReads(outages: 3))
        let policy = RetryPolicy(conflictRetries: 4, errors: Backoff(initial: 0.2, maximum: 0.4, jitter: 0), fetches: RetryPolicy.standard.fetches)
        let reconciler = Reconciler(
            store: store, blobs: h.blobs, fetcher: h.reconciler.fetcher, manageFinalizer: false, now: { h.clock.now }, random: { 0.5 },
            policy: policy)
        let controller = Controller(reconciler: reconciler, store: store, blobs: h.blobs, workers: 1)
        let running = Task { try await controller.run() }
        defer { running.cancel() }
        for _ in 0..<600 where await h.resource().status?.current == nil { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await h.resource().status?.current != nil, "the pass after the outage landed")
        #expect(await controller.queue.retriesTotal == 3)
        let reads = store.hooks.reads
        try #require(reads.count >= 4)
        // Lower bounds only, so a busy machine cannot fail them: 0.2 s, 0.4 s, then 0.4 s (the maximum).
        for (index, least) in [0.2, 0.4, 0.4].enumerated() {
            #expect((reads[index + 1] - reads[index]) >= .milliseconds(Int64(least * 1000) - 5), "retry \(index + 1) waited the policy's delay")
        }
    }
}
