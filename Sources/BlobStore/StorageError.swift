import Foundation

/// A failure writing to or reading from the volume; the blobs already there stay intact.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The volume is full (`ENOSPC` or `EDQUOT`).
    case noSpace(path: String)
    /// The volume is mounted read-only or denies access (`EROFS`, `EACCES`, `EPERM`).
    case notWritable(path: String, errno: Int32)
    /// Any other system call failure.
    case io(operation: String, path: String, errno: Int32)

    /// Classifies an `errno` from `operation` on `path`.
    public static func from(errno code: Int32, operation: String, path: String) -> StorageError {
        switch code {
        case ENOSPC, EDQUOT: .noSpace(path: path)
        case EROFS, EACCES, EPERM: .notWritable(path: path, errno: code)
        default: .io(operation: operation, path: path, errno: code)
        }
    }

    public var description: String {
        switch self {
        case .noSpace(let path):
            "the volume is full while writing \(path); free space or grow the volume (the images already stored are kept)"
        case .notWritable(let path, let code):
            "cannot write \(path): \(String(cString: strerror(code))); check that the volume is mounted read-write for this user"
        case .io(let operation, let path, let code):
            "\(operation) \(path) failed: \(String(cString: strerror(code)))"
        }
    }
}

/// A relative blob path that the read side refuses.
public enum BlobPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Absolute, empty, or containing `..`, `.` or empty components.
    case invalid(String)
    /// Resolves (through a symlink) outside the volume root.
    case escapesRoot(String)
    /// No such blob.
    case notFound(String)

    public var description: String {
        switch self {
        case .invalid(let path): "\"\(path)\" is not a relative path inside the volume"
        case .escapesRoot(let path): "\"\(path)\" resolves outside the volume root"
        case .notFound(let path): "\(path) does not exist"
        }
    }
}
