import Testing

@testable import HourlyImageAPI

@Suite("Validation")
struct ValidationTests {
    @Test("a default spec is valid with docs/design.md defaults")
    func defaults() throws {
        let valid = try HourlyImageSpec().validated().get()
        #expect(valid.urlText == "https://picsum.photos/1200")
        #expect(valid.ttl.seconds == 3600)
        #expect(valid.graceCount == 1)
        #expect(valid.keep == 3)
        #expect(valid.suspend == false)
    }

    @Test("every problem is reported at once, each naming its field")
    func allProblemsAtOnce() {
        let r = HourlyImage(
            metadata: ObjectMeta(name: "Bad_Name", namespace: "default"),
            spec: HourlyImageSpec(url: "ftp://example.com/x.jpg", ttl: "soon", graceCount: -1, keep: 0))
        guard case .failure(let errors) = r.validated() else {
            Issue.record("expected failure")
            return
        }
        #expect(errors.issues.map(\.field) == ["metadata.name", "spec.url", "spec.ttl", "spec.graceCount", "spec.keep"])
        #expect(errors.description.contains("spec.ttl: \"soon\" is not a duration"))
    }

    @Test("a TTL under one second is refused", arguments: ["500ms", "0s", "999ms"])
    func ttlMinimum(ttl: String) {
        guard case .failure(let errors) = HourlyImageSpec(ttl: ttl).validated() else {
            Issue.record("expected failure")
            return
        }
        #expect(errors.issues.map(\.field) == ["spec.ttl"])
    }

    @Test("URLs must be http or https with a host", arguments: [
        ("https://picsum.photos/1200", true), ("http://127.0.0.1:8080/x.jpg", true), ("HTTPS://EXAMPLE.COM/", true),
        ("ftp://example.com/x", false), ("file:///etc/passwd", false), ("picsum.photos/1200", false), ("https://", false),
        ("", false),
    ])
    func urls(url: String, ok: Bool) {
        let result = HourlyImageSpec(url: url).validated()
        if case .success = result { #expect(ok) } else { #expect(!ok) }
    }

    @Test("names follow Kubernetes rules", arguments: [("project-image", true), ("a.b-c", true), ("Caps", false), ("-x", false), ("x-", false), ("", false)])
    func names(name: String, ok: Bool) {
        let result = HourlyImage(metadata: ObjectMeta(name: name, namespace: "default")).validated()
        if case .success = result { #expect(ok) } else { #expect(!ok) }
    }
}
