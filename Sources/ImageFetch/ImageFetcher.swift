import BlobStore
import Crypto
import Foundation
import HourlyImageAPI
import Logging
import SystemSupport

/// An image downloaded and published in the blob store.
public struct FetchedImage: Sendable, Hashable {
    /// Path relative to the volume root.
    public var file: String
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    /// Size in bytes.
    public var bytes: Int64
    /// The format found from the bytes.
    public var kind: ImageKind
    /// The URL the bytes came from, after redirects.
    public var sourceURL: String
    /// The Lorem Picsum id, from the `Picsum-ID` header or an `/id/N/` path.
    public var picsumID: String?
    /// The Content-Type the server claimed (informational; `kind` is what counts).
    public var declaredContentType: String?
}

/// Downloads images over libcurl into the blob store.
///
/// Each transfer runs on its own thread, never on the Swift concurrency pool; the body is
/// streamed into a temporary file beside its final place while it is hashed, so an image is
/// never held in memory. Cancelling the calling task aborts the transfer and removes the file.
public struct ImageFetcher: Sendable {
    /// Where images are published.
    public let store: BlobStore
    /// Limits and address policy.
    public let options: FetchOptions
    let logger: Logger

    /// Creates a fetcher.
    public init(store: BlobStore, options: FetchOptions = FetchOptions(), logger: Logger = Logger(label: "hourly-image.fetch")) {
        self.store = store
        self.options = options
        self.logger = logger
    }

    /// Downloads `url` into the blob directory of `namespace/name` and publishes it.
    ///
    /// - Throws: `FetchError`, or `CancellationError` when the task is cancelled.
    public func fetch(_ url: String, namespace: String, name: String) async throws -> FetchedImage {
        let store = self.store
        let options = self.options
        let sink = ImageSink()
        let transfer = CurlTransfer(url: url, options: options) { sink.consume($0) }
        let started = ContinuousClock.now
        let image = try await Self.runOnDedicatedThread(transfer) { () throws -> FetchedImage in
            do throws(StorageError) {
                sink.temporary = try store.makeTemporaryFile(namespace: namespace, name: name)
            } catch {
                throw FetchError.storage(error)
            }
            defer { sink.temporary?.discard() }  // no-op once published
            switch transfer.perform() {
            case .cancelled:
                throw CancellationError()
            case .failed(let error):
                throw error
            case .finished(let info):
                guard let kind = sink.kind ?? ImageKind.sniff(sink.head), let temporary = sink.temporary else {
                    throw FetchError.notAnImage(url: info.effectiveURL, contentType: info.headers["content-type"])
                }
                let sha = sink.hasher.finalize().map { String(format: "%02x", $0) }.joined()
                do throws(StorageError) {
                    let file = try store.publish(temporary, sha256: sha, fileExtension: kind.fileExtension)
                    sink.temporary = nil
                    return FetchedImage(
                        file: file, sha256: sha, bytes: info.bytes, kind: kind, sourceURL: info.effectiveURL,
                        picsumID: PicsumID.find(header: info.headers["picsum-id"], url: info.effectiveURL),
                        declaredContentType: info.headers["content-type"])
                } catch {
                    throw FetchError.storage(error)
                }
            }
        }
        logger.info(
            "fetched image",
            metadata: [
                "url": "\(Redaction.url(url))", "source": "\(Redaction.url(image.sourceURL))", "sha256": "\(image.sha256)", "bytes": .stringConvertible(image.bytes),
                "seconds": .stringConvertible(Self.seconds(since: started)),
            ])
        return image
    }

    /// Downloads a small response (such as Lorem Picsum's `/id/N/info`) into memory, under the same policy.
    public func fetchData(_ url: String, maxBytes: Int64 = 64 * 1024) async throws -> Data {
        var options = self.options
        options.maxBytes = maxBytes
        let buffer = DataSink()
        let transfer = CurlTransfer(url: url, options: options) { bytes in
            buffer.data.append(contentsOf: bytes)
            return nil
        }
        return try await Self.runOnDedicatedThread(transfer) { () throws -> Data in
            switch transfer.perform() {
            case .cancelled: throw CancellationError()
            case .failed(let error): throw error
            case .finished: return buffer.data
            }
        }
    }

    /// Runs blocking work on a new thread, cancelling the transfer when the task is cancelled.
    static func runOnDedicatedThread<T: Sendable>(
        _ transfer: CurlTransfer, _ work: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withTaskCancellationHandler {
            try await OffPool.run(named: "hourly-image-fetch", work)
        } onCancel: {
            transfer.cancel()
        }
    }

    /// Seconds since `start`, to the millisecond, for the log.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = (ContinuousClock.now - start).components
        return ((Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18) * 1000).rounded() / 1000
    }
}

/// Body bytes of an image transfer: sniffed, hashed and written to a temporary file.
/// Used only on the transfer thread.
final class ImageSink: @unchecked Sendable {
    var temporary: TemporaryBlob?
    var hasher = SHA256()
    var head: [UInt8] = []
    var kind: ImageKind?

    func consume(_ bytes: UnsafeRawBufferPointer) -> FetchError? {
        if kind == nil {
            head.append(contentsOf: bytes.prefix(ImageKind.sniffLength - head.count))
            if head.count >= ImageKind.sniffLength {
                guard let found = ImageKind.sniff(head) else { return .notAnImage(url: "", contentType: nil) }
                kind = found
            }
        }
        hasher.update(bufferPointer: bytes)
        do {
            try temporary?.write(bytes)
        } catch {
            return .storage(error)
        }
        return nil
    }
}

/// A growing in-memory body, used only on the transfer thread.
final class DataSink: @unchecked Sendable {
    var data = Data()
}

/// Finds the Lorem Picsum id of an image.
enum PicsumID {
    /// The `Picsum-ID` header when present, else the N of an `/id/N/` path.
    static func find(header: String?, url: String) -> String? {
        if let header, !header.isEmpty, header.allSatisfy(\.isNumber) { return header }
        guard let path = URLComponents(string: url)?.path else { return nil }
        let parts = path.split(separator: "/")
        if let index = parts.firstIndex(of: "id"), index + 1 < parts.count, parts[index + 1].allSatisfy(\.isNumber) {
            return String(parts[index + 1])
        }
        return nil
    }
}
