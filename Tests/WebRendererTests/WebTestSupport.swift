import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageStore
import Hummingbird
import Logging
import ServiceLifecycle
import LocalStore
import Prometheus
import TestSupport
import Testing

@testable import WebRenderer

/// A data directory with a file store and a blob store, removed when released.
final class WebFixture: Sendable {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-web-\(UUID().uuidString)").path
    let store: FileResourceStore
    let blobs: BlobStore
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    init(_ resources: [HourlyImage] = [HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"))]) throws {
        store = try FileResourceStore(resources: resources, dataDirectory: dir)
        blobs = BlobStore(root: dir + "/volume")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Stores image bytes as a blob and returns its record, fetched `age` seconds before `now`.
    func blob(_ data: Data = TestImages.jpeg(), name: String = "project-image", age: Double = 0, ttl: Double = 3600) throws -> ImageRecord {
        let temporary = try blobs.makeTemporaryFile(namespace: "default", name: name)
        try temporary.write(data)
        let sha = sha256Hex(data)
        let file = try blobs.publish(temporary, sha256: sha, fileExtension: "jpg")
        let fetched = Timestamp(now.addingTimeInterval(-age))
        return ImageRecord(
            file: file, sha256: sha, bytes: Int64(data.count), contentType: "image/jpeg", requestedURL: "https://picsum.photos/1200",
            sourceURL: "https://fastly.picsum.photos/id/237/1200/1200.jpg", picsumID: "237", author: "Alejandro Escamilla",
            authorURL: "https://unsplash.com/photos/yC-Yzbqy7PY", fetchedAt: fetched, servedSince: fetched, expiresAt: fetched.adding(seconds: ttl))
    }

    /// Writes a status for a resource.
    func setStatus(_ status: HourlyImageStatus, name: String = "project-image") async throws {
        let key = ResourceKey(namespace: "default", name: name)
        let r = try #require(await store.get(key))
        _ = try await store.updateStatus(of: r, to: status)
    }

    /// A renderer over this fixture with a fixed clock.
    func renderer(imageName: String? = nil, onPromotionDue: (@Sendable (ResourceKey) async -> Void)? = nil) -> WebRenderer {
        let now = self.now
        return WebRenderer(
            store: store, blobs: blobs, imageName: imageName, registry: PrometheusCollectorRegistry(), onPromotionDue: onPromotionDue,
            now: { now })
    }
}

/// Runs the renderer as a live server on 127.0.0.1 (port 0) for the duration of `body`.
func withServer(_ renderer: WebRenderer, _ body: @Sendable (String) async throws -> Void) async throws {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: renderer.buildRouter(),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
    // Stopped with a graceful shutdown, as SIGTERM does: cancelling a Hummingbird server outright can
    // leave a just-accepted connection unhandled, which NIO treats as a fatal error.
    let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: Logger(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            try await body("http://127.0.0.1:\(port)")
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
        await services.triggerGracefulShutdown()
    }
}

func sha256Hex(_ data: Data) -> String {
    var hasher = Crypto.SHA256()
    hasher.update(data: data)
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

import Crypto
