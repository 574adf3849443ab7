import HourlyImageAPI

extension HourlyImageStatus {
    /// Rewrites the `kubectl get` display fields from the rest of the status, so they never disagree with it.
    ///
    /// Called last by `Lifecycle.decide` and `Lifecycle.record`; the only other writer is a grace view, which
    /// changes `graceUsage` in the same compare-and-swap as `graceViews` (see `StatusDisplay.graceUsage`).
    mutating func setDisplayFields(graceCount: Int, specURL: String) {
        guard let current else {
            imageLabel = nil
            graceUsage = nil
            shortSHA256 = nil
            redactedSourceURL = StatusDisplay.url(specURL)
            return
        }
        imageLabel = StatusDisplay.imageLabel(current)
        graceUsage = StatusDisplay.graceUsage(used: graceViews ?? 0, allowed: graceCount)
        shortSHA256 = StatusDisplay.shortSHA256(current.sha256)
        redactedSourceURL = StatusDisplay.url(current.sourceURL ?? current.requestedURL ?? specURL)
    }
}
