import BlobStore
import Crypto
import Foundation
import ImageFetch
import TestSupport
import Testing

/// A fresh temporary directory per test, removed when released.
final class TestDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-fetch-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Every file under the directory, relative to it.
    func files() -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
            .filter { !isDirectory(path + "/" + $0) }.sorted()
    }

    private func isDirectory(_ p: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && isDir.boolValue
    }
}

/// Options for loopback tests: private networks allowed, short timeouts.
func loopbackOptions(_ change: (inout FetchOptions) -> Void = { _ in }) -> FetchOptions {
    var options = FetchOptions()
    options.addressPolicy = AddressPolicy(allowPrivateNetworks: true)
    options.connectTimeout = 2
    options.totalTimeout = 10
    change(&options)
    return options
}

/// Runs a fetch that must fail and returns its `FetchError`.
func fetchError(_ fetcher: ImageFetcher, _ url: String) async -> FetchError? {
    do {
        let image = try await fetcher.fetch(url, namespace: "default", name: "img")
        Issue.record("expected a failure, fetched \(image)")
        return nil
    } catch let error as FetchError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
