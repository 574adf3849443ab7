import Testing

@testable import HourlyImageAPI

@Suite("Duration")
struct DurationTests {
    @Test("parses Go-style durations", arguments: [
        ("90s", 90.0), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("1h0m0s", 3600), ("1.5h", 5400),
        ("500ms", 0.5), ("2h45m30s", 9930), ("0s", 0),
    ])
    func parses(text: String, seconds: Double) throws {
        #expect(try Duration(parsing: text).seconds == seconds)
    }

    @Test("prints the compact canonical form", arguments: [
        (90.0, "1m30s"), (600, "10m"), (3600, "1h"), (5400, "1h30m"), (3601, "1h1s"), (0.5, "500ms"), (0, "0s"),
    ])
    func prints(seconds: Double, text: String) throws {
        #expect(Duration(seconds: seconds).text == text)
        #expect(try Duration(parsing: text).seconds == seconds)
    }

    @Test("keeps the text as written so a round trip never rewrites the spec")
    func keepsText() throws {
        #expect(try Duration(parsing: "1h0m0s").text == "1h0m0s")
        #expect(try Duration(parsing: "1h0m0s").canonical == "1h")
    }

    @Test("rejects garbage with a message naming the field", arguments: ["", "soon", "10", "h", "1x", "1.h", ".5s", "1..5s", "-1s", "1h 30m", "1.2.3s"])
    func rejects(text: String) {
        #expect {
            try Duration(parsing: text, field: "spec.ttl")
        } throws: { error in
            guard let issue = error as? ValidationIssue else { return false }
            return issue.field == "spec.ttl" && issue.message.contains("90s, 10m, 1h or 1h30m")
        }
    }
}

@Suite("Timestamp")
struct TimestampTests {
    @Test("parses RFC 3339 as the API server writes it, with and without fractions", arguments: [
        ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z"),
        ("2026-11-22T10:00:00.123456Z", "2026-11-22T10:00:00Z"),
        ("2026-11-22T10:00:00.5Z", "2026-11-22T10:00:00Z"),
        ("2026-11-22T12:00:00+02:00", "2026-11-22T10:00:00Z"),
        ("2026-11-22T09:30:00-00:30", "2026-11-22T10:00:00Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func parses(text: String, canonical: String) throws {
        let t = try #require(Timestamp(rfc3339: text))
        #expect(t.rfc3339 == canonical)
    }

    @Test("knows the epoch offset of a known instant")
    func epoch() {
        #expect(Timestamp(rfc3339: "2026-11-22T10:00:00Z")?.secondsSince1970 == 1_795_341_600)
        #expect(Timestamp(secondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00Z")
    }

    @Test("rejects malformed times", arguments: ["", "2026-11-22", "2026-11-22T10:00:00", "2026-13-01T00:00:00Z", "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00Zjunk", "yesterday"])
    func rejects(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("round-trips through every second of a sample of days")
    func roundTrip() {
        for seconds in stride(from: Int64(-5_000_000_000), to: 5_000_000_000, by: 86_399 * 37) {
            let t = Timestamp(secondsSince1970: seconds)
            #expect(Timestamp(rfc3339: t.rfc3339) == t)
        }
    }
}
