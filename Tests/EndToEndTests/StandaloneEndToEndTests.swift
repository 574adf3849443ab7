import Foundation
import HourlyImageAPI
import TestSupport
import Testing

/// The sha256 in the page's `<img src=…/{sha256}.{ext}>`, or nil when the page shows no image.
func shownImage(_ page: String) -> String? {
    page.firstMatch(of: /<img src="\/images\/[^\/]+\/[^\/]+\/([0-9a-f]{64})\.[a-z]+"/).map { String($0.1) }
}

/// What one page view showed: the image, and how many grace views the page says are used (nil: not expired).
struct PageSeen: CustomStringConvertible {
    let image: String?
    let graceUsed: Int?
    var description: String { "(\(image?.prefix(8) ?? "no image"), grace \(graceUsed.map(String.init) ?? "-"))" }
}

/// Views the page `/` once (a GET: it counts as a page view).
func view(_ server: StandaloneProcess) async throws -> PageSeen {
    let page = try await TestHTTPClient.get(server.baseURL + "/").text
    return PageSeen(image: shownImage(page), graceUsed: page.firstMatch(of: /expired — (\d+) of \d+ grace view/).flatMap { Int($0.1) })
}

/// The resource's status from the standalone JSON API (on the admin port).
func status(_ server: StandaloneProcess) async throws -> [String: Any] {
    let response = try await TestHTTPClient.get(server.adminURL + "/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages/project-image")
    let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
    return object?["status"] as? [String: Any] ?? [:]
}

@Suite("hourly-image standalone, the real binary", .serialized)
struct StandaloneEndToEndTests {
    @Test("serves image A through the TTL and one grace view, then B; survives SIGKILL; exits 0 on SIGTERM")
    func lifecycle() async throws {
        let site = try StandaloneSite("e2e", spec: "ttl: 6s, graceCount: 1")
        let (dir, arguments) = (site.dir, site.arguments)

        var server = try await StandaloneProcess(arguments: arguments)
        // First view: image A (wait for the first fetch).
        var first: PageSeen?
        for _ in 0..<100 where first?.image == nil {
            first = try await view(server)
            if first?.image == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let imageA = try #require(first?.image, "no image shown; log:\n\(server.output)")
        // Each view says what it was: inside the TTL it shows A and counts nothing; the first view after expiry is
        // the one grace view. A machine slower than the 6 s TTL gets to expiry sooner, never to a different answer.
        var views = [try #require(first)]
        if views[0].graceUsed == nil {
            let second = try await view(server)
            #expect(second.image == imageA)
            if second.graceUsed == nil { #expect(try await status(server)["graceViews"] as? Int == 0) }
            views.append(second)
        }

        // After expiry the next image is prefetched into pending.
        for _ in 0..<400 where try await status(server)["pending"] == nil { try await Task.sleep(for: .milliseconds(50)) }
        let pending = try #require(try await status(server)["pending"] as? [String: Any], "no prefetch; log:\n\(server.output)")
        let imageB = try #require(pending["sha256"] as? String)
        #expect(imageB != imageA)

        // One grace view still shows A …
        if !views.contains(where: { $0.graceUsed != nil }) { views.append(try await view(server)) }
        let graceViews = views.filter { $0.graceUsed != nil }
        #expect(graceViews.count == 1, "\(views)")
        #expect(graceViews.first?.image == imageA)
        #expect(graceViews.first?.graceUsed == 1)
        // … and the next view shows B.
        #expect(shownImage(try await TestHTTPClient.get(server.baseURL + "/").text) == imageB)
        let before = try await status(server)["current"] as? [String: Any]

        // SIGKILL and restart: the same image with the same expiry.
        #expect(try await server.stop(signal: SIGKILL) == .signalled(SIGKILL))
        server = try await StandaloneProcess(arguments: arguments)
        let after = try await status(server)["current"] as? [String: Any]
        #expect(after?["sha256"] as? String == imageB)
        #expect(after?["expiresAt"] as? String == before?["expiresAt"] as? String)
        #expect(shownImage(try await TestHTTPClient.get(server.baseURL + "/").text) != nil)

        // SIGTERM: a prompt, clean exit.
        let started = Date()
        // Well within Kubernetes' 30 s grace period, with room for a loaded two-core CI run.
        #expect(try await server.stop(signal: SIGTERM, timeout: 15) == .exited(0))
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test("invalid resource files are reported with file, document and field, and nothing is served (no crash)", arguments: [
        ("soon", #"spec.ttl: "soon" is not a duration"#),
        // Once a trap in timestamp arithmetic (exit 132); now refused like any other bad value.
        ("99999999999999999999s", #"spec.ttl: "99999999999999999999s" is longer than the maximum of 8760h"#),
        ("100000000000h", #"spec.ttl: "100000000000h" is longer than the maximum of 8760h"#),
    ])
    func invalidFile(ttl: String, message: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/bad.yaml"
        try "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata: {name: x}\nspec: {ttl: \(ttl)}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await ChildProcess.run(productsDirectory().appendingPathComponent("hourly-image").path,
                                             ["standalone", "-f", file, "--data", dir + "/data", "--port", "0"], timeout: .seconds(20))
        let output = run.errorText
        #expect(run.exit == .exited(2), "\(output)")
        #expect(output.contains("\(file), document 1: \(message)"), "\(output)")
    }
}

@Suite("hourly-image standalone logs")
struct StandaloneLogTests {
    @Test("text logs escape control characters: a value with a newline cannot forge a log line")
    func textLogsEscape() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data\nFORGED warning: not from us"
        let server = try await StandaloneProcess(arguments: ["--data", data, "--log-format", "text"])
        _ = try await server.stop(signal: SIGTERM)
        let lines = server.output.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("FORGED") }, "\(server.output)")
        #expect(server.output.contains("data\\nFORGED warning: not from us"), "\(server.output)")
    }

    @Test("--log-format json prints one JSON object per line with level, message and metadata")
    func jsonLogs() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await StandaloneProcess(arguments: ["--data", dir, "--log-format", "json"])
        _ = try await server.stop(signal: SIGTERM)
        let lines = server.output.split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["msg"] is String && object?["time"] is String, "not a log object: \(line)")
        }
        #expect(lines.contains { $0.contains("\"msg\":\"serving the page\"") })
    }
}
