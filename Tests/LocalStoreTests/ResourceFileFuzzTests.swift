import Foundation
import Testing

@testable import LocalStore

/// Fuzzing of the resource-file loader: mutated YAML (valid documents with bytes flipped, aliases, anchors, deep
/// nesting) for a bounded time must always end in resources or reported errors, never a trap or a hang.
@Suite("Fuzz: resource-file loader")
struct ResourceFileFuzzTests {
    static let seed: UInt64 = UInt64(ProcessInfo.processInfo.environment["HOURLY_IMAGE_FUZZ_SEED"] ?? "") ?? 0x5EED_2026

    static let corpus = [
        "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata: {name: a}\nspec: {ttl: 1h, url: https://x.example/1}\n",
        "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata:\n  name: b\n  labels: {k: v}\nspec:\n  graceCount: 2\n  keep: 3\n---\nkind: HourlyImage\nmetadata: {name: c}\nspec: {}\n",
        "a: &x [1, 2]\nb: *x\nspec: *x\n",
        "spec: {ttl: [[[[[[[[[[]]]]]]]]]]}\n",
        "metadata: {name: \"\\u0000\"}\nspec: {url: \"https://a\\r\\nb\"}\n",
    ]

    @Test("150 seeded mutations of resource files always load or report errors, never trap")
    func mutatedFiles() async throws {
        // On its own thread: a CPU-bound loop on the two-thread cooperative pool would stall the tests beside it.
        let (tried, failures) = await withCheckedContinuation { (continuation: CheckedContinuation<(Int, [String]), Never>) in
            Thread { continuation.resume(returning: Self.fuzz()) }.start()
        }
        #expect(failures.isEmpty, "seed \(Self.seed): \(failures.prefix(3))")
        #expect(tried == 150)
    }

    static func fuzz() -> (Int, [String]) {
        var failures: [String] = []
        var rng = SeedRNG(state: Self.seed)
        let dir = TempDir()
        let pieces = Array(":-{}[]&*!|>'\"#\n ,?%@`~0123456789abcxyz\t\\")
        var tried = 0
        while tried < 150 {
            var bytes = Array(Self.corpus.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let index = Int.random(in: 0...bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where index < bytes.count: bytes.remove(at: index)
                case 1: bytes.insert(pieces.randomElement(using: &rng)!, at: index)
                default: if index < bytes.count { bytes[index] = pieces.randomElement(using: &rng)! }
                }
            }
            let file = dir.write("fuzz-\(tried % 8).yaml", String(bytes))
            tried += 1
            do {
                _ = try ResourceFileLoader.load(paths: [file])
            } catch let errors as ResourceFileErrors {
                if errors.errors.isEmpty { failures.append("empty error list for \(String(bytes).debugDescription)") }
            } catch {
                failures.append("\(String(bytes).debugDescription): unexpected \(error)")
            }
        }
        return (tried, failures)
    }
}

/// SplitMix64, as in the API fuzz tests (a failing input is reproduced from the seed).
struct SeedRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
