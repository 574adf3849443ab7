import HourlyImageAPI
import HourlyImageCore

/// A fixed instant the tests count from.
let t0 = Timestamp(secondsSince1970: 1_795_000_000)

/// `t0` plus some seconds.
func at(_ seconds: Int64) -> Timestamp { Timestamp(secondsSince1970: t0.secondsSince1970 + seconds) }

let sourceURL = "https://picsum.photos/1200"

/// A resource with the given spec and status, at generation 1 with the finalizer present.
func resource(
    ttl: String = "1h", graceCount: Int = 1, url: String = sourceURL, suspend: Bool = false, keep: Int = 3,
    generation: Int64 = 1, status: HourlyImageStatus? = nil, finalizer: Bool = true
) -> HourlyImage {
    HourlyImage(
        metadata: ObjectMeta(
            name: "project-image", namespace: "default", generation: generation,
            finalizers: finalizer ? [HourlyImage.finalizer] : nil),
        spec: HourlyImageSpec(url: url, ttl: ttl, graceCount: graceCount, suspend: suspend, keep: keep),
        status: status)
}

/// A fetched image record named by a letter, e.g. `image("a")`.
func image(_ tag: String, fetchedAt: Timestamp = t0, url: String = sourceURL) -> ImageRecord {
    let sha = String(repeating: tag, count: 64)
    return ImageRecord(
        file: "default/project-image/blobs/\(sha).jpg", sha256: sha, bytes: 1000, contentType: "image/jpeg",
        requestedURL: url, sourceURL: "https://fastly.picsum.photos/id/1/1200/1200.jpg", picsumID: "1",
        fetchedAt: fetchedAt)
}

/// The blob-store view of some records.
func blobs(_ records: ImageRecord?...) -> [StoredBlob] {
    records.compactMap { $0 }.map { StoredBlob(file: $0.file, modified: $0.fetchedAt) }
}

/// Runs a whole pass as the runner does: decide, fetch (with the given outcome), then `afterFetch`.
func pass(
    _ r: HourlyImage, now: Timestamp, onDisk: [StoredBlob], fetch outcome: Result<ImageRecord, FetchFailure>? = nil,
    jitter: Double = 0.5
) -> (first: Decision, final: Decision, resource: HourlyImage) {
    var r = r
    let first = Lifecycle.decide(r, blobs: onDisk, now: now)
    r.status = first.status
    guard let slot = first.fetch, let outcome else { return (first, first, r) }
    let final = Lifecycle.afterFetch(outcome, slot: slot, decision: first, resource: r, blobs: onDisk, now: now, jitter: jitter)
    r.status = final.status
    return (first, final, r)
}

/// A resource serving `image("a")` since `t0`, with conditions as a first pass leaves them.
func serving(
    ttl: String = "1h", graceCount: Int = 1, graceViews: Int = 0, pending: ImageRecord? = nil, url: String = sourceURL,
    suspend: Bool = false, keep: Int = 3, generation: Int64 = 1
) -> HourlyImage {
    let base = resource(ttl: ttl, graceCount: graceCount, url: url, keep: keep, generation: generation)
    let first = pass(base, now: t0, onDisk: [], fetch: .success(image("a"))).resource
    var status = first.status!
    status.graceViews = graceViews
    status.pending = pending
    status.observedGeneration = generation
    return resource(ttl: ttl, graceCount: graceCount, url: url, suspend: suspend, keep: keep, generation: generation, status: status)
}

extension Decision {
    func condition(_ type: String) -> Condition? { status.conditions?[type: type] }
    var promoted: Bool { actions.contains { if case .promoted = $0 { true } else { false } } }
    var pruned: [String] {
        for case .prune(let files) in actions { return files }
        return []
    }
}
