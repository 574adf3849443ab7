import Foundation

/// The read side: turns a relative path from status into a file inside the volume, or refuses it.
public enum BlobPath {
    /// Checks the shape of a relative path: not absolute, no empty, `.` or `..` components.
    public static func validate(_ relative: String) throws(BlobPathError) {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\0") else { throw .invalid(relative) }
        for component in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty || component == "." || component == ".." { throw .invalid(relative) }
        }
    }

    /// The absolute path of `relative` under `root`, refusing paths that escape it (symlinks included).
    public static func resolve(_ relative: String, under root: String) throws(BlobPathError) -> String {
        try validate(relative)
        guard let realRoot = realPath(root) else { throw .notFound(relative) }
        guard let real = realPath(root + "/" + relative) else { throw .notFound(relative) }
        guard real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") else { throw .escapesRoot(relative) }
        return real
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension BlobStore {
    /// Opens a blob for reading by its relative path; the caller closes the returned descriptor.
    public func openForReading(_ relative: String) throws(BlobPathError) -> (descriptor: Int32, bytes: Int64) {
        let path = try BlobPath.resolve(relative, under: root)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .notFound(relative) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notFound(relative)
        }
        return (fd, Int64(info.st_size))
    }

    /// Reads a whole blob into memory (for small images and tests).
    public func read(_ relative: String) throws(BlobPathError) -> Data {
        let path = try BlobPath.resolve(relative, under: root)
        guard let data = FileManager.default.contents(atPath: path) else { throw .notFound(relative) }
        return data
    }
}
