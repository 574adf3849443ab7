import Foundation
import HourlyImageAPI
import HourlyImageCore
import HourlyImageStore
import Logging
import SystemSupport

/// The standalone resource store: resources from files, status persisted in the data directory.
///
/// Each resource's state lives in `<data>/state/<namespace>/<name>.json`, written atomically
/// (temporary file, fsync, rename, directory fsync), so a SIGKILL at any instant leaves the
/// previous state or the new one and a restart serves the same image with the same expiry.
public actor FileResourceStore: ResourceStore, RefreshRequesting {
    private var resources: [ResourceKey: HourlyImage] = [:]
    private let keyChanges = Broadcast<ResourceKey>()
    private var resourceVersion: Int
    private let stateDirectory: String
    private let writer = DispatchQueue(label: "hourly-image.state-writer")
    private let logger: Logger

    /// Loads `resources`, restoring each one's generation and status from `dataDirectory`; a directory that
    /// cannot be created or written is a ``DataDirectoryError`` naming the path and the reason.
    public init(resources loaded: [HourlyImage], dataDirectory: String, logger: Logger = Logger(label: "hourly-image.store")) throws {
        self.stateDirectory = dataDirectory + "/state"
        self.logger = logger
        try DataDirectoryError.prepare(stateDirectory, dataDirectory: dataDirectory)
        var highest = 0
        var restored: [ResourceKey: HourlyImage] = [:]
        for var resource in loaded {
            let key = ResourceKey(resource)
            let saved = Self.readState(Self.path(stateDirectory, key))
            let savedVersion = Int(saved?.metadata.resourceVersion ?? "0") ?? 0
            highest = max(highest, savedVersion)
            resource.metadata.namespace = key.namespace
            resource.metadata.uid = saved?.metadata.uid ?? UUID().uuidString.lowercased()
            resource.metadata.creationTimestamp = saved?.metadata.creationTimestamp ?? Timestamp(Date())
            let savedGeneration = saved?.metadata.generation ?? 0
            resource.metadata.generation = saved?.spec == resource.spec ? max(savedGeneration, 1) : savedGeneration.saturatingSuccessor
            resource.status = saved?.status
            // A refresh is asked for on the admin port, and the value it set is kept with the state; one in the
            // file would refresh again at every start.
            if resource.metadata.annotations?[RefreshRequest.annotation] != nil {
                logger.warning("ignoring the refresh annotation in a resource file; POST /images/\(key.namespace)/\(key.name)/refresh on the admin port refreshes",
                               metadata: ["hourlyimage": "\(key)"])
            }
            resource.metadata.annotations?[RefreshRequest.annotation] = nil
            if let value = saved?.metadata.annotations?[RefreshRequest.annotation] {
                resource.metadata.annotations = (resource.metadata.annotations ?? [:]).merging([RefreshRequest.annotation: value]) { $1 }
            }
            if resource.metadata.annotations?.isEmpty == true { resource.metadata.annotations = nil }
            resource.metadata.resourceVersion = String(savedVersion)
            restored[key] = resource
        }
        self.resources = restored
        self.resourceVersion = highest
    }

    /// True: the store is loaded when it exists.
    public var isReady: Bool { true }

    public func list() -> [HourlyImage] { resources.values.sorted { ResourceKey($0) < ResourceKey($1) } }

    public func get(_ key: ResourceKey) -> HourlyImage? { resources[key] }

    public func updateStatus(of resource: HourlyImage, to status: HourlyImageStatus) async throws -> HourlyImage {
        let key = ResourceKey(resource)
        guard var stored = resources[key] else { throw StoreError.notFound(key) }
        guard stored.metadata.resourceVersion == resource.metadata.resourceVersion else { throw StoreError.conflict(key) }
        stored.status = status
        return try await commit(stored)
    }

    public func updateFinalizers(of resource: HourlyImage, to finalizers: [String]) async throws -> HourlyImage? {
        let key = ResourceKey(resource)
        guard var stored = resources[key] else { throw StoreError.notFound(key) }
        guard stored.metadata.resourceVersion == resource.metadata.resourceVersion else { throw StoreError.conflict(key) }
        stored.metadata.finalizers = finalizers.isEmpty ? nil : finalizers
        return try await commit(stored)
    }

    public func recordGraceView(_ key: ResourceKey, currentSHA256: String, seenViews: Int) async throws -> Bool {
        guard var stored = resources[key], let status = stored.status,
            status.current?.sha256 == currentSHA256, (status.graceViews ?? 0) == seenViews
        else { return false }
        stored.status = Lifecycle.afterGraceView(status, seen: seenViews, graceCount: stored.spec.graceCount)
        _ = try await commit(stored)
        return true
    }

    public func requestRefresh(_ key: ResourceKey, value: String) async throws -> HourlyImage? {
        guard var stored = resources[key] else { return nil }
        stored.metadata.annotations = (stored.metadata.annotations ?? [:]).merging([RefreshRequest.annotation: value]) { $1 }
        return try await commit(stored)
    }

    public func changes() -> AsyncStream<ResourceKey> {
        keyChanges.subscribe(initial: resources.keys.sorted())
    }

    /// Bumps the resourceVersion, saves atomically, then publishes the change.
    private func commit(_ resource: HourlyImage) async throws -> HourlyImage {
        var resource = resource
        resourceVersion += 1
        resource.metadata.resourceVersion = String(resourceVersion)
        let key = ResourceKey(resource)
        resources[key] = resource
        let data = try JSONEncoder.sorted.encode(resource)
        let path = Self.path(stateDirectory, key)
        // Writes are queued in commit order on one serial queue, off the concurrency pool.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            writer.async { continuation.resume(with: Result { try AtomicFile.write(data, to: path, errorAs: StoreError.unavailable) }) }
        }
        keyChanges.send(key)
        return resource
    }

    static func path(_ directory: String, _ key: ResourceKey) -> String {
        "\(directory)/\(key.namespace)/\(key.name).json"
    }

    static func readState(_ path: String) -> HourlyImage? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(HourlyImage.self, from: data)
    }
}

extension JSONEncoder {
    /// Pretty, key-sorted JSON: stable files a person can read.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
