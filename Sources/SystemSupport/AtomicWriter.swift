import Foundation

/// A file written beside its final place, flushed, then renamed into it: the one atomic-write primitive.
///
/// A reader never sees a partial file, and a crash at any instant leaves the old file (plus a
/// temporary one a sweep can remove). Not thread-safe: one writer at a time.
public final class AtomicWriter: @unchecked Sendable {
    /// A failed system call: what was done, on which path, and errno.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The operation, e.g. "write" or "rename".
        public var operation: String
        /// The path it was done on.
        public var path: String
        /// The errno it failed with.
        public var code: Int32

        public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
    }

    /// Absolute path of the temporary file.
    public let path: String
    /// The directory the file is written and renamed in.
    public let directory: String
    /// Bytes written so far.
    public private(set) var bytesWritten: Int64 = 0
    private var state: State

    /// Where the file is: open for writing, flushed and closed, or finished with (committed or deleted).
    private enum State {
        case open(Int32)
        case synced
        case finished
    }

    /// Creates a new temporary file `<directory>/<prefix><random>`; the directory must exist.
    public init(directory: String, prefix: String) throws(Failure) {
        let path = directory + "/" + prefix + UUID().uuidString.lowercased()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(operation: "create", path: path, code: errno) }
        self.path = path
        self.directory = directory
        self.state = .open(fd)
    }

    deinit { discard() }

    /// Appends bytes, retrying short and interrupted writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        guard case .open(let descriptor) = state else { throw Failure(operation: "write", path: path, code: EBADF) }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(operation: "write", path: path, code: errno)
            }
            offset += n
        }
        bytesWritten += Int64(bytes.count)
    }

    /// Appends the bytes of a `Data` value.
    public func write(_ data: Data) throws(Failure) {
        var failure: Failure?
        data.withUnsafeBytes { raw in
            do throws(Failure) { try self.write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Flushes the file to stable storage and closes it, keeping it; on failure the file is deleted.
    public func sync() throws(Failure) {
        switch state {
        case .synced: return
        case .finished: throw Failure(operation: "fsync", path: path, code: EBADF)
        case .open(let fd):
            state = .finished  // whatever happens below, the descriptor is closed
            if fsync(fd) != 0 {
                let code = errno
                close(fd)
                unlink(path)
                throw Failure(operation: "fsync", path: path, code: code)
            }
            if close(fd) != 0 {
                let code = errno
                unlink(path)
                throw Failure(operation: "close", path: path, code: code)
            }
            state = .synced
        }
    }

    /// Syncs, renames the file to `finalPath` (in the same directory) and fsyncs the directory.
    public func commit(to finalPath: String) throws(Failure) {
        try sync()
        state = .finished
        guard rename(path, finalPath) == 0 else {
            let code = errno
            unlink(path)
            throw Failure(operation: "rename", path: finalPath, code: code)
        }
        try Self.syncDirectory(directory)
    }

    /// Closes and deletes the temporary file unless it was committed; safe to call more than once.
    public func discard() {
        switch state {
        case .open(let fd):
            close(fd)
            unlink(path)
        case .synced:
            unlink(path)
        case .finished:
            break
        }
        state = .finished
    }

    /// fsyncs a directory so renames and unlinks in it are durable.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(operation: "open directory", path: path, code: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL { throw Failure(operation: "fsync directory", path: path, code: errno) }
    }
}
