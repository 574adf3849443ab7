import Foundation
import Testing

@testable import HourlyImageAPI

/// Values a user writes are bounded, and no arithmetic on them can trap (issue: one HourlyImage must never crash
/// the controller that serves everyone else).
@Suite("Hostile input: bounds and arithmetic")
struct HostileInputTests {
    @Test("TTLs beyond one year are refused, never parsed into a crash", arguments: [
        "99999999999999999999s", "100000000000h", "8760h1s", "8761h", "525601m", "1e400s",
    ])
    func ttlMaximum(ttl: String) {
        guard case .failure(let errors) = HourlyImageSpec(ttl: ttl).validated() else {
            Issue.record("\(ttl) accepted")
            return
        }
        #expect(errors.issues.map(\.field) == ["spec.ttl"])
    }

    @Test("one year exactly is the longest TTL accepted", arguments: ["8760h", "525600m", "31536000s"])
    func ttlAtTheMaximum(ttl: String) throws {
        let valid = try HourlyImageSpec(ttl: ttl).validated().get()
        #expect(valid.ttl.seconds == HourlyImageSpec.maximumTTLSeconds)
    }

    @Test("control characters in spec.url are refused", arguments: [
        "https://example.com/a\rb", "https://example.com/a\nb", "https://example.com/\ta", "https://exa\u{7F}mple.com/",
        "https://example.com/\u{0}",
    ])
    func controlCharacters(url: String) {
        guard case .failure(let errors) = HourlyImageSpec(url: url).validated() else {
            Issue.record("accepted \(url.debugDescription)")
            return
        }
        #expect(errors.issues.map(\.field) == ["spec.url"])
    }

    @Test("timestamp arithmetic saturates at the ends of what RFC 3339 can write", arguments: [
        1e20, -1e20, .infinity, -.infinity, .nan, 9.3e18, Double(Int64.max),
    ])
    func timestampArithmetic(seconds: Double) {
        let now = Timestamp(secondsSince1970: 1_800_000_000)
        let moved = now.adding(seconds: seconds)
        #expect(moved.secondsSince1970 >= Timestamp.earliestSeconds && moved.secondsSince1970 <= Timestamp.latestSeconds)
        #expect(Timestamp(rfc3339: moved.rfc3339) == moved, "\(moved.rfc3339) reads back")
        let far = now + (try! Duration(parsing: "99999999999999999999s"))
        #expect(far.rfc3339 == "9999-12-31T23:59:59Z")
    }

    @Test("every timestamp the writer can produce reads back the same")
    func timestampsRoundTrip() {
        var generator = SystemRandomNumberGenerator()
        let samples = [Timestamp.earliestSeconds, Timestamp.latestSeconds, 0, -1, 951_782_400, 4_107_542_400]
            + (0..<2000).map { _ in Int64.random(in: Timestamp.earliestSeconds...Timestamp.latestSeconds, using: &generator) }
        for seconds in samples {
            let stamp = Timestamp(secondsSince1970: seconds)
            #expect(Timestamp(rfc3339: stamp.rfc3339) == stamp, "\(seconds) → \(stamp.rfc3339)")
        }
        #expect(Timestamp(secondsSince1970: .max).rfc3339 == "9999-12-31T23:59:59Z")
        #expect(Timestamp(secondsSince1970: .min).rfc3339 == "0001-01-01T00:00:00Z")
        #expect(Timestamp(Date(timeIntervalSince1970: .infinity)).rfc3339 == "9999-12-31T23:59:59Z")
    }

    @Test("counters read from outside saturate instead of trapping")
    func saturatingCounters() {
        #expect(Int.max.saturatingSuccessor == .max)
        #expect(Int64.max.saturatingSuccessor == .max)
        #expect(Int64.max.saturatingAdding(1) == .max)
        #expect(Int64.min.saturatingAdding(-1) == .min)
        #expect(41.saturatingSuccessor == 42)
        #expect(Duration(seconds: 1e30).canonical.hasSuffix("s"), "formatting a huge duration does not trap")
        #expect(Duration(seconds: .infinity).canonical.isEmpty == false)
    }
}
