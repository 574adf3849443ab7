import Foundation
import Hummingbird
import KubeClient
import LeaderElection
import KubeStore
import KubeTestServer
import Logging
import Prometheus
import ServiceLifecycle
import TestSupport
import Testing

/// Serves the controller's probe routes on loopback while `body` runs.
func withProbes(
    store: KubeResourceStore, elector: LeaderElector?, problems: AccessProblems,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), _ body: @Sendable (String) async throws -> Void
) async throws {
    var logger = Logger(label: "test.probes")
    logger.logLevel = .critical
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: ControllerProbes.router(store: store, elector: elector, problems: problems, registry: registry),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
    let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        // A failing body must not cancel the servers (the group would on a throw, and NIO traps on a connection
        // accepted but never handled): stop them gracefully, wait, then report the failure.
        var failure: (any Error)?
        do { try await body("http://127.0.0.1:\(port)") } catch { failure = error }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        if let failure { throw failure }
    }
}

@Suite("Refused API calls are logged once and make /readyz say why")
struct AccessWarningTests {
    /// The server with an extra identity `name` whose permissions are `permissions`.
    static func options(_ name: String, _ permissions: Set<String>) -> KubeTestServer.Options {
        var options = OperatorHarness.rbacOptions()
        options.tokens["\(name)-token"] = name
        options.permissions?[name] = permissions
        return options
    }

    /// The controller's permissions without any on Leases.
    static let noLeases = APIAccess.serverPermissions(APIAccess.controller.filter { $0.resource != "leases" })

    @Test("a controller forbidden to touch Leases warns once within seconds, naming the call and the flags, and /readyz is 503 with that reason")
    func forbiddenLease() async throws {
        let h = try await OperatorHarness(options: Self.options("nolease", Self.noLeases))
        let logs = LogCapture()
        let c = try h.client(token: "nolease-token")
        let problems = AccessProblems(identity: c.identity, advice: .hourlyImage, logger: logs.logger("test.access"))
        let started = Date()
        let controller = try h.startController(token: "nolease-token", identity: "nolease", leaderElection: LeaderElectionTests.fast, problems: problems)
        try await withProbes(store: controller.store, elector: controller.elector, problems: problems) { base in
            // Seconds, not minutes (the Lease is retried every 0.5 s here); 15 s of room for a loaded two-core CI run.
            try await eventually(15, "a warning about the Lease") { !logs.warnings.isEmpty }
            #expect(Date().timeIntervalSince(started) < 15)
            let warning = try #require(logs.warnings.first)
            for text in ["leases", "get", "hourly-image", "--lease-namespace", "--no-leader-elect", "nolease-token"] {
                #expect(warning.text.contains(text), "\(text) in \(warning.text)")
            }
            #expect(warning.metadata["verb"] == "get")
            #expect(warning.metadata["resource"] == "leases")
            #expect(warning.metadata["namespace"] == "hourly-image")
            #expect(warning.metadata["server"]?.contains(#"User "nolease""#) == true, "the server's message names the user it saw")
            // The elector keeps retrying every 0.25 s: wait for several refused GETs, then check there is still one warning.
            try await eventually("four refused lease GETs") {
                await h.server.requests().filter { $0.identity == "nolease" && $0.target.contains("/leases/") && $0.status == 403 }.count >= 4
            }
            #expect(logs.warnings.count == 1, "one warning per problem, not one per retry")
            try await eventually("the cache synced") { await controller.store.isReady }
            let ready = try await TestHTTPClient.get(base + "/readyz")
            #expect(ready.status == 503)
            #expect(ready.text.contains("get leases in namespace hourly-image"), "\(ready.text)")
            #expect(ready.text.contains("--lease-namespace"))
            #expect(ready.text.contains("--no-leader-elect"))
        }
        #expect(await controller.elector?.isLeader == false)
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("the same identity with --no-leader-elect: no Lease call, no warning, ready, and it reconciles")
    func noLeaderElect() async throws {
        let h = try await OperatorHarness(options: Self.options("nolease", Self.noLeases))
        let logs = LogCapture()
        let c = try h.client(token: "nolease-token")
        let problems = AccessProblems(identity: c.identity, advice: .hourlyImage, logger: logs.logger("test.access"))
        let controller = try h.startController(token: "nolease-token", identity: "nolease", leaderElection: nil, problems: problems)
        try await withProbes(store: controller.store, elector: controller.elector, problems: problems) { base in
            _ = try await h.client().create(.hourlyImages, h.resource("one"))
            try await eventually("one Ready") { try await h.fetch("one")?.condition("Ready")?.status == .true }
            let ready = try await TestHTTPClient.get(base + "/readyz")
            #expect(ready.status == 200)
            #expect(ready.text == "ok (leader)\n")
            let metrics = try await TestHTTPClient.get(base + "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.text.contains("process_resident_memory_bytes"), "the controller's /metrics serves the process metrics")
        }
        #expect(logs.warnings.isEmpty, "\(logs.warnings.map(\.text))")
        #expect(problems.current.isEmpty)
        #expect(await h.server.requests().allSatisfy { $0.status != 403 })
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("a web forbidden to list HourlyImages warns once, naming the call and the RBAC fix, and /readyz is 503 with that reason")
    func webForbiddenList() async throws {
        let h = try await OperatorHarness(options: Self.options("nolist", APIAccess.serverPermissions(APIAccess.web).subtracting(["list hourlyimages"])))
        let logs = LogCapture()
        let problems = AccessProblems(identity: try h.client(token: "nolist-token").identity, advice: .hourlyImage, logger: logs.logger("test.access"))
        try await withWeb(h, token: "nolist-token", problems: problems) { web, store in
            try await eventually(15, "a warning about the list") { !logs.warnings.isEmpty }
            let warning = try #require(logs.warnings.first)
            #expect(warning.metadata["verb"] == "list")
            #expect(warning.metadata["resource"] == "hourlyimages")
            #expect(warning.metadata["namespace"] == "default")
            #expect(warning.text.contains("rbac/"))
            #expect(warning.text.contains("--namespace"))
            let ready = try await TestHTTPClient.get(web.admin + "/readyz")
            #expect(ready.status == 503)
            #expect(ready.text.contains("list hourlyimages in namespace default"), "\(ready.text)")
            #expect(ready.text.contains("rbac/"))
            #expect(ready.text.contains("has not loaded yet"))
            try await eventually("a retried list") {
                await h.server.requests().filter { $0.identity == "nolist" && $0.status == 403 }.count >= 2
            }
            #expect(logs.warnings.count == 1, "one warning per problem, not one per retry")
            #expect(await store.isReady == false)
        }
        await h.tearDown()
    }
}
