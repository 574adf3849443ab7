import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import Logging
import SystemSupport

/// Acts on the lifecycle core's decisions for one resource: fetches, prunes, writes status.
///
/// Level-based: every pass re-reads the resource and the volume. Status is computed once and
/// written once per pass, and skipped when nothing changed.
public struct Reconciler: Sendable {
    let store: any ResourceStore
    let blobs: BlobStore
    let fetcher: any ImageSource
    let events: any EventRecorder
    let manageFinalizer: Bool
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    /// Decides every retry: lost races here, failed passes in the controller, failed fetches in the core.
    public let policy: RetryPolicy
    let metrics: ControllerMetrics?
    let logger: Logger

    /// Creates a reconciler.
    ///
    /// - Parameters:
    ///   - manageFinalizer: add the cleanup finalizer (false in standalone mode, where nothing deletes resources).
    ///   - now: the clock; tests pass their own.
    ///   - random: a number in [0, 1) for backoff jitter.
    ///   - policy: when to retry what failed.
    public init(
        store: any ResourceStore, blobs: BlobStore, fetcher: any ImageSource, events: any EventRecorder = NoEvents(),
        manageFinalizer: Bool, now: @escaping @Sendable () -> Date = Date.init,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, policy: RetryPolicy = .standard,
        metrics: ControllerMetrics? = nil, logger: Logger = Logger(label: "hourly-image.reconcile")
    ) {
        self.policy = policy
        self.metrics = metrics
        self.store = store
        self.blobs = blobs
        self.fetcher = fetcher
        self.events = events
        self.manageFinalizer = manageFinalizer
        self.now = now
        self.random = random
        self.logger = logger
    }

    /// How long deletion waits for the files to be removed before letting the resource go.
    public static let cleanupDeadline: TimeInterval = 120

    /// What one pass asks of the queue.
    public struct Result: Sendable, Equatable {
        /// When to reconcile again, if nothing else happens first.
        public var requeueAt: Date?
    }

    /// A fetch made by this pass: kept across a conflict's re-read so a lost race does not fetch again.
    typealias Fetched = (slot: Slot, outcome: Swift.Result<ImageRecord, FetchFailure>)

    /// Reconciles `key`: one pass, retried at once after a fresh read while the policy says a lost race should be.
    /// Throws the store's and the volume's errors (and a conflict the policy gave up on) for the queue to retry.
    public func reconcile(_ key: ResourceKey) async throws -> Result {
        var logger = self.logger
        logger[metadataKey: "hourlyimage"] = "\(key)"
        var fetched: Fetched?
        var attempt = 0
        while true {
            attempt = attempt.saturatingSuccessor
            do {
                return try await pass(key, fetched: &fetched, logger: logger)
            } catch StoreError.conflict(let conflicted) {
                guard policy.next(after: .conflict, attempt: attempt) == .retryNow else { throw StoreError.conflict(conflicted) }
                logger.debug("a write conflicted; re-reading", metadata: ["attempt": .stringConvertible(attempt)])
            }
        }
    }

    /// The straight line: read → decide → (finalizer) → fetch → `afterFetch` → write once → report → prune.
    private func pass(_ key: ResourceKey, fetched: inout Fetched?, logger: Logger) async throws -> Result {
        guard var resource = try await store.get(key) else { return Result() }
        let stamp = Timestamp(now())
        let onDisk = try await storedBlobs(key)
        var decision = Lifecycle.decide(resource, blobs: onDisk, now: stamp, manageFinalizer: manageFinalizer, policy: policy)
        if decision.actions.contains(.finalize) {
            try await finalize(resource, logger: logger)
            return Result()
        }
        if decision.actions.contains(.addFinalizer) {
            let finalizers = (resource.metadata.finalizers ?? []) + [HourlyImage.finalizer]
            guard let updated = try await store.updateFinalizers(of: resource, to: finalizers) else { return Result() }
            resource = updated
            decision = Lifecycle.decide(resource, blobs: onDisk, now: stamp, manageFinalizer: manageFinalizer, policy: policy)
        }
        var thisFetch: Fetched?
        if let slot = decision.fetch {
            let made: Fetched
            if let kept = fetched, kept.slot == slot { made = kept } else { made = (slot, try await fetch(resource, now: stamp, logger: logger)) }
            (fetched, thisFetch) = (made, made)
            decision = Lifecycle.afterFetch(
                made.outcome, slot: slot, decision: decision, resource: resource, blobs: onDisk, now: stamp, jitter: random(),
                manageFinalizer: manageFinalizer, policy: policy)
        }
        let written = try await write(decision, to: resource, logger: logger)
        await report(decision, fetched: thisFetch, resource: written, previous: resource.status, logger: logger)
        await recordHistory(written, logger: logger)
        try await prune(decision, logger: logger)
        return Result(requeueAt: decision.requeueAt?.date)
    }

    private func storedBlobs(_ key: ResourceKey) async throws -> [StoredBlob] {
        let blobs = self.blobs
        let listed = try await OffPool.run { try blobs.list(namespace: key.namespace, name: key.name) }
        return listed.map { StoredBlob(file: $0.relativePath, modified: Timestamp($0.modified)) }
    }

    private func write(_ decision: Decision, to resource: HourlyImage, logger: Logger) async throws -> HourlyImage {
        guard decision.status != resource.status else { return resource }
        return try await store.updateStatus(of: resource, to: decision.status)
    }

    /// Puts the served image at the head of the history index, after its status is written (a crash in between is
    /// mended by the next pass). A failure is logged and never fails the pass: the history is for people, not serving.
    private func recordHistory(_ resource: HourlyImage, logger: Logger) async {
        guard let current = resource.status?.current else { return }
        let key = ResourceKey(resource)
        let blobs = self.blobs
        let keep = resource.spec.keep
        do {
            try await OffPool.run {
                let history = blobs.readHistory(namespace: key.namespace, name: key.name).flatMap(ImageHistory.decode) ?? ImageHistory()
                guard let next = history.recording(current, keep: keep) else { return }
                try blobs.writeHistory(next.encoded(), namespace: key.namespace, name: key.name)
            }
        } catch {
            logger.warning("could not update the image history; the image is served all the same", metadata: ["error": "\(error)"])
        }
    }

    private func prune(_ decision: Decision, logger: Logger) async throws {
        for case .prune(let files) in decision.actions {
            let blobs = self.blobs
            try await OffPool.run { try blobs.remove(files) }
            logger.info("pruned old images", metadata: ["files": .stringConvertible(files.count)])
        }
    }

    private func finalize(_ resource: HourlyImage, logger: Logger) async throws {
        let key = ResourceKey(resource)
        let blobs = self.blobs
        do {
            try await OffPool.run { try blobs.removeAll(namespace: key.namespace, name: key.name) }
            logger.info("removed the image files of a deleted resource")
        } catch {
            // Retry for a while (the queue backs off), but never block deletion forever.
            let deletedAt = resource.metadata.deletionTimestamp?.date ?? now()
            if now().timeIntervalSince(deletedAt) < Self.cleanupDeadline {
                logger.warning("could not remove the files of a deleted resource; retrying", metadata: ["error": "\(error)"])
                throw error
            }
            logger.warning(
                "giving up removing the files of a deleted resource; the finalizer is removed anyway",
                metadata: ["error": "\(error)"])
            await events.record(resource, type: .warning, reason: "CleanupFailed", message: "\(error)")
        }
        let remaining = (resource.metadata.finalizers ?? []).filter { $0 != HourlyImage.finalizer }
        _ = try await store.updateFinalizers(of: resource, to: remaining)
    }
}
