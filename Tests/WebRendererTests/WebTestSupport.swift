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

    /// A renderer over this fixture with a fixed clock (or `clock`).
    func renderer(imageName: String? = nil, onPromotionDue: (@Sendable (ResourceKey) async -> Void)? = nil,
                  clock: (@Sendable () -> Date)? = nil) -> WebRenderer {
        let now = self.now
        return WebRenderer(
            store: store, blobs: blobs, imageName: imageName, registry: PrometheusCollectorRegistry(), onPromotionDue: onPromotionDue,
            now: clock ?? { now })
    }
}

/// The base URLs of a renderer served live: the public port and the admin port.
struct WebServers: Sendable {
    let page: String
    let admin: String
    let pagePort: Int
}

/// Runs the renderer's two servers (as `hourly-image` builds them) on 127.0.0.1, port 0 each, for the duration of `body`.
func withServers(_ renderer: WebRenderer, _ body: @Sendable (WebServers) async throws -> Void) async throws {
    let (ports, continuation) = AsyncStream.makeStream(of: (String, Int).self)
    let quiet = Logger(label: "test.http", factory: { _ in SwiftLogNoOpLogHandler() })
    let page = renderer.pageApplication(at: ListenAddress(host: "127.0.0.1", port: 0), logger: quiet) { continuation.yield(("page", $0)) }
    let admin = renderer.adminApplication(at: ListenAddress(host: "127.0.0.1", port: 0), logger: quiet) { continuation.yield(("admin", $0)) }
    // Stopped with a graceful shutdown, as SIGTERM does: cancelling a Hummingbird server outright can
    // leave a just-accepted connection unhandled, which NIO treats as a fatal error.
    let services = ServiceGroup(configuration: .init(services: [.init(service: page), .init(service: admin)], logger: Logger(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var bound: [String: Int] = [:]
        for await (role, port) in ports {
            bound[role] = port
            if bound.count == 2 { break }
        }
        let pagePort = try #require(bound["page"])
        let adminPort = try #require(bound["admin"])
        #expect(pagePort != adminPort)
        // A failing body must not cancel the servers (the group would on a throw, and NIO traps on a connection
        // accepted but never handled): stop them gracefully, wait, then report the failure.
        var failure: (any Error)?
        do { try await body(WebServers(page: "http://127.0.0.1:\(pagePort)", admin: "http://127.0.0.1:\(adminPort)", pagePort: pagePort)) } catch { failure = error }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        if let failure { throw failure }
    }
}

/// Runs the renderer live and hands `body` the public port's base URL.
func withServer(_ renderer: WebRenderer, _ body: @Sendable (String) async throws -> Void) async throws {
    try await withServers(renderer) { try await body($0.page) }
}

/// Sends `request` as raw bytes to 127.0.0.1:`port` and returns everything the server sends until it closes the
/// connection (the request should say `Connection: close`): what a HEAD answer really carries, body bytes included.
func rawExchange(port: Int, _ request: String) async -> String {
    await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
        Thread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var remote = sockaddr_in()
            remote.sin_family = sa_family_t(AF_INET)
            remote.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard connected == 0 else { return continuation.resume(returning: "") }
            _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            var received = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { break }
                received += buffer[0..<n]
            }
            continuation.resume(returning: String(decoding: received, as: UTF8.self))
        }.start()
    }
}

func sha256Hex(_ data: Data) -> String {
    var hasher = Crypto.SHA256()
    hasher.update(data: data)
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

import Crypto
