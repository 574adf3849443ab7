import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageApp
import HourlyImageController
import HourlyImageStore
import ImageFetch
import KubeClient
import LeaderElection
import KubeStore
import KubeTestServer
import Logging
import Prometheus
import TestSupport
import Testing

/// A test API server, a Picsum-like image server, a volume directory, and controllers to run.
final class OperatorHarness: Sendable {
    let server: KubeTestServer
    let picsum: PicsumLikeServer
    let root: String
    let kubeconfig: String

    /// Tokens for the controller (its RBAC only), the web (its RBAC only) and an admin for the checks.
    static func rbacOptions(controllers: [String] = ["controller"], historyLimit: Int = 1000) -> KubeTestServer.Options {
        var tokens = ["admin-token": "admin", "web-token": "web"]
        var permissions: [String: Set<String>] = ["admin": ["* *"], "web": APIAccess.serverPermissions(APIAccess.web)]
        for name in controllers {
            tokens["\(name)-token"] = name
            permissions[name] = APIAccess.serverPermissions(APIAccess.controller)
        }
        return .init(tokens: tokens, permissions: permissions, historyLimit: historyLimit)
    }

    init(options: KubeTestServer.Options = rbacOptions()) async throws {
        server = try await KubeTestServer.start(options)
        picsum = try PicsumLikeServer()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-op-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        kubeconfig = root + "/kubeconfig"
        try server.kubeconfig(token: "admin-token").write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    func tearDown() async {
        picsum.stop()
        await server.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A client, by default as the cluster admin.
    func client(token: String? = "admin-token", observer: KubeRequestObserver? = nil) throws -> KubeClient {
        let file = root + "/kubeconfig-\(token ?? "anon")"
        try server.kubeconfig(token: token).write(toFile: file, atomically: true, encoding: .utf8)
        return KubeClient(connection: try KubeConfig.fromFiles([file]), observer: observer)
    }

    /// Starts the controller exactly as `hourly-image controller` wires it (`ClusterController`); returns a task to
    /// cancel (SIGTERM-like stop).
    func startController(
        token: String = "controller-token", identity: String = "controller-a", leaderElection: LeaderElector.Timing? = nil, workers: Int = 2,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), problems: AccessProblems? = nil
    ) throws -> (task: Task<Void, any Error>, store: KubeResourceStore, elector: LeaderElector?) {
        let file = root + "/kubeconfig-\(token)"
        try server.kubeconfig(token: token).write(toFile: file, atomically: true, encoding: .utf8)
        var settings = ClusterControllerSettings(
            namespace: nil, volumeRoot: root + "/volume", leaseNamespace: "hourly-image", identity: identity, instance: identity)
        settings.workers = workers
        settings.leaderElection = leaderElection
        settings.fetchOptions.addressPolicy = AddressPolicy(allowPrivateNetworks: true)
        settings.watchTimeout = 30
        settings.makeLogger = { label in
            var logger = Logger(label: "test.\(label).\(identity)")
            logger.logLevel = .warning
            return logger
        }
        let app = ClusterController(connection: try KubeConfig.fromFiles([file]), settings: settings, registry: registry, problems: problems)
        let task = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in app.services { group.addTask { try await service.run() } }
                try await group.waitForAll()
            }
        }
        return (task, app.store, app.elector)
    }

    /// An HourlyImage fetching from the Picsum-like server.
    func resource(_ name: String, namespace: String = "default", ttl: String = "1h", graceCount: Int = 1, path: String = "/1200") -> HourlyImage {
        HourlyImage(metadata: ObjectMeta(name: name, namespace: namespace), spec: HourlyImageSpec(url: picsum.baseURL + path, ttl: ttl, graceCount: graceCount))
    }

    /// The resource as the server holds it.
    func fetch(_ name: String, namespace: String = "default") async throws -> HourlyImage? {
        guard let data = await server.object(.hourlyImage(name, namespace: namespace)) else { return nil }
        return try JSONDecoder().decode(HourlyImage.self, from: data)
    }
}

/// Polls until `condition` holds or `seconds` pass.
func eventually(_ seconds: Double, _ what: String, _ condition: () async throws -> Bool) async throws {
    if try await pollUntil(timeout: .seconds(seconds), every: .milliseconds(50), condition) { return }
    Issue.record("timed out after \(seconds) s waiting for \(what)")
    throw CancellationError()
}

extension HourlyImage {
    func condition(_ type: String) -> Condition? { status?.conditions?[type: type] }
}

/// Polls for up to 15 s.
func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
    try await eventually(15, what, condition)
}
