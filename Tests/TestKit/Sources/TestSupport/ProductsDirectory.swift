import Foundation

/// The directory holding the built executables (beside the test bundle), found by looking for `executable` in it.
public func productsDirectory(containing executable: String = "hourly-image") -> URL {
    for candidate in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
        var dir = candidate
        for _ in 0..<3 {
            dir = dir.deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent(executable).path) { return dir }
        }
    }
    return Bundle.main.bundleURL.deletingLastPathComponent()
}
