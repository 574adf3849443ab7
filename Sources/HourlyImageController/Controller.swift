import BlobStore
import Foundation
import HourlyImageCore
import HourlyImageStore
import KubeMeta
import Logging
import ServiceLifecycle
import SystemSupport

/// Watches a resource store and reconciles every HourlyImage through a work queue.
///
/// Runs until cancelled or until graceful shutdown (SIGTERM): then the queue stops handing out
/// keys and an in-flight fetch is cancelled; the last written status stays as it was.
public final class Controller: Service, Sendable {
    let reconciler: Reconciler
    let store: any ResourceStore
    let blobs: BlobStore
    /// The work queue (exposed for tests).
    public let queue: WorkQueue<ResourceKey>
    let passes = PassTracker()
    let workers: Int
    let resyncInterval: Duration
    let leadership: (@Sendable () async -> AsyncStream<Bool>)?
    let metrics: ControllerMetrics?
    let logger: Logger

    /// Concurrent reconciles by default: a pass mostly waits (on a source, on fsync, on the API server), and a slow
    /// source must not hold up everyone else (1,000 objects Ready in 5.6–7.4 s with 8, 7.9 s with 2: docs/benchmarks.md).
    public static let defaultWorkers = 8
    /// The most concurrent reconciles allowed.
    public static let maxWorkers = 64

    /// Creates a controller with `workers` concurrent reconciles (1 to `maxWorkers`) and a periodic resync as a safety net.
    ///
    /// - Parameter leadership: when given, reconciling runs only while it says `true`, and stops
    ///   at once (in-flight passes cancelled) when it says `false`.
    public init(
        reconciler: Reconciler, store: any ResourceStore, blobs: BlobStore, workers: Int = Controller.defaultWorkers,
        resyncInterval: Duration = .seconds(600), leadership: (@Sendable () async -> AsyncStream<Bool>)? = nil,
        metrics: ControllerMetrics? = nil, logger: Logger = Logger(label: "hourly-image.controller")
    ) {
        self.reconciler = reconciler
        self.store = store
        self.blobs = blobs
        self.workers = min(max(1, workers), Self.maxWorkers)
        self.resyncInterval = resyncInterval
        self.leadership = leadership
        self.metrics = metrics
        self.logger = logger
        self.queue = WorkQueue(metrics: metrics)
    }

    public func run() async throws {
        let blobs = self.blobs
        let swept = try await OffPool.run { blobs.sweepTemporaryFiles() }
        if swept > 0 { logger.info("removed temporary files left by an earlier crash", metadata: ["count": .stringConvertible(swept)]) }
        logger.info("controller started", metadata: ["workers": .stringConvertible(workers)])
        await cancelWhenGracefulShutdown {
            guard let leadership = self.leadership else {
                self.metrics?.setLeader(true)  // no election: this replica acts as the leader
                return await self.runLoops()
            }
            var term: Task<Void, Never>?
            for await leading in await leadership() {
                self.metrics?.setLeader(leading)
                if leading, term == nil {
                    self.logger.info("leading: reconciling")
                    term = Task { await self.runLoops() }
                } else if !leading, let running = term {
                    self.logger.info("not leading: reconciling stopped")
                    running.cancel()
                    await running.value
                    term = nil
                }
            }
            term?.cancel()
            await term?.value
        }
        await queue.shutDown()
        logger.info("controller stopped")
    }

    /// Queues `key` and waits (up to `timeout`) until a pass over it that started after this call finishes.
    public func reconcileNow(_ key: ResourceKey, timeout: Duration = .seconds(3)) async {
        let ticket = await passes.register(key)
        await queue.add(key)
        await passes.wait(ticket, timeout: timeout)
    }

    private func runLoops() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await key in await self.store.changes() {
                    await self.queue.add(key)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.resyncInterval)
                    guard !Task.isCancelled, let all = try? await self.store.list() else { continue }
                    for resource in all { await self.queue.add(ResourceKey(resource)) }
                }
            }
            for _ in 0..<workers {
                group.addTask { await self.work() }
            }
            // Workers end when the queue shuts down or the task is cancelled; then stop the watchers too.
            for _ in 0..<workers { await group.next() }
            group.cancelAll()
        }
    }

    private func work() async {
        while let key = await queue.next() {
            await passes.started(key)
            let started = ContinuousClock.now
            do {
                let result = try await reconciler.reconcile(key)
                record(result.requeueAt == nil ? "success" : "requeue_after", since: started)
                await queue.forget(key)
                if let at = result.requeueAt {
                    // A little slack so the pass lands after the instant, not a hair before it.
                    let delay = max(0, at.timeIntervalSinceNow) + 0.05
                    await queue.add(key, after: .milliseconds(Int64(delay * 1000)))
                }
            } catch {
                if Task.isCancelled {
                    // Not a failure of the work: the next leader term (or process) picks the key up again.
                    await queue.done(key)
                    await queue.add(key)
                    await passes.finished(key)
                    return
                }
                record("error", since: started)
                let failures = await queue.failed(key)
                let delay = reconciler.policy.delay(after: .unavailable, attempt: failures, unit: reconciler.random())
                logger.warning(
                    "reconcile failed; retrying with backoff",
                    metadata: ["hourlyimage": "\(key)", "error": "\(error)", "failures": .stringConvertible(failures), "retryInSeconds": "\(delay)"])
                await queue.add(key, after: .seconds(delay))
            }
            await queue.done(key)
            await passes.finished(key)
        }
    }

    private func record(_ result: String, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        metrics?.reconciled(result: result, seconds: elapsed.seconds)
    }
}

/// Lets callers wait for the next completed pass over a key.
actor PassTracker {
    struct Ticket: Hashable {
        var key: ResourceKey
        var id: Int
    }

    private var nextID = 0
    private var registered: [ResourceKey: Set<Int>] = [:]
    private var armed: [ResourceKey: Set<Int>] = [:]
    private var waiters: [Ticket: CheckedContinuation<Void, Never>] = [:]
    private var done: Set<Ticket> = []

    func register(_ key: ResourceKey) -> Ticket {
        nextID += 1
        registered[key, default: []].insert(nextID)
        return Ticket(key: key, id: nextID)
    }

    /// A pass over `key` began: tickets registered before now are satisfied when it finishes.
    func started(_ key: ResourceKey) {
        armed[key, default: []].formUnion(registered.removeValue(forKey: key) ?? [])
    }

    func finished(_ key: ResourceKey) {
        for id in armed.removeValue(forKey: key) ?? [] {
            let ticket = Ticket(key: key, id: id)
            if let waiter = waiters.removeValue(forKey: ticket) { waiter.resume() } else { done.insert(ticket) }
        }
    }

    func wait(_ ticket: Ticket, timeout: Duration) async {
        if done.remove(ticket) != nil { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(ticket)
        }
        await withCheckedContinuation { waiters[ticket] = $0 }
        timer.cancel()
    }

    private func expire(_ ticket: Ticket) {
        registered[ticket.key]?.remove(ticket.id)
        armed[ticket.key]?.remove(ticket.id)
        waiters.removeValue(forKey: ticket)?.resume()
    }
}
