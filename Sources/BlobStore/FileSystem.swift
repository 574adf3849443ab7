import Foundation
import SystemSupport

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
        do throws(AtomicWriter.Failure) { try AtomicWriter.syncDirectory(path) } catch { throw StorageError(error) }
    }
}
