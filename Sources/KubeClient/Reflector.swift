import Foundation
import KubeMeta
import Logging
import SystemSupport

/// Keeps a local cache of one resource type (all namespaces or one) in step with the API
/// server, by list-then-watch driven by `ReflectorMachine`, and tells subscribers which keys changed.
public actor Reflector<Object: KubeObject> {
    private let client: KubeClient
    private let type: ResourceType
    private let namespace: String?
    private let watchTimeout: Int
    private let sleep: @Sendable (Double) async throws -> Void
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let problems: AccessProblems?
    private var machine: ReflectorMachine
    private var cache: [ResourceKey: Object] = [:]
    private let keyChanges = Broadcast<ResourceKey>()
    /// True once the first list has filled the cache.
    public private(set) var hasSynced = false
    /// Relists performed (the first one included), for tests and metrics.
    public private(set) var listCount = 0
    /// The last list or watch error, cleared by the next success; the cache may be stale meanwhile.
    public private(set) var lastError: String?

    /// Creates a reflector; `namespace` nil watches every namespace.
    public init(
        client: KubeClient, type: ResourceType, namespace: String?, watchTimeout: Int = 300,
        machine: ReflectorMachine = ReflectorMachine(),
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .milliseconds(Int64($0 * 1000))) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        problems: AccessProblems? = nil, logger: Logger = Logger(label: "hourly-image.reflector")
    ) {
        self.client = client
        self.type = type
        self.namespace = namespace
        self.watchTimeout = watchTimeout
        self.machine = machine
        self.sleep = sleep
        self.random = random
        self.logger = logger
        self.problems = problems
    }

    /// The cache key of an object.
    public static func key(_ object: Object) -> ResourceKey { ResourceKey(object.metadata) }

    /// Every cached object, sorted by key.
    public func objects() -> [Object] { cache.keys.sorted().compactMap { cache[$0] } }

    /// One cached object.
    public func object(_ key: ResourceKey) -> Object? { cache[key] }

    /// The resourceVersion the reflector would resume from.
    public var resourceVersion: String? { machine.resourceVersion }

    /// Keys as they change; every cached key first.
    public func changes() -> AsyncStream<ResourceKey> {
        keyChanges.subscribe(initial: cache.keys.sorted())
    }

    /// Puts an object the caller just wrote into the cache if it is newer, so the next read sees it.
    public func remember(_ object: Object) {
        let key = Self.key(object)
        if let cached = cache[key], let old = Int(cached.metadata.resourceVersion ?? ""), let new = Int(object.metadata.resourceVersion ?? ""), old >= new {
            return
        }
        cache[key] = object
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var action = machine.start()
        while !Task.isCancelled {
            switch action {
            case .list:
                action = await list()
            case .watch(let version):
                action = await watch(from: version)
            case .waitThenList(let seconds):
                logger.info("retrying the list", metadata: ["resource": "\(type.plural)", "inSeconds": .stringConvertible(seconds)])
                do { try await sleep(seconds) } catch { return }
                action = .list
            case .waitThenWatch(let seconds, let version):
                logger.info("reconnecting the watch", metadata: ["resource": "\(type.plural)", "inSeconds": .stringConvertible(seconds)])
                do { try await sleep(seconds) } catch { return }
                action = .watch(from: version)
            }
        }
    }

    private func list() async -> ReflectorMachine.Action {
        do {
            let (items, version) = try await client.listAll(type, namespace: namespace, as: Object.self)
            listCount += 1
            var fresh: [ResourceKey: Object] = [:]
            for item in items { fresh[Self.key(item)] = item }
            let changed = Set(fresh.keys).symmetricDifference(cache.keys).union(
                fresh.keys.filter { cache[$0]?.metadata.resourceVersion != fresh[$0]?.metadata.resourceVersion })
            cache = fresh
            hasSynced = true
            lastError = nil
            problems?.succeeded(call("list"))
            logger.debug("listed", metadata: ["resource": "\(type.plural)", "count": .stringConvertible(items.count), "resourceVersion": "\(version)"])
            notify(changed.sorted())
            return machine.listed(resourceVersion: version)
        } catch {
            let apiError = error as? KubeAPIError ?? .transport("\(error)")
            // An access problem is logged once by `problems`, not on every retry.
            if problems?.failed(call("list"), apiError) == nil {
                logger.warning("list failed", metadata: ["resource": "\(type.plural)", "error": "\(apiError)"])
            }
            lastError = apiError.description
            return machine.listFailed(apiError, random: random())
        }
    }

    private func watch(from version: String) async -> ReflectorMachine.Action {
        let events = client.watch(type, namespace: namespace, resourceVersion: version, timeoutSeconds: watchTimeout, as: Object.self)
        do {
            for try await event in events {
                problems?.succeeded(call("watch"))
                lastError = nil
                switch event {
                case .added(let object), .modified(let object):
                    cache[Self.key(object)] = object
                    machine.observed(resourceVersion: object.metadata.resourceVersion ?? "")
                    notify([Self.key(object)])
                case .deleted(let object):
                    cache[Self.key(object)] = nil
                    machine.observed(resourceVersion: object.metadata.resourceVersion ?? "")
                    notify([Self.key(object)])
                case .bookmark(let version):
                    machine.observed(resourceVersion: version)
                case .error(let status):
                    let error = KubeAPIError.from(status: status.code ?? 500, body: (try? JSONEncoder().encode(status)) ?? Data())
                    problems?.failed(call("watch"), error)
                    logger.info("watch ended by the server", metadata: ["resource": "\(type.plural)", "status": "\(error)"])
                    return machine.watchEnded(error, random: random())
                }
            }
            return machine.watchEnded(nil, random: random())
        } catch {
            if Task.isCancelled { return machine.watchEnded(nil, random: 0) }
            let apiError = error as? KubeAPIError ?? .transport("\(error)")
            if problems?.failed(call("watch"), apiError) == nil {
                logger.info("watch dropped", metadata: ["resource": "\(type.plural)", "error": "\(apiError)"])
            }
            lastError = apiError.description
            return machine.watchEnded(apiError, random: random())
        }
    }

    private func call(_ verb: String) -> AccessProblem.Call { AccessProblem.Call(verb, type.plural, namespace: namespace) }

    private func notify(_ keys: [ResourceKey]) {
        for key in keys { keyChanges.send(key) }
    }
}
