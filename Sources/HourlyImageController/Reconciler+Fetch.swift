import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import Logging

extension Reconciler {
    /// Fetches the spec's URL and turns the result into an image record or a failure.
    /// The record is stamped with the pass's `now`, the instant the rest of the pass decides at. Only cancellation (shutdown) is thrown.
    func fetch(_ resource: HourlyImage, now stamp: Timestamp, logger: Logger) async throws -> Swift.Result<ImageRecord, FetchFailure> {
        let url = resource.spec.url
        let started = ContinuousClock.now
        let outcome = try await fetcher.fetchImage(url, for: ResourceKey(resource), now: stamp)
        switch outcome {
        case .success(let record):
            metrics?.fetched(bytes: record.bytes, seconds: (ContinuousClock.now - started).seconds)
        case .failure(let failure):
            metrics?.fetchFailed(reason: failure.reason.rawValue)
            logger.warning("fetch failed", metadata: ["url": "\(Redaction.url(url))", "reason": "\(failure.reason.rawValue)", "error": "\(failure.message)"])
        }
        return outcome
    }

    /// Events and log lines for what a pass did.
    func report(
        _ decision: Decision, fetched: Fetched?,
        resource: HourlyImage, previous: HourlyImageStatus?, logger: Logger
    ) async {
        let alreadyInvalid =
            previous?.conditions?[type: "Degraded"]?.reason == "InvalidSpec"
            && previous?.observedGeneration == resource.metadata.generation
        if let fetched {
            switch fetched.outcome {
            case .success(let image):
                let what = Self.describe(image)
                logger.info("fetched", metadata: ["slot": "\(fetched.slot.rawValue)", "sha256": "\(image.sha256)", "bytes": .stringConvertible(image.bytes)])
                await events.record(resource, type: .normal, reason: "Fetched", message: "fetched \(what) (\(image.bytes) bytes) into \(fetched.slot.rawValue)")
            case .failure(let failure):
                await events.record(resource, type: .warning, reason: "FetchFailed", message: "\(failure.reason.rawValue): \(failure.message)")
            }
        }
        for action in decision.actions {
            switch action {
            case .promoted(let from, let to):
                logger.info("promoted the pending image", metadata: ["from": "\(from.sha256)", "to": "\(to.sha256)"])
                await events.record(resource, type: .normal, reason: "Promoted", message: "now serving \(Self.describe(to))")
            case .refreshed(let request, let from, let to):
                logger.info("refreshed on request", metadata: ["request": "\(request)", "from": "\(from.sha256)", "to": "\(to.sha256)"])
                await events.record(
                    resource, type: .normal, reason: "Refreshed",
                    message: "refresh \(Redaction.logValue(request)) carried out: now serving \(Self.describe(to)) instead of \(Self.describe(from))")
            case .invalidSpec(let issues) where !alreadyInvalid:
                let message = issues.map(\.description).joined(separator: "; ")
                logger.warning("invalid spec", metadata: ["problems": "\(message)"])
                await events.record(resource, type: .warning, reason: "InvalidSpec", message: message)
            case .prune(let files):
                await events.record(resource, type: .normal, reason: "Pruned", message: "deleted \(files.count) old image\(files.count == 1 ? "" : "s")")
            default:
                break
            }
        }
    }

    /// `Lorem Picsum image 237` or `image 0123456789ab`, for events.
    static func describe(_ image: ImageRecord) -> String {
        image.picsumID.map { "Lorem Picsum image \($0)" } ?? "image \(image.sha256.prefix(12))"
    }
}
