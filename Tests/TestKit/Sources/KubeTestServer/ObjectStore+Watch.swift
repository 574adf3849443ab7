import Foundation

/// Watches (api-concepts "Efficient detection of changes"): replay from a resourceVersion, live events,
/// bookmarks, 410 in the stream for a compacted resourceVersion, and the hooks that end streams.
/// See https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
extension ObjectStore {
    /// Where a watch starts.
    enum WatchStart: Sendable {
        /// resourceVersion unset or "0": synthetic ADDED events for every current object, then changes.
        case currentState
        /// resourceVersion "N": every change after N, then live changes.
        case after(Int)
    }

    /// Opens a watch. A start older than the kept history yields one ERROR event carrying a 410 Expired Status
    /// and ends, as the watch cache does (cacher.go: "once we have passed authn/authz/admission ... other errors
    /// must fail with a watch event of type ERROR").
    func watch(_ filter: ObjectFilter, from start: WatchStart, bookmarks: Bool = false) -> (id: Int, events: AsyncThrowingStream<WatchEvent, any Error>) {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        nextWatcherID += 1
        let id = nextWatcherID
        if stopping {
            continuation.finish()
            return (id, stream)
        }
        switch start {
        case .currentState:
            for key in (objects[filter.stored] ?? [:]).keys.sorted() {
                if let object = objects[filter.stored]?[key], filter.matches(object) {
                    continuation.yield(WatchEvent(type: "ADDED", object: filter.present(object)))
                }
            }
            // The watch cache marks the end of the initial events for clients that take bookmarks (WatchList).
            if bookmarks {
                let served = filter.served
                continuation.yield(WatchEvent(type: "BOOKMARK", object: [
                    "kind": .string(served.kind), "apiVersion": .string(served.apiVersion),
                    "metadata": ["resourceVersion": .string(String(currentRV)), "annotations": ["k8s.io/initial-events-end": "true"]],
                ]))
            }
        case .after(let resourceVersion):
            let cacheStart = max(historyStart, servedSince[filter.stored] ?? 0)
            guard resourceVersion >= cacheStart else {
                let status = StatusError.expired("too old resource version: \(resourceVersion) (\(cacheStart))")
                continuation.yield(WatchEvent(type: "ERROR", object: status.json))
                continuation.finish()
                return (id, stream)
            }
            for change in history where change.resourceVersion > resourceVersion {
                if let event = change.event(for: filter) { continuation.yield(event) }
            }
        }
        watchers[id] = Watcher(filter: filter, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        return (id, stream)
    }

    /// Sends a BOOKMARK: an object of the watched kind with only metadata.resourceVersion, meaning every change
    /// up to it has been sent (api-concepts "Watch bookmarks").
    func bookmark(_ id: Int) {
        guard let watcher = watchers[id] else { return }
        let served = watcher.filter.served
        let object: JSON = ["kind": .string(served.kind), "apiVersion": .string(served.apiVersion),
                            "metadata": ["resourceVersion": .string(String(currentRV))]]
        watcher.continuation.yield(WatchEvent(type: "BOOKMARK", object: object))
    }

    /// Ends one watch cleanly (its timeoutSeconds ran out).
    func endWatch(_ id: Int) {
        watchers.removeValue(forKey: id)?.continuation.finish()
    }

    /// Ends every open watch cleanly (as `timeoutSeconds` does) and every later one at once.
    func endAllWatches() {
        stopping = true
        let open = watchers
        watchers.removeAll()
        for watcher in open.values { watcher.continuation.finish() }
    }

    /// Cuts every open watch without a clean end of stream.
    func dropWatches() {
        let open = watchers
        watchers.removeAll()
        for watcher in open.values { watcher.continuation.finish(throwing: WatchDropped()) }
    }

    /// Forgets a watch whose client went away.
    func removeWatcher(_ id: Int) {
        watchers[id] = nil
    }

    /// How many watches are open.
    var openWatchCount: Int { watchers.count }
}
