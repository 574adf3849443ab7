import Foundation

/// Small POSIX helpers for durable directory changes.
enum FileSystem {
    /// `mkdir -p`, fsyncing each parent of a directory it creates so the new entry survives a crash.
    static func makeDirectories(_ path: String) throws(StorageError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { return }
        let parent = (path as NSString).deletingLastPathComponent
        if parent != path && !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw StorageError.from(errno: errno, operation: "mkdir", path: path)
        }
        try syncDirectory(parent)
    }

    /// fsyncs a directory so renames and unlinks in it are durable.
    static func syncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.from(errno: errno, operation: "open directory", path: path) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            throw StorageError.from(errno: errno, operation: "fsync directory", path: path)
        }
    }
}
