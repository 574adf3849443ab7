import Testing

@testable import HourlyImageAPI

@Suite("Display texts for kubectl get")
struct StatusDisplayTests {
    @Test("GRACE is used/allowed, used clamped to the allowed range", arguments: [
        (0, 1, "0/1"), (1, 3, "1/3"), (5, 2, "2/2"), (-1, 2, "0/2"), (0, 0, "0/0"), (3, -4, "0/0"),
    ])
    func graceUsage(used: Int, allowed: Int, expected: String) {
        #expect(StatusDisplay.graceUsage(used: used, allowed: allowed) == expected)
    }

    static func record(picsumID: String? = nil, requested: String? = nil, source: String? = nil) -> ImageRecord {
        ImageRecord(file: "f", sha256: String(repeating: "ab", count: 32), bytes: 1, contentType: "image/png",
                    requestedURL: requested, sourceURL: source, picsumID: picsumID, fetchedAt: Timestamp(secondsSince1970: 0))
    }

    @Test("IMAGE: Picsum id, else the source's file name, else its host, else the short SHA-256", arguments: [
        (record(picsumID: "237", source: "https://x/y.jpg"), "picsum/237"),
        (record(requested: "https://a.example/r", source: "https://b.example/p/q.webp?s=1#f"), "q.webp"),
        (record(requested: "https://a.example/dir/"), "dir"),
        (record(requested: "http://me:pw@a.example:81"), "a.example:81"),
        (record(requested: "not a url"), "abababababab"),
        (record(picsumID: ""), "abababababab"),
    ])
    func imageLabel(record: ImageRecord, expected: String) {
        #expect(StatusDisplay.imageLabel(record) == expected)
    }

    @Test("long or control-laden text is escaped and cut by Unicode scalars, as the API server's maxLength counts")
    func bounded() {
        #expect(StatusDisplay.bounded("a\tb", 10) == "a\\tb")
        let cut = StatusDisplay.bounded(String(repeating: "e\u{301}", count: 100), 10)
        #expect(cut.unicodeScalars.count == 10 && cut.hasSuffix("…"))
        #expect(StatusDisplay.url("https://example.com/" + String(repeating: "x", count: 100_000)).unicodeScalars.count
            == StatusDisplay.maximumURLLength)
    }
}
