import Foundation

/// A file being written beside its final place; invisible to readers until `BlobStore.publish`.
///
/// Not thread-safe: one writer at a time (the transfer thread that fills it).
public final class TemporaryBlob: @unchecked Sendable {
    /// Absolute path of the temporary file (`…/blobs/.tmp-<random>`).
    public let path: String
    /// The directory the blob will be published in.
    public let directory: String
    /// Bytes written so far.
    public private(set) var bytesWritten: Int64 = 0
    var descriptor: Int32

    init(path: String, directory: String, descriptor: Int32) {
        self.path = path
        self.directory = directory
        self.descriptor = descriptor
    }

    deinit { discard() }

    /// Appends bytes, retrying short writes; a full disk is `StorageError.noSpace`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        guard descriptor >= 0 else { throw .io(operation: "write", path: path, errno: EBADF) }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError.from(errno: errno, operation: "write", path: path)
            }
            offset += n
        }
        bytesWritten += Int64(bytes.count)
    }

    /// Appends bytes from a `Data` value.
    public func write(_ data: Data) throws(StorageError) {
        var failure: StorageError?
        data.withUnsafeBytes { raw in
            do throws(StorageError) { try self.write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Closes and deletes the temporary file; safe to call more than once.
    public func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
            unlink(path)
        }
    }

    /// Flushes to stable storage and closes, keeping the file (used by `publish`).
    func syncAndClose() throws(StorageError) {
        guard descriptor >= 0 else { throw .io(operation: "fsync", path: path, errno: EBADF) }
        if fsync(descriptor) != 0 {
            let code = errno
            discard()
            throw StorageError.from(errno: code, operation: "fsync", path: path)
        }
        if close(descriptor) != 0 {
            let code = errno
            descriptor = -1
            unlink(path)
            throw StorageError.from(errno: code, operation: "close", path: path)
        }
        descriptor = -1
    }
}
