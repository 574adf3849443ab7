import HourlyImageAPI
import Testing

@testable import HourlyImageCore

/// A fetched record from a source that is not Lorem Picsum.
func plainImage(_ tag: String, requested: String, source: String?, fetchedAt: Timestamp = t0) -> ImageRecord {
    let sha = String(repeating: tag, count: 64)
    return ImageRecord(
        file: "default/project-image/blobs/\(sha).png", sha256: sha, bytes: 10, contentType: "image/png",
        requestedURL: requested, sourceURL: source, fetchedAt: fetchedAt)
}

@Suite("Display fields for kubectl get: derived by the core with the rest of the status")
struct LifecycleDisplayTests {
    @Test("the first image writes IMAGE, GRACE, SHA256, SOURCE and the EXPIRES time")
    func firstFetch() {
        let p = pass(resource(ttl: "1h", graceCount: 3), now: t0, onDisk: [], fetch: .success(image("a")))
        let s = p.final.status
        #expect(s.imageLabel == "picsum/1")
        #expect(s.graceUsage == "0/3")
        #expect(s.shortSHA256 == String(repeating: "a", count: 12))
        #expect(s.redactedSourceURL == "https://fastly.picsum.photos/id/1/1200/1200.jpg")
        #expect(s.current?.expiresAt == at(3600), "the EXPIRES column reads current.expiresAt")
    }

    @Test("record alone already writes them, so a status written right after a fetch is complete")
    func recordWrites() {
        let status = Lifecycle.record(.success(image("a")), slot: .current, into: resource(graceCount: 2), now: t0, jitter: 0.5)
        #expect(status.imageLabel == "picsum/1")
        #expect(status.graceUsage == "0/2")
    }

    @Test("before any image: SOURCE shows spec.url redacted, the rest is absent")
    func noImageYet() {
        let r = resource(url: "https://user:secret@example.com/pic?token=abc&size=2")
        let d = Lifecycle.decide(r, blobs: [], now: t0)
        #expect(d.status.redactedSourceURL == "https://***@example.com/pic?token=***&size=***")
        #expect(d.status.imageLabel == nil && d.status.graceUsage == nil && d.status.shortSHA256 == nil)
        let failed = Lifecycle.record(.failure(FetchFailure(reason: .sourceUnreachable, message: "no route")), slot: .current,
                                      into: r, now: t0, jitter: 0.5)
        #expect(failed.redactedSourceURL == "https://***@example.com/pic?token=***&size=***")
    }

    @Test("a non-Picsum image is labelled by its file name, else its host; SOURCE is redacted", arguments: [
        ("https://example.com/random", "https://cdn.example.com/photos/cat.jpg?sig=1", "cat.jpg",
         "https://cdn.example.com/photos/cat.jpg?sig=***"),
        ("https://u:p@example.com:8443/?k=v", nil, "example.com:8443", "https://***@example.com:8443/?k=***"),
        ("https://example.com", "https://example.com#frag", "example.com", "https://example.com#frag"),
    ] as [(String, String?, String, String)])
    func nonPicsumLabel(requested: String, source: String?, label: String, redacted: String) {
        let r = resource(url: requested)
        let p = pass(r, now: t0, onDisk: [], fetch: .success(plainImage("c", requested: requested, source: source)))
        #expect(p.final.status.imageLabel == label)
        #expect(p.final.status.redactedSourceURL == redacted)
    }

    @Test("a grace view, a promotion and a graceCount change each leave GRACE agreeing with graceViews")
    func graceFollows() {
        var r = serving(graceCount: 2, pending: image("b", fetchedAt: at(3600)))
        r.status?.graceViews = 1
        var d = Lifecycle.decide(r, blobs: blobs(image("a"), image("b", fetchedAt: at(3600))), now: at(3700))
        #expect(d.status.graceUsage == "1/2")
        r.status = d.status
        r.status?.graceViews = 2
        d = Lifecycle.decide(r, blobs: blobs(image("a"), image("b", fetchedAt: at(3600))), now: at(3701))
        #expect(d.promoted)
        #expect(d.status.graceUsage == "0/2")
        #expect(d.status.shortSHA256 == String(repeating: "b", count: 12), "SHA256 follows the promoted image")
        r.status = d.status
        r.spec.graceCount = 5
        r.metadata.generation = 2
        #expect(Lifecycle.decide(r, blobs: blobs(image("b", fetchedAt: at(3600))), now: at(3702)).status.graceUsage == "0/5")
    }

    @Test("an invalid spec still gets display fields for the image it keeps serving")
    func invalidSpec() {
        var r = serving(graceCount: 1)
        r.spec.ttl = "soon"
        r.metadata.generation = 2
        let d = Lifecycle.decide(r, blobs: blobs(image("a")), now: at(10))
        #expect(d.status.imageLabel == "picsum/1")
        #expect(d.status.graceUsage == "0/1")
    }

    @Test("hostile ids, headers and URLs give bounded, single-line display fields")
    func hostileInput() {
        let long = "https://example.com/" + String(repeating: "é\u{301}", count: 5000) + ".jpg?token=" + String(repeating: "s", count: 5000)
        var record = plainImage("d", requested: long, source: long)
        var p = pass(resource(url: "https://example.com/x"), now: t0, onDisk: [], fetch: .success(record))
        let s = p.final.status
        #expect(s.imageLabel!.unicodeScalars.count <= StatusDisplay.maximumLabelLength)
        #expect(s.redactedSourceURL!.unicodeScalars.count <= StatusDisplay.maximumURLLength)
        let secret = "https://user:" + String(repeating: "s", count: 500) + "@example.com/a.jpg"
        p = pass(resource(url: secret), now: t0, onDisk: [], fetch: .success(plainImage("d", requested: secret, source: nil)))
        #expect(p.final.status.redactedSourceURL == "https://***@example.com/a.jpg", "redacted before it is cut")
        record.picsumID = "1\n2\u{7}" + String(repeating: "9", count: 1000)
        p = pass(resource(url: "https://example.com/x"), now: t0, onDisk: [], fetch: .success(record))
        let label = p.final.status.imageLabel!
        #expect(label.hasPrefix("picsum/1\\n2\\u{7}"))
        #expect(label.unicodeScalars.count <= StatusDisplay.maximumLabelLength && label.hasSuffix("…"))
    }
}
