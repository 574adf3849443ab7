import HourlyImageAPI
import SystemSupport

/// The pure lifecycle of one HourlyImage: a function of (resource, blobs on disk, now).
///
/// It never sleeps, fetches or writes. The runner performs the returned actions, feeds a fetch
/// outcome back through `record(_:slot:into:now:jitter:policy:)` (on the resource carrying
/// `Decision.status`), calls `decide` again on the result
/// (level-based), and writes the final status once.
public enum Lifecycle {
    /// Decides what to do for `resource` at `now`, given the blobs the store holds for it.
    ///
    /// - Parameters:
    ///   - manageFinalizer: false where nothing can delete files on deletion (standalone mode).
    ///   - policy: the retry policy whose fetch schedule wrote `nextAttemptTime`.
    public static func decide(
        _ resource: HourlyImage, blobs: [StoredBlob], now: Timestamp, manageFinalizer: Bool = true, policy: RetryPolicy = .standard
    ) -> Decision {
        let finalizers = resource.metadata.finalizers ?? []
        var status = resource.status ?? HourlyImageStatus()
        if resource.metadata.deletionTimestamp != nil {
            return Decision(actions: finalizers.contains(HourlyImage.finalizer) ? [.finalize] : [], status: status)
        }
        var actions: [Action] = []
        if manageFinalizer && !finalizers.contains(HourlyImage.finalizer) {
            actions.append(.addFinalizer)
        }
        let generation = resource.metadata.generation
        let specChanged = status.observedGeneration != generation
        status.observedGeneration = generation

        let spec: ValidSpec
        switch resource.spec.validated() {
        case .failure(let errors):
            actions.append(.invalidSpec(errors.issues))
            status.setConditions(now: now, generation: generation, invalid: errors, graceCount: resource.spec.graceCount)
            status.setDisplayFields(graceCount: resource.spec.graceCount, specURL: resource.spec.url)
            return Decision(actions: actions, status: status)
        case .success(let valid):
            spec = valid
        }

        // A file that vanished from the volume is refetched; its record stays until a new one lands.
        let onDisk = Set(blobs.map(\.file))
        let currentMissing = status.current.map { !onDisk.contains($0.file) } ?? false
        if let pending = status.pending, !onDisk.contains(pending.file) || pending.requestedURL != spec.urlText {
            status.pending = nil  // lost, or fetched for a URL the spec no longer names
        }

        // Step 6: the TTL always counts from servedSince, so a TTL change simply moves expiresAt.
        if var current = status.current {
            let servedSince = current.servedSince ?? current.fetchedAt
            current.servedSince = servedSince
            current.expiresAt = spec.expiry(servedSince: servedSince)
            status.current = current
            status.graceViews = status.graceViews ?? 0
        }

        // Step 4: promotion.
        if let pending = status.pending {
            let promote: Bool
            if let current = status.current, !currentMissing {
                let urlChanged = current.requestedURL != spec.urlText
                let expired = now >= current.expiresAt!
                promote = urlChanged || (expired && graceUsedUp(status, graceCount: spec.graceCount))
            } else {
                promote = true
            }
            if promote {
                var next = pending
                next.servedSince = now
                next.expiresAt = spec.expiry(servedSince: now)
                if let old = status.current { actions.append(.promoted(from: old, to: next)) }
                status.current = next
                status.pending = nil
                status.graceViews = 0
            }
        }

        // Steps 1 and 3: what to fetch.
        var wanted: Slot?
        var requeueAt: Timestamp?
        let servedMissing = status.current.map { !onDisk.contains($0.file) } ?? false
        let refreshDue = RefreshRequest.isDue(resource, status: status)
        if let current = status.current, !servedMissing {
            let expiresAt = current.expiresAt!
            let urlChanged = current.requestedURL != spec.urlText
            if refreshDue {
                wanted = .current  // a refresh replaces the served image as soon as the new one is stored
            } else if now < expiresAt && !urlChanged {
                // Step 2, and with a schedule the prefetch `leadTime` before the change. A clock that went backwards
                // never makes us wait longer than one TTL (or than the next scheduled time).
                let prefetch = spec.prefetchAt(expiresAt: expiresAt)
                if status.pending == nil, now >= prefetch {
                    wanted = .pending
                } else {
                    requeueAt = min(status.pending == nil ? prefetch : expiresAt, spec.longestWait(from: now))
                }
            } else if status.pending == nil {
                wanted = .pending
            }
        } else {
            wanted = .current
        }
        // A refresh someone asked for is made even while suspended; scheduled fetches are not.
        if let slot = wanted, !spec.suspend || refreshDue {
            let failures = status.consecutiveFailures ?? 0
            if failures > 0, !specChanged, let next = status.nextAttemptTime, next > now {
                // Back off; a clock that went backwards never stretches the wait past the longest delay.
                let latest = now.adding(seconds: policy.fetches.longestDelay)
                requeueAt = min(requeueAt ?? next, min(next, latest))
            } else {
                actions.append(.fetch(slot))
            }
        }

        // Step 5: prune, never touching what current or pending names.
        let doomed = Pruning.blobsToDelete(blobs, keep: spec.keep, protecting: [status.current?.file, status.pending?.file])
        if !doomed.isEmpty { actions.append(.prune(doomed)) }

        if status.current != nil, status.consecutiveFailures == nil { status.consecutiveFailures = 0 }
        status.setConditions(now: now, generation: generation, spec: spec, currentMissing: servedMissing)
        status.setDisplayFields(graceCount: spec.graceCount, specURL: spec.urlText)
        return Decision(actions: actions, status: status, requeueAt: requeueAt)
    }
}
