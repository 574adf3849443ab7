import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import Logging

/// Counts grace views on page views of an expired image, through the store's compare-and-swap.
///
/// A view is counted only if `current.sha256` and `graceViews` are still what this view saw,
/// so no view is counted twice or against the wrong image, whatever the number of replicas.
struct GraceCounter: Sendable {
    let store: any ResourceStore
    let policy: RetryPolicy
    let metrics: WebMetrics
    let onPromotionDue: (@Sendable (ResourceKey) async -> Void)?
    let logger: Logger

    /// Records this page view if it is a grace view and returns the resource to render.
    func view(_ resource: HourlyImage, now: Date) async -> HourlyImage {
        let key = ResourceKey(resource)
        var resource = resource
        var attempt = 0
        while true {
            attempt = attempt.saturatingSuccessor
            switch Lifecycle.pageView(resource, now: Timestamp(now)) {
            case .fresh:
                return resource
            case .promotionDue(let pendingReady):
                // Grace views are used up: the next image is due. Where the controller runs in this
                // process, let it promote before rendering; otherwise keep serving until it does.
                guard pendingReady, let onPromotionDue else { return resource }
                await onPromotionDue(key)
                return (try? await store.get(key)) ?? resource
            case .graceView(let sha256, let used):
                do {
                    if try await store.recordGraceView(key, currentSHA256: sha256, seenViews: used) {
                        metrics.graceView(key.description)
                        logger.info("grace view", metadata: ["hourlyimage": "\(key)", "used": .stringConvertible(used.saturatingSuccessor), "of": .stringConvertible(resource.spec.graceCount)])
                        var counted = resource
                        counted.status = counted.status.map { Lifecycle.afterGraceView($0, seen: used, graceCount: resource.spec.graceCount) }
                        return counted
                    }
                } catch {
                    logger.warning("could not record a grace view; serving the current image", metadata: ["hourlyimage": "\(key)", "error": "\(error)"])
                    return resource
                }
            }
            // Someone else changed the resource between our read and our write: look again, while the
            // policy says so. A page view never waits for a retry later: it serves what it has.
            guard policy.next(after: .conflict, attempt: attempt) == .retryNow, let fresh = try? await store.get(key) else { return resource }
            resource = fresh
        }
    }
}
