import HourlyImageAPI

/// What one page view of a resource means for its lifecycle (docs/design.md, "Grace views"): the web asks the core
/// rather than restating the rule.
public enum PageView: Sendable, Hashable {
    /// The current image is fresh (or there is none): serve it, count nothing.
    case fresh
    /// The current image expired and grace views remain: count this view against the image with `sha256`, if
    /// `graceViews` is still `seen` (the store's compare-and-swap).
    case graceView(sha256: String, seen: Int)
    /// The current image expired and its grace views are used up: the next image is due (`pendingReady` when it is
    /// already on the volume, so a promotion can happen at once).
    case promotionDue(pendingReady: Bool)
}

extension Lifecycle {
    /// Whether the expired current image has used up its grace views: the one rule `decide` promotes by and the web
    /// counts by.
    public static func graceUsedUp(_ status: HourlyImageStatus, graceCount: Int) -> Bool {
        (status.graceViews ?? 0) >= graceCount
    }

    /// What a page view of `resource` at `now` is.
    public static func pageView(_ resource: HourlyImage, now: Timestamp) -> PageView {
        guard let status = resource.status, let current = status.current, let expiresAt = current.expiresAt, now >= expiresAt else {
            return .fresh
        }
        if graceUsedUp(status, graceCount: resource.spec.graceCount) { return .promotionDue(pendingReady: status.pending != nil) }
        return .graceView(sha256: current.sha256, seen: status.graceViews ?? 0)
    }

    /// What counting a grace view writes after `seen` earlier ones: the new count and its used/allowed display.
    public static func graceViewWrite(seen: Int, graceCount: Int) -> (graceViews: Int, graceUsage: String) {
        let views = seen.saturatingSuccessor
        return (views, StatusDisplay.graceUsage(used: views, allowed: graceCount))
    }

    /// `status` with a grace view counted (seen `seen` before), as the store writes it.
    public static func afterGraceView(_ status: HourlyImageStatus, seen: Int, graceCount: Int) -> HourlyImageStatus {
        var status = status
        (status.graceViews, status.graceUsage) = graceViewWrite(seen: seen, graceCount: graceCount)
        return status
    }
}
