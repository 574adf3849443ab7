import HourlyImageAPI
import SystemSupport

extension Lifecycle {
    /// Folds a fetch outcome into the status; call `decide` on the result (`afterFetch` does) for promotion, conditions
    /// and the new image's `expiresAt`.
    ///
    /// - Parameters:
    ///   - outcome: the fetched image (with `requestedURL` set) or the failure.
    ///   - jitter: a random number in [0, 1) for the delay after a failure.
    ///   - policy: says when to try again after a failure (`nextAttemptTime`).
    public static func record(
        _ outcome: Result<ImageRecord, FetchFailure>, slot: Slot, into resource: HourlyImage, now: Timestamp,
        jitter: Double, policy: RetryPolicy = .standard
    ) -> HourlyImageStatus {
        var status = resource.status ?? HourlyImageStatus()
        status.lastAttemptTime = now
        switch outcome {
        case .success(var image):
            status.consecutiveFailures = 0
            status.nextAttemptTime = nil
            switch slot {
            case .current:
                // `decide`, which always follows, sets `expiresAt` from `servedSince` and the validated TTL.
                image.servedSince = now
                image.expiresAt = nil
                status.current = image
                status.graceViews = 0
            case .pending:
                image.servedSince = nil
                image.expiresAt = nil
                status.pending = image
            }
            var conditions = status.conditions ?? []
            conditions.set(
                ConditionType.degraded, .false, reason: "AsExpected", message: "the last fetch succeeded", now: now,
                observedGeneration: resource.metadata.generation)
            status.conditions = conditions
        case .failure(let failure):
            let failures = (status.consecutiveFailures ?? 0).saturatingSuccessor
            let next = now.adding(seconds: policy.delay(after: .fetch, attempt: failures, unit: jitter))
            status.consecutiveFailures = failures
            status.nextAttemptTime = next
            let keeping = status.current == nil ? "no image yet" : "still serving the previous image"
            var conditions = status.conditions ?? []
            conditions.set(
                ConditionType.degraded, .true, reason: failure.reason.rawValue,
                message: "\(failure.message) (\(failures) failure\(failures == 1 ? "" : "s") in a row; \(keeping); next attempt at \(next))",
                now: now, observedGeneration: resource.metadata.generation)
            status.conditions = conditions
        }
        status.setDisplayFields(graceCount: resource.spec.graceCount, specURL: resource.spec.url)
        return status
    }
}

extension Lifecycle {
    /// The decision of a pass that fetched: `decision` (whose `fetch` chose `slot`) with the outcome recorded, decided
    /// again with the fetched file on the volume. The runner calls this once after a fetch, without listing the disk
    /// again: the only file a fetch adds is the one in its record.
    public static func afterFetch(
        _ outcome: Result<ImageRecord, FetchFailure>, slot: Slot, decision: Decision, resource: HourlyImage, blobs: [StoredBlob],
        now: Timestamp, jitter: Double, manageFinalizer: Bool = true, policy: RetryPolicy = .standard
    ) -> Decision {
        var next = resource
        next.status = decision.status
        let replaced = decision.status.current
        let refreshing = RefreshRequest.isDue(resource, status: decision.status)
        next.status = record(outcome, slot: slot, into: next, now: now, jitter: jitter, policy: policy)
        var onDisk = blobs
        var refreshed: Action?
        if case .success(let image) = outcome {
            if !onDisk.contains(where: { $0.file == image.file }) { onDisk.append(StoredBlob(file: image.file, modified: now)) }
            // The refresh is carried out once its image is current; a failed fetch leaves it due, retried with backoff.
            if refreshing, slot == .current, let token = RefreshRequest.token(of: resource) {
                next.status?.lastRefresh = token
                if let replaced { refreshed = .refreshed(request: token, from: replaced, to: image) }
            }
        }
        var after = decide(next, blobs: onDisk, now: now, manageFinalizer: manageFinalizer, policy: policy)
        if let refreshed { after.actions.append(refreshed) }
        return after
    }
}
