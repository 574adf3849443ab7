// Fetches one URL several times through ImageFetcher and prints the median wall time.
// Usage: fetch-bench <url> <runs> <scratch-dir>   (run by `make bench`; see docs/benchmarks.md)
import BlobStore
import Foundation
import ImageFetch
import Logging

let arguments = CommandLine.arguments
guard arguments.count == 4, let runs = Int(arguments[2]), runs > 0 else {
    FileHandle.standardError.write(Data("usage: fetch-bench <url> <runs> <scratch-dir>\n".utf8))
    exit(2)
}
var options = FetchOptions()
options.addressPolicy = AddressPolicy(allowPrivateNetworks: true)  // the benchmark serves on loopback
var logger = Logger(label: "fetch-bench")
logger.logLevel = .warning
let fetcher = ImageFetcher(store: BlobStore(root: arguments[3]), options: options, logger: logger)
var seconds: [Double] = []
for run in 0..<runs {
    let started = ContinuousClock.now
    let image = try await fetcher.fetch(arguments[1], namespace: "bench", name: "run\(run)")
    let elapsed = ContinuousClock.now - started
    seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    try FileManager.default.removeItem(atPath: arguments[3] + "/" + image.file)
}
seconds.sort()
print(String(format: "%.4f", seconds[seconds.count / 2]))
