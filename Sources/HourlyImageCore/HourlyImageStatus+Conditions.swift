import HourlyImageAPI

extension HourlyImageStatus {
    /// Conditions for a resource whose spec is invalid: the current image, if any, stays served.
    mutating func setConditions(now: Timestamp, generation: Int64?, invalid: ValidationErrors, graceCount: Int) {
        var list = conditions ?? []
        if let current {
            list.set(
                ConditionType.ready, .true, reason: "ImageAvailable", message: Self.serving(current), now: now,
                observedGeneration: generation)
        } else {
            list.set(
                ConditionType.ready, .false, reason: "InvalidSpec", message: invalid.description, now: now,
                observedGeneration: generation)
        }
        setFresh(&list, now: now, generation: generation, graceCount: graceCount, suspended: false)
        list.set(
            ConditionType.degraded, .true, reason: "InvalidSpec", message: invalid.description, now: now,
            observedGeneration: generation)
        conditions = list
    }

    /// Conditions for a valid spec, from the current image and the failure count.
    mutating func setConditions(
        now: Timestamp, generation: Int64?, spec: ValidSpec, currentMissing: Bool
    ) {
        var list = conditions ?? []
        let failures = consecutiveFailures ?? 0
        let lastFailure = list[type: ConditionType.degraded].flatMap { $0.status == .true ? $0 : nil }
        if let current, !currentMissing {
            list.set(
                ConditionType.ready, .true, reason: "ImageAvailable", message: Self.serving(current), now: now,
                observedGeneration: generation)
        } else if failures > 0, let lastFailure, lastFailure.reason != "InvalidSpec" {
            list.set(
                ConditionType.ready, .false, reason: "FetchFailed", message: lastFailure.message, now: now,
                observedGeneration: generation)
        } else {
            let message =
                currentMissing
                ? "the image file \(current?.file ?? "") is missing from the volume; fetching a new one"
                : "waiting for the first image from \(spec.urlText)"
            list.set(ConditionType.ready, .false, reason: "NoImageYet", message: message, now: now, observedGeneration: generation)
        }
        setFresh(&list, now: now, generation: generation, graceCount: spec.graceCount, suspended: spec.suspend)
        if failures == 0 || lastFailure == nil || lastFailure?.reason == "InvalidSpec" {
            list.set(
                ConditionType.degraded, .false, reason: "AsExpected", message: "the last fetch succeeded", now: now,
                observedGeneration: generation)
        } else if let lastFailure {
            list.set(
                ConditionType.degraded, .true, reason: lastFailure.reason, message: lastFailure.message, now: now,
                observedGeneration: generation)
        }
        conditions = list
    }

    private func setFresh(
        _ list: inout [Condition], now: Timestamp, generation: Int64?, graceCount: Int, suspended: Bool
    ) {
        guard let current, let expiresAt = current.expiresAt else {
            list.set(
                ConditionType.fresh, .false, reason: "NoImageYet", message: "no image has been fetched yet", now: now,
                observedGeneration: generation)
            return
        }
        if now < expiresAt {
            list.set(
                ConditionType.fresh, .true, reason: "WithinTTL", message: "served until \(expiresAt)", now: now,
                observedGeneration: generation)
            return
        }
        let used = graceViews ?? 0
        var message = "expired; \(min(used, graceCount)) of \(graceCount) grace view\(graceCount == 1 ? "" : "s") used"
        if suspended {
            message += "; suspended, no new image is fetched"
        } else if pending == nil {
            message += "; fetching the next image"
        } else {
            message += "; the next image is ready"
        }
        list.set(ConditionType.fresh, .false, reason: "InGrace", message: message, now: now, observedGeneration: generation)
    }

    static func serving(_ image: ImageRecord) -> String {
        let id = image.picsumID.map { "Lorem Picsum image \($0)" } ?? "image \(image.sha256.prefix(12))"
        return "serving \(id)"
    }
}
