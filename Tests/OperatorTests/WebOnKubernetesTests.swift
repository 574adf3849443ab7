import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageApp
import HourlyImageStore
import Hummingbird
import KubeClient
import KubeStore
import KubeTestServer
import Logging
import Prometheus
import ServiceLifecycle
import TestSupport
import Testing
import WebRenderer

/// The base URLs of a web served on loopback: the public page and the admin endpoints (probes, metrics, JSON).
struct WebURLs: Sendable {
    let page: String
    let admin: String
}

/// Runs `hourly-image web`'s parts (Kubernetes store as the web identity, renderer, both listeners) on loopback.
func withWeb(
    _ h: OperatorHarness, token: String = "web-token", problems: AccessProblems? = nil, _ body: @Sendable (WebURLs, KubeResourceStore) async throws -> Void
) async throws {
    var logger = Logger(label: "test.web")
    logger.logLevel = .critical
    let file = h.root + "/kubeconfig-\(token)"
    try h.server.kubeconfig(token: token).write(toFile: file, atomically: true, encoding: .utf8)
    let web = ClusterWeb(
        connection: try KubeConfig.fromFiles([file]), namespace: "default", volumeRoot: h.root + "/volume", problems: problems, watchTimeout: 30,
        makeLogger: { [logger] _ in logger })
    let store = web.store
    let renderer = web.renderer
    let (ports, continuation) = AsyncStream.makeStream(of: (String, Int).self)
    let page = renderer.pageApplication(at: ListenAddress(host: "127.0.0.1", port: 0), logger: logger) { continuation.yield(("page", $0)) }
    let admin = renderer.adminApplication(at: ListenAddress(host: "127.0.0.1", port: 0), logger: logger) { continuation.yield(("admin", $0)) }
    let services = ServiceGroup(configuration: .init(services: [.init(service: page), .init(service: admin)], logger: logger))
    let reflector = Task { await store.reflector.run() }
    defer { reflector.cancel() }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var bound: [String: Int] = [:]
        for await (role, port) in ports {
            bound[role] = port
            if bound.count == 2 { break }
        }
        let urls = WebURLs(page: "http://127.0.0.1:\(try #require(bound["page"]))", admin: "http://127.0.0.1:\(try #require(bound["admin"]))")
        // A failing body must not cancel the servers (the group would on a throw, and NIO traps on a connection
        // accepted but never handled): stop them gracefully, wait, then report the failure.
        var failure: (any Error)?
        do { try await body(urls, store) } catch { failure = error }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        if let failure { throw failure }
    }
    reflector.cancel()
    _ = await reflector.value
}

/// Seeds an HourlyImage whose image expired, with its blob on the volume and a pending one.
func seedExpired(_ h: OperatorHarness, graceCount: Int) async throws -> (current: String, pending: String) {
    let blobs = BlobStore(root: h.root + "/volume")
    func blob(_ seed: UInt8) throws -> ImageRecord {
        let data = TestImages.jpeg(seed: seed)
        let temporary = try blobs.makeTemporaryFile(namespace: "default", name: "project-image")
        try temporary.write(data)
        let sha = sha256Hex(data)
        let file = try blobs.publish(temporary, sha256: sha, fileExtension: "jpg")
        let fetched = Timestamp(Date().addingTimeInterval(-7200))
        return ImageRecord(file: file, sha256: sha, bytes: Int64(data.count), contentType: "image/jpeg", fetchedAt: fetched, servedSince: fetched, expiresAt: fetched.adding(seconds: 3600))
    }
    let current = try blob(1)
    var pending = try blob(2)
    pending.servedSince = nil
    pending.expiresAt = nil
    var resource = HourlyImage(metadata: ObjectMeta(name: "project-image", namespace: "default"), spec: HourlyImageSpec(graceCount: graceCount))
    resource.status = HourlyImageStatus(observedGeneration: 1, current: current, pending: pending, graceViews: 0)
    try await h.server.put(JSONEncoder().encode(resource))
    return (current.sha256, pending.sha256)
}

@Suite("hourly-image web on the test API server, with the web's RBAC")
struct WebOnKubernetesTests {
    @Test("a page view of an expired image counts one grace view with the CAS JSON patch; the page shows the image")
    func graceView() async throws {
        let h = try await OperatorHarness()
        let seeded = try await seedExpired(h, graceCount: 1)
        try await withWeb(h) { web, store in
            try await eventually("synced") { await store.isReady }
            #expect(try await TestHTTPClient.get(web.admin + "/readyz").status == 200)
            #expect(try await TestHTTPClient.get(web.page + "/readyz").status == 404, "probes only on the admin port")
            let page = try await TestHTTPClient.get(web.page + "/").text
            #expect(page.contains(seeded.current))
            #expect(page.contains("expired — 1 of 1 grace view used"))
            #expect(try await h.fetch("project-image")?.status?.graceViews == 1)
            #expect(try await h.fetch("project-image")?.status?.graceUsage == "1/1", "GRACE is written in the same patch")
            _ = try await TestHTTPClient.get(web.page + "/")
            #expect(try await h.fetch("project-image")?.status?.graceViews == 1, "never more than graceCount")
            let bytes = try await TestHTTPClient.get(web.page + "/images/default/project-image/\(seeded.current).jpg")
            #expect(bytes.status == 200)
        }
        let patches = await h.server.requests().filter { $0.method == "PATCH" && $0.identity == "web" }
        #expect(patches.contains { $0.target.hasSuffix("/status") && $0.status == 200 })
        #expect(await h.server.requests().allSatisfy { $0.status != 403 }, "the web's RBAC covers what it does")
        await h.tearDown()
    }

    @Test("two web replicas viewing at once never count more than graceCount", arguments: [2, 3])
    func twoReplicas(graceCount: Int) async throws {
        let h = try await OperatorHarness()
        _ = try await seedExpired(h, graceCount: graceCount)
        try await withWeb(h) { first, firstStore in
            try await withWeb(h) { second, secondStore in
                try await eventually("synced") {
                    let a = await firstStore.isReady
                    let b = await secondStore.isReady
                    return a && b
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<10 { group.addTask { _ = try await TestHTTPClient.get((i % 2 == 0 ? first : second).page + "/") } }
                    try await group.waitForAll()
                }
            }
        }
        #expect(try await h.fetch("project-image")?.status?.graceViews == graceCount)
        #expect(try await h.fetch("project-image")?.status?.graceUsage == "\(graceCount)/\(graceCount)")
        await h.tearDown()
    }

    @Test("not ready before the first list; with the API server gone it keeps serving the last known state")
    func readinessAndOutage() async throws {
        let h = try await OperatorHarness()
        let seeded = try await seedExpired(h, graceCount: 5)
        // The first list takes 4 s, so the web is surely up and not yet synced when /readyz is asked, even on a loaded CI.
        await h.server.setLatency(.seconds(4))
        try await withWeb(h) { web, store in
            #expect(try await TestHTTPClient.get(web.admin + "/readyz").status == 503)
            try await eventually(30, "synced") { await store.isReady }
            await h.server.setLatency(.zero)
            // The API server stops answering: every request fails and the watch is cut.
            await h.server.injectErrors(503, count: 100_000)
            await h.server.dropWatchConnections()
            try await eventually("outage noticed") { await store.problem != nil }
            let ready = try await TestHTTPClient.get(web.admin + "/readyz")
            #expect(ready.status == 200)
            #expect(ready.text.contains("serving the last known state"))
            let page = try await TestHTTPClient.get(web.page + "/")
            #expect(page.status == 200)
            #expect(page.text.contains(seeded.current))
        }
        await h.tearDown()
    }
}
