import Foundation
import SystemSupport

extension BlobStore {
    /// The history index of one resource, beside its blobs: `<namespace>/<name>/history.json`.
    public static let historyFileName = "history.json"
    /// The largest history index read; a bigger file is treated as damaged and ignored.
    public static let maximumHistoryBytes = 1 << 20

    private func historyPath(namespace: String, name: String) -> String {
        root + "/" + namespace + "/" + name + "/" + Self.historyFileName
    }

    /// The history index's bytes, or nil when there is none (or it is not a regular file, or too large).
    public func readHistory(namespace: String, name: String) -> Data? {
        let path = historyPath(namespace: namespace, name: name)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= Self.maximumHistoryBytes else { return nil }
        var data = Data(count: Int(info.st_size))
        let read = data.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        return read == data.count ? data : nil
    }

    /// Replaces the history index atomically (temporary file, fsync, rename, directory fsync): a crash leaves the old
    /// index or the new one.
    public func writeHistory(_ data: Data, namespace: String, name: String) throws(StorageError) {
        let dir = root + "/" + namespace + "/" + name
        try FileSystem.makeDirectories(dir)
        do throws(AtomicWriter.Failure) {
            let writer = try AtomicWriter(directory: dir, prefix: Self.temporaryPrefix)
            try writer.write(data)
            try writer.commit(to: dir + "/" + Self.historyFileName)
        } catch {
            throw StorageError(error)
        }
    }
}
