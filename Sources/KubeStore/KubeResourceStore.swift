import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import KubeClient
import Logging
import ServiceLifecycle

/// The resource store over the Kubernetes API: reads come from a reflector's cache, writes go
/// to the API server with optimistic concurrency (the resourceVersion that was read).
public final class KubeResourceStore: ResourceStore, Service {
    let client: KubeClient
    /// The cache of HourlyImages (run it, or run the store as a service).
    public let reflector: Reflector<HourlyImage>
    let namespace: String?
    let logger: Logger
    /// Refused calls of this store (and of whatever else shares the registry), for `/readyz`.
    public let problems: AccessProblems

    /// A store over HourlyImages in `namespace`, or in every namespace when nil; `problems`
    /// defaults to a registry of its own.
    public init(
        client: KubeClient, namespace: String?, watchTimeout: Int = 300, problems: AccessProblems? = nil,
        logger: Logger = Logger(label: "hourly-image.kube-store")
    ) {
        self.client = client
        self.namespace = namespace
        self.logger = logger
        let problems = problems ?? AccessProblems(identity: client.identity, advice: .hourlyImage, logger: logger)
        self.problems = problems
        self.reflector = Reflector(client: client, type: .hourlyImages, namespace: namespace, watchTimeout: watchTimeout, problems: problems, logger: logger)
    }

    /// Keeps the cache in step with the API server until cancelled or shut down.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.reflector.run() }
    }

    public var isReady: Bool { get async { await reflector.hasSynced } }

    public var problem: String? { get async { await reflector.lastError } }

    public var accessProblems: [String] { get async { problems.current.map(\.description) } }

    public func list() async throws -> [HourlyImage] { await reflector.objects() }

    public func get(_ key: ResourceKey) async throws -> HourlyImage? { await reflector.object(key) }

    public func updateStatus(of resource: HourlyImage, to status: HourlyImageStatus) async throws -> HourlyImage {
        var next = resource
        next.status = status
        let call = AccessProblem.Call("update", "hourlyimages/status", namespace: resource.metadata.namespace)
        do {
            // PUT on the status subresource: only status changes, and a stale resourceVersion is a 409.
            let written = try await client.update(.hourlyImages, next, subresource: "status")
            problems.succeeded(call)
            await reflector.remember(written)
            return written
        } catch let error as KubeAPIError {
            problems.failed(call, error)
            throw Self.storeError(error, ResourceKey(resource))
        }
    }

    public func updateFinalizers(of resource: HourlyImage, to finalizers: [String]) async throws -> HourlyImage? {
        struct Patch: Encodable {
            struct Meta: Encodable {
                var finalizers: [String]?
                var resourceVersion: String?
            }
            var metadata: Meta
        }
        // A merge patch carrying resourceVersion is conditional on it (api-conventions.md, "Concurrency Control").
        let body = try JSONEncoder().encode(Patch(metadata: .init(finalizers: finalizers, resourceVersion: resource.metadata.resourceVersion)))
        let call = AccessProblem.Call("patch", "hourlyimages", namespace: resource.metadata.namespace)
        do {
            let written: HourlyImage = try await client.mergePatch(.hourlyImages, namespace: resource.metadata.namespace, name: resource.metadata.name, body)
            problems.succeeded(call)
            await reflector.remember(written)
            return written
        } catch KubeAPIError.notFound {
            return nil  // removing the last finalizer let the API server delete it
        } catch let error as KubeAPIError {
            problems.failed(call, error)
            throw Self.storeError(error, ResourceKey(resource))
        }
    }

    public func recordGraceView(_ key: ResourceKey, currentSHA256: String, seenViews: Int) async throws -> Bool {
        // docs/design.md: `test` the image and the old count, then `replace`: no view counted twice or
        // against the wrong image, however many web replicas race. `graceUsage` ("1/3") changes in
        // the same patch, tested against the graceCount it was computed from (`add` also creates it
        // in a status written before the field existed).
        guard let graceCount = await reflector.object(key)?.spec.graceCount else { return false }
        let write = Lifecycle.graceViewWrite(seen: seenViews, graceCount: graceCount)
        let operations: [JSONPatchOperation] = [
            .test("/status/current/sha256", .string(currentSHA256)),
            .test("/status/graceViews", .int(seenViews)),
            .test("/spec/graceCount", .int(graceCount)),
            .replace("/status/graceViews", .int(write.graceViews)),
            .add("/status/graceUsage", .string(write.graceUsage)),
        ]
        let call = AccessProblem.Call("patch", "hourlyimages/status", namespace: key.namespace)
        do {
            let written: HourlyImage = try await client.jsonPatch(.hourlyImages, namespace: key.namespace, name: key.name, operations, subresource: "status")
            problems.succeeded(call)
            await reflector.remember(written)
            return true
        } catch KubeAPIError.invalid, KubeAPIError.conflict {
            problems.succeeded(call)  // the server let us try: access is fine
            return false
        } catch let error as KubeAPIError {
            problems.failed(call, error)
            throw Self.storeError(error, key)
        }
    }

    public func changes() async -> AsyncStream<ResourceKey> { await reflector.changes() }

    static func storeError(_ error: KubeAPIError, _ key: ResourceKey) -> StoreError {
        switch error {
        case .conflict: .conflict(key)
        case .notFound: .notFound(key)
        default: .unavailable("\(key): \(error)")
        }
    }
}
