import Foundation

/// Atomic replacement of small files, through `AtomicWriter`.
public enum AtomicFile {
    /// Replaces `path` with `data` durably; a failure is reported as `errorAs(message)`.
    public static func write(_ data: Data, to path: String, errorAs: (String) -> any Error) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do throws(AtomicWriter.Failure) {
            let writer = try AtomicWriter(directory: directory, prefix: ".tmp-")
            try writer.write(data)
            try writer.commit(to: path)
        } catch {
            throw errorAs("cannot save \(path): \(error)")
        }
    }
}
