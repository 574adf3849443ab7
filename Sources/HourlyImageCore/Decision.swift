import HourlyImageAPI

/// Which status slot a fetch fills.
public enum Slot: String, Sendable, Hashable {
    /// The image being served (first fetch, or a lost file).
    case current
    /// The next image, fetched in advance of promotion.
    case pending
}

/// One thing the runner must do after a decision.
public enum Action: Sendable, Hashable {
    /// Add the cleanup finalizer to the resource.
    case addFinalizer
    /// The resource is being deleted: remove its files, then the finalizer.
    case finalize
    /// Download a new image into the given slot, then call `Lifecycle.record`.
    case fetch(Slot)
    /// `pending` became `current` (already applied to `Decision.status`; for events and logs).
    case promoted(from: ImageRecord, to: ImageRecord)
    /// A refresh asked for with `images.dwk.dev/refresh` replaced the served image (already applied; for events and
    /// logs). `request` is the value as `status.lastRefresh` records it.
    case refreshed(request: String, from: ImageRecord, to: ImageRecord)
    /// Delete these blobs (paths relative to the volume root).
    case prune([String])
    /// The spec is invalid; nothing is fetched until it changes.
    case invalidSpec([ValidationIssue])
}

/// What the lifecycle core decided for one resource at one instant.
public struct Decision: Sendable, Hashable {
    /// Actions for the runner, in the order to perform them.
    public var actions: [Action]
    /// The status to write (after any promotion); compare with the old one to skip no-op writes.
    public var status: HourlyImageStatus
    /// When to look at the resource again, if nothing else happens first.
    public var requeueAt: Timestamp?

    /// Creates a decision.
    public init(actions: [Action] = [], status: HourlyImageStatus, requeueAt: Timestamp? = nil) {
        self.actions = actions
        self.status = status
        self.requeueAt = requeueAt
    }

    /// The slot to fetch into, if the decision asks for a fetch.
    public var fetch: Slot? {
        for case .fetch(let slot) in actions { return slot }
        return nil
    }

    /// True when there is nothing to do but wait.
    public var isNothingToDo: Bool { actions.isEmpty }
}

/// A blob the store holds for one resource.
public struct StoredBlob: Sendable, Hashable {
    /// Path relative to the volume root.
    public var file: String
    /// When the blob was written; pruning keeps the newest.
    public var modified: Timestamp

    /// Creates a stored-blob description.
    public init(file: String, modified: Timestamp) {
        self.file = file
        self.modified = modified
    }
}

/// A failed fetch as the core sees it: a reason and a message a user can act on.
public struct FetchFailure: Error, Sendable, Hashable {
    /// The `Degraded` reason.
    public var reason: FailureReason
    /// What went wrong.
    public var message: String

    /// Creates a failure.
    public init(reason: FailureReason, message: String) {
        self.reason = reason
        self.message = message
    }
}
