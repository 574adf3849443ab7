import Foundation
import SystemSupport

/// Content-addressed image files on the volume: `<root>/<namespace>/<name>/blobs/<sha256>.<ext>`.
///
/// Crash safety: a blob is written to a temporary file in the same directory, fsynced, renamed
/// into place and the directory fsynced, so a reader never sees a partial image and a crash at
/// any instant leaves either the old set of blobs or the new one (plus a `.tmp-` file that
/// `sweepTemporaryFiles()` removes). Only one writer (the leading controller) uses a directory.
public struct BlobStore: Sendable {
    /// The volume root (absolute path).
    public let root: String
    /// Prefix of temporary files; never a valid blob name.
    public static let temporaryPrefix = ".tmp-"

    /// Creates a store rooted at `root` (made absolute; created on first write).
    public init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
    }

    /// The blob directory of one resource, relative to the root.
    public static func relativeDirectory(namespace: String, name: String) -> String {
        "\(namespace)/\(name)/blobs"
    }

    /// The absolute blob directory of one resource.
    public func directory(namespace: String, name: String) -> String {
        root + "/" + Self.relativeDirectory(namespace: namespace, name: name)
    }

    /// Opens a new temporary file in the resource's blob directory, creating it if needed.
    public func makeTemporaryFile(namespace: String, name: String) throws(StorageError) -> TemporaryBlob {
        let dir = directory(namespace: namespace, name: name)
        try FileSystem.makeDirectories(dir)
        do throws(AtomicWriter.Failure) {
            return TemporaryBlob(try AtomicWriter(directory: dir, prefix: Self.temporaryPrefix))
        } catch {
            throw StorageError(error)
        }
    }

    /// Publishes a finished temporary file as `<sha256>.<ext>` and returns its path relative to the root.
    ///
    /// Identical content is stored once: if the blob exists, the temporary file is dropped and
    /// the existing blob's modification time is refreshed so pruning treats it as new.
    public func publish(_ temporary: TemporaryBlob, sha256: String, fileExtension: String) throws(StorageError) -> String {
        precondition(Self.isBlobName(sha256 + "." + fileExtension), "not a blob name: \(sha256).\(fileExtension)")
        let finalPath = temporary.directory + "/" + sha256 + "." + fileExtension
        do throws(AtomicWriter.Failure) {
            if access(finalPath, F_OK) == 0 {
                temporary.discard()  // the same bytes are stored already: no need to flush a copy that is deleted
                utimes(finalPath, nil)
                try AtomicWriter.syncDirectory(temporary.directory)
            } else {
                try temporary.file.commit(to: finalPath)
            }
        } catch {
            throw StorageError(error)
        }
        return String(finalPath.dropFirst(root.count + 1))
    }

    /// The published blobs of one resource, with sizes and modification times.
    public func list(namespace: String, name: String) throws(StorageError) -> [BlobInfo] {
        let dir = directory(namespace: namespace, name: name)
        let relativeDir = Self.relativeDirectory(namespace: namespace, name: name)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir)
        } catch {
            if access(dir, F_OK) != 0 && errno == ENOENT { return [] }
            throw StorageError.io(operation: "list", path: dir, errno: errno == 0 ? EIO : errno)
        }
        var blobs: [BlobInfo] = []
        for name in names where Self.isBlobName(name) {
            var info = stat()
            guard stat(dir + "/" + name, &info) == 0 else { continue }
            blobs.append(
                BlobInfo(
                    relativePath: relativeDir + "/" + name, sha256: String(name.prefix(64)), bytes: Int64(info.st_size),
                    modified: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))))
        }
        return blobs.sorted { $0.relativePath < $1.relativePath }
    }

    /// Deletes blobs by their relative paths; a blob already gone is not an error.
    public func remove(_ relativePaths: [String]) throws(StorageError) {
        var directories: Set<String> = []
        for relative in relativePaths {
            let path = try resolveForWrite(relative)
            if unlink(path) != 0 && errno != ENOENT {
                throw StorageError.from(errno: errno, operation: "delete", path: path)
            }
            directories.insert((path as NSString).deletingLastPathComponent)
        }
        for dir in directories { try FileSystem.syncDirectory(dir) }
    }

    /// Deletes everything stored for one resource (the finalizer's job).
    public func removeAll(namespace: String, name: String) throws(StorageError) {
        let dir = root + "/" + namespace + "/" + name
        guard access(dir, F_OK) == 0 else { return }
        do {
            try FileManager.default.removeItem(atPath: dir)
        } catch {
            throw StorageError.io(operation: "delete", path: dir, errno: (error as NSError).code == 0 ? EIO : Int32((error as NSError).code))
        }
    }

    /// Removes temporary files left by a crash mid-write; returns how many were removed.
    @discardableResult
    public func sweepTemporaryFiles() -> Int {
        var removed = 0
        let fm = FileManager.default
        for namespace in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            for name in (try? fm.contentsOfDirectory(atPath: root + "/" + namespace)) ?? [] {
                // The blobs' directory, and the resource's own, where the history index is written.
                for dir in [directory(namespace: namespace, name: name), root + "/" + namespace + "/" + name] {
                    for entry in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where entry.hasPrefix(Self.temporaryPrefix) {
                        if unlink(dir + "/" + entry) == 0 { removed += 1 }
                    }
                }
            }
        }
        return removed
    }

    /// True for `<64 lowercase hex>.<ext>` names.
    public static func isBlobName(_ name: String) -> Bool {
        // On the bytes: the web asks for every image request, and Character's Unicode properties cost more than the
        // rest of a 304.
        let bytes = name.utf8
        guard (66...73).contains(bytes.count) else { return false }
        var index = 0
        for byte in bytes {
            switch index {
            case 0..<64: guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else { return false }
            case 64: guard byte == UInt8(ascii: ".") else { return false }
            default:
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) else { return false }
            }
            index += 1
        }
        return true
    }

    private func resolveForWrite(_ relative: String) throws(StorageError) -> String {
        guard (try? BlobPath.validate(relative)) != nil else {
            throw StorageError.io(operation: "delete", path: relative, errno: EINVAL)
        }
        return root + "/" + relative
    }
}

/// One published blob.
public struct BlobInfo: Sendable, Hashable {
    /// Path relative to the volume root.
    public var relativePath: String
    /// The SHA-256 the name carries.
    public var sha256: String
    /// Size in bytes.
    public var bytes: Int64
    /// Last modification (publication) time.
    public var modified: Date
}
