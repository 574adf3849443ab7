import KubeMeta

/// A work queue of keys, as controller-runtime's: level-based, coalescing, never concurrent per key.
///
/// Guarantees: a key added several times before a worker takes it is processed once; a key is
/// never handed to two workers at once (one added while in progress is queued again when
/// `done` is called); delayed adds keep the earliest deadline; it counts failures in a row per key.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var waiters: [(id: Int, continuation: CheckedContinuation<Key?, Never>)] = []
    private var nextWaiterID = 0
    private var deadlines: [Key: ContinuousClock.Instant] = [:]
    private var failures: [Key: Int] = [:]
    /// When each waiting key was first added, for `workqueue_queue_duration_seconds`.
    private var addedAt: [Key: ContinuousClock.Instant] = [:]
    /// When a worker took each key in progress, for `workqueue_work_duration_seconds`.
    private var takenAt: [Key: ContinuousClock.Instant] = [:]
    private var timer: Task<Void, Never>?
    private var timerDeadline: ContinuousClock.Instant?
    private var isShutDown = false
    private let metrics: ControllerMetrics?

    /// Total keys added (including coalesced ones), for `workqueue_adds_total`.
    public private(set) var addsTotal = 0
    /// Total failed passes handed back for a retry, for `workqueue_retries_total`.
    public private(set) var retriesTotal = 0

    /// Creates a queue.
    public init(metrics: ControllerMetrics? = nil) {
        self.metrics = metrics
    }

    /// Keys waiting to be processed, for `workqueue_depth`.
    public var depth: Int { queue.count - head }

    /// Keys waiting for a delayed add.
    public var scheduledCount: Int { deadlines.count }

    /// Queues a key now.
    public func add(_ key: Key) {
        guard !isShutDown else { return }
        addsTotal += 1
        metrics?.queueAdds(1)
        defer { metrics?.queueDepth(depth) }
        deadlines[key] = nil
        guard !dirty.contains(key) else { return }
        dirty.insert(key)
        if addedAt[key] == nil { addedAt[key] = .now }
        guard !processing.contains(key) else { return }
        if let waiter = waiters.first {
            waiters.removeFirst()
            dirty.remove(key)
            take(key)
            waiter.continuation.resume(returning: key)
        } else {
            queue.append(key)
        }
    }

    /// Queues a key after a delay; an earlier pending deadline for the same key wins.
    public func add(_ key: Key, after delay: Duration) {
        guard !isShutDown else { return }
        if delay <= .zero { return add(key) }
        let deadline = ContinuousClock.now + delay
        if let existing = deadlines[key], existing <= deadline { return }
        deadlines[key] = deadline
        armTimer()
    }

    /// Counts a failed pass over `key` and returns its failures in a row, for the retry policy's delay.
    public func failed(_ key: Key) -> Int {
        let count = failures[key, default: 0].saturatingSuccessor
        failures[key] = count
        retriesTotal += 1
        metrics?.queueRetries(1)
        return count
    }

    /// Clears a key's failure count (a successful pass).
    public func forget(_ key: Key) { failures[key] = nil }

    /// Takes the next key, waiting for one; nil once the queue is shut down or the task is cancelled.
    public func next() async -> Key? {
        if isShutDown || Task.isCancelled { return nil }
        if head < queue.count {
            let key = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            dirty.remove(key)
            take(key)
            metrics?.queueDepth(depth)
            return key
        }
        nextWaiterID += 1
        let id = nextWaiterID
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiters.append((id, $0)) }
        } onCancel: {
            Task { await self.dropWaiter(id) }
        }
    }

    /// Hands `key` to a worker: it is in progress from now.
    private func take(_ key: Key) {
        let now = ContinuousClock.now
        processing.insert(key)
        takenAt[key] = now
        if let added = addedAt.removeValue(forKey: key) { metrics?.queueWaited(seconds: (now - added).seconds) }
        metrics?.activeWorkers(processing.count)
    }

    private func dropWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: nil)
    }

    /// Marks a key finished; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if let taken = takenAt.removeValue(forKey: key) { metrics?.queueWorked(seconds: (ContinuousClock.now - taken).seconds) }
        metrics?.activeWorkers(processing.count)
        if dirty.contains(key) {
            dirty.remove(key)
            add(key)
            addsTotal -= 1  // not a new add, a deferred one (the metric counts it; controller-runtime's does too)
        }
    }

    /// Stops handing out keys; waiting workers get nil.
    public func shutDown() {
        isShutDown = true
        timer?.cancel()
        timer = nil
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
        waiters.removeAll()
    }

    private func armTimer() {
        guard let earliest = deadlines.values.min() else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if let timerDeadline, timerDeadline <= earliest, timer != nil { return }
        timer?.cancel()
        timerDeadline = earliest
        timer = Task { [weak self] in
            try? await Task.sleep(until: earliest, clock: .continuous)
            guard !Task.isCancelled else { return }
            await self?.fireDue()
        }
    }

    private func fireDue() {
        timer = nil
        timerDeadline = nil
        let now = ContinuousClock.now
        for (key, deadline) in deadlines where deadline <= now {
            deadlines[key] = nil
            add(key)
        }
        armTimer()
    }
}
