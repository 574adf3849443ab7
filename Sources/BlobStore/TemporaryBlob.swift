import Foundation
import SystemSupport

/// A file being written beside its final place; invisible to readers until `BlobStore.publish`.
///
/// Not thread-safe: one writer at a time (the transfer thread that fills it).
public final class TemporaryBlob: @unchecked Sendable {
    let file: AtomicWriter

    init(_ file: AtomicWriter) { self.file = file }

    /// Absolute path of the temporary file (`…/blobs/.tmp-<random>`).
    public var path: String { file.path }
    /// The directory the blob will be published in.
    public var directory: String { file.directory }
    /// Bytes written so far.
    public var bytesWritten: Int64 { file.bytesWritten }

    /// Appends bytes, retrying short writes; a full disk is `StorageError.noSpace`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        do throws(AtomicWriter.Failure) { try file.write(bytes) } catch { throw StorageError(error) }
    }

    /// Appends bytes from a `Data` value.
    public func write(_ data: Data) throws(StorageError) {
        do throws(AtomicWriter.Failure) { try file.write(data) } catch { throw StorageError(error) }
    }

    /// Closes and deletes the temporary file; safe to call more than once.
    public func discard() { file.discard() }
}

extension StorageError {
    /// The storage error for a failed system call of the atomic writer.
    init(_ failure: AtomicWriter.Failure) {
        self = .from(errno: failure.code, operation: failure.operation, path: failure.path)
    }
}
