import Foundation
import NIOCore
import Synchronization
import SystemSupport

/// Image bytes kept in memory, so a view of an image costs one `stat`, not two path resolutions and a file read.
///
/// Blobs are content-addressed and never change, so a copy stays right for as long as the file exists; each hit
/// checks that it still does (a pruned image is gone from the cache too). Bounded by total bytes, oldest out first;
/// a file larger than `maxFileBytes` is never kept (the caller streams it).
final class BlobCache: Sendable {
    /// One image in memory: the resolved path it was read from and its bytes.
    struct Blob: Sendable {
        let path: String
        let bytes: ByteBuffer
    }

    private struct State {
        var blobs: [String: Blob] = [:]
        var order: [String] = []
        var total = 0
        var loading: [String: Task<Blob?, Never>] = [:]
    }

    let capacityBytes: Int
    let maxFileBytes: Int
    private let state = Mutex(State())

    /// A cache of at most `capacityBytes`, keeping files of at most `maxFileBytes`.
    init(capacityBytes: Int = 64 << 20, maxFileBytes: Int = 8 << 20) {
        self.capacityBytes = max(0, capacityBytes)
        self.maxFileBytes = max(0, min(maxFileBytes, self.capacityBytes))
    }

    /// The cached blob for `key` if its file is still there with the same size.
    func cached(_ key: String) -> Blob? {
        guard let blob = state.withLock({ $0.blobs[key] }) else { return nil }
        var info = stat()
        guard stat(blob.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == blob.bytes.readableBytes else {
            forget(key)
            return nil
        }
        return blob
    }

    /// Reads the regular file at the resolved `path` (`size` bytes when checked) into the cache under `key`, off the
    /// cooperative pool; concurrent misses of one key share one read and one copy in memory. Nil when the file is too
    /// large or unreadable.
    func load(_ key: String, path: String, size: Int) async -> Blob? {
        guard size <= maxFileBytes else { return nil }
        let task = state.withLock { state -> Task<Blob?, Never> in
            if let blob = state.blobs[key] { return Task { blob } }  // read meanwhile by another view
            if let loading = state.loading[key] { return loading }
            let task = Task { () -> Blob? in
                let data = try? await OffPool.run(named: "hourly-image-blob") { try Data(contentsOf: URL(fileURLWithPath: path)) }
                return data.map { Blob(path: path, bytes: ByteBuffer(bytes: $0)) }
            }
            state.loading[key] = task
            return task
        }
        let blob = await task.value
        state.withLock { state in
            state.loading[key] = nil
            guard let blob, blob.bytes.readableBytes <= maxFileBytes, state.blobs[key] == nil else { return }
            state.blobs[key] = blob
            state.order.append(key)
            state.total += blob.bytes.readableBytes
            while state.total > capacityBytes, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                state.total -= state.blobs.removeValue(forKey: oldest)?.bytes.readableBytes ?? 0
            }
        }
        return blob
    }

    /// Drops `key` (its file is gone or changed).
    func forget(_ key: String) {
        state.withLock { state in
            guard let blob = state.blobs.removeValue(forKey: key) else { return }
            state.total -= blob.bytes.readableBytes
            state.order.removeAll { $0 == key }
        }
    }

    /// How many bytes are held.
    var totalBytes: Int { state.withLock { $0.total } }
}
