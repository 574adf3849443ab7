import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore

extension ImageFetcher: ImageSource {
    /// Fetches the image, adds the Picsum photographer's credit when there is one, and maps a `FetchError` onto its
    /// `Degraded` reason.
    public func fetchImage(_ url: String, for key: ResourceKey, now: Timestamp) async throws -> Result<ImageRecord, FetchFailure> {
        do {
            let image = try await fetch(url, namespace: key.namespace, name: key.name)
            var record = ImageRecord(
                file: image.file, sha256: image.sha256, bytes: image.bytes, contentType: image.kind.contentType,
                requestedURL: url, sourceURL: image.sourceURL, picsumID: image.picsumID, fetchedAt: now)
            if let id = image.picsumID {
                (record.author, record.authorURL) = await photographer(id: id, sourceURL: image.sourceURL, logger: logger)
            }
            return .success(record)
        } catch let error as FetchError {
            return .failure(FetchFailure(reason: error.reason, message: error.description))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .failure(FetchFailure(reason: .sourceUnreachable, message: "\(error)"))
        }
    }
}

extension FetchError {
    /// The `Degraded` condition reason for this error: the port's words for what went wrong.
    public var reason: FailureReason {
        switch self {
        case .sourceUnreachable: .sourceUnreachable
        case .httpStatus, .tooManyRedirects: .httpError
        case .notAnImage: .notAnImage
        case .tooLarge: .tooLarge
        case .blocked: .blocked
        case .timeout: .timeout
        case .storage: .storageError
        }
    }
}
