import Foundation
import TestSupport
import Testing

@testable import HourlyImageAPI

/// A small deterministic generator (SplitMix64), so a failing input can be reproduced from the seed in the message.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fuzzing of the parsers that take user text: random and mutated inputs for a bounded time must never trap, and
/// whatever parses must round-trip. (A crash here fails the whole test run, which is the point.)
@Suite("Fuzz: duration and timestamp parsers")
struct FuzzTests {
    static let seed: UInt64 = UInt64(ProcessInfo.processInfo.environment["HOURLY_IMAGE_FUZZ_SEED"] ?? "") ?? 0x5EED_2026
    /// Inputs per parser: enough to find the traps of old (a huge TTL, a 5-digit year), cheap enough (well under a
    /// second) not to disturb the timing-sensitive tests running beside it on two cores.
    static let iterations = 5000

    /// Strings built from the characters the parsers care about, with occasional arbitrary scalars.
    static func text(_ rng: inout SeededGenerator, alphabet: [Character]) -> String {
        let length = Int.random(in: 0...40, using: &rng)
        return String((0..<length).map { _ in
            Int.random(in: 0..<20, using: &rng) == 0
                ? Character(Unicode.Scalar(UInt32.random(in: 0...0x2FFF, using: &rng)) ?? "?")
                : alphabet.randomElement(using: &rng)!
        })
    }

    @Test("Duration(parsing:) on random text: no trap; a parsed value is finite and validation never traps")
    func durations() async throws {
        let (tried, failures) = try await onOwnThread { () -> (Int, [String]) in
            var rng = SeededGenerator(state: Self.seed)
            let alphabet = Array("0123456789.hmsnuµ +-e") + ["9"]
            var tried = 0
            var failures: [String] = []
            while tried < Self.iterations {
                let input = Self.text(&rng, alphabet: alphabet)
                tried += 1
                if let duration = try? Duration(parsing: input) {
                    if !(duration.seconds.isFinite && duration.seconds >= 0) { failures.append(input.debugDescription) }
                    _ = Timestamp(secondsSince1970: 0) + duration
                    _ = HourlyImageSpec(ttl: input).validated()
                }
            }
            return (tried, failures)
        }
        #expect(failures.isEmpty, "seed \(Self.seed): \(failures.prefix(5))")
        #expect(tried == Self.iterations)
    }

    @Test("Timestamp(rfc3339:) on random and mutated text: no trap; a parsed value writes back and reads the same")
    func timestamps() async throws {
        let (tried, failures) = try await onOwnThread { () -> (Int, [String]) in
        var failures: [String] = []
        var rng = SeededGenerator(state: Self.seed ^ 0xA5A5)
        let alphabet = Array("0123456789-T:Z.+tz ")
        let valid = ["2026-11-22T10:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00+23:59", "2026-02-31T24:00:61.999-00:00"]
        var tried = 0
        while tried < Self.iterations {
            var input = Self.text(&rng, alphabet: alphabet)
            if Bool.random(using: &rng) {
                var chars = Array(valid.randomElement(using: &rng)!)
                for _ in 0..<Int.random(in: 1...3, using: &rng) where !chars.isEmpty {
                    chars[Int.random(in: 0..<chars.count, using: &rng)] = alphabet.randomElement(using: &rng)!
                }
                input = String(chars)
            }
            tried += 1
            if let stamp = Timestamp(rfc3339: input), Timestamp(rfc3339: stamp.rfc3339) != stamp {
                failures.append("\(input.debugDescription) → \(stamp.rfc3339)")
            }
        }
        return (tried, failures)
        }
        #expect(failures.isEmpty, "seed \(Self.seed): \(failures.prefix(5))")
        #expect(tried == Self.iterations)
    }
}
