import Foundation

/// Why the data directory cannot be used, naming the path: "cannot create /srv/data/state: Permission denied".
public struct DataDirectoryError: Error, CustomStringConvertible, LocalizedError {
    /// The directory given (`--data`).
    public let dataDirectory: String
    /// The path that failed, absolute.
    public let path: String
    /// What failed and why.
    public let reason: String

    public var description: String { "the data directory \(dataDirectory) is not usable: \(reason) (\(path))" }
    public var errorDescription: String? { description }

    /// Creates `directory` (and its parents) and checks a file can be written in it.
    static func prepare(_ directory: String, dataDirectory: String) throws(DataDirectoryError) {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.path
        func fail(_ what: String, _ error: Int32) -> DataDirectoryError {
            DataDirectoryError(dataDirectory: dataDirectory, path: path, reason: "\(what): \(String(cString: strerror(error)))")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw DataDirectoryError(dataDirectory: dataDirectory, path: path, reason: "it is a file, not a directory")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            // Find the first component that is in the way or cannot be created, for a message that says which.
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += "/" + component
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: prefix, isDirectory: &isDir) {
                    if !isDir.boolValue {
                        throw DataDirectoryError(dataDirectory: dataDirectory, path: prefix, reason: "cannot create \(path): \(prefix) is a file, not a directory")
                    }
                } else if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                    throw fail("cannot create \(prefix)", errno)
                }
            }
            throw DataDirectoryError(dataDirectory: dataDirectory, path: path, reason: "cannot create it: \(error.localizedDescription)")
        }
        let probe = path + "/.write-check-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("cannot write in it", errno) }
        close(fd)
        unlink(probe)
    }
}
