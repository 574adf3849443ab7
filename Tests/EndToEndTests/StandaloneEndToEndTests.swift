import Foundation
import HourlyImageAPI
import TestSupport
import Testing

/// The sha256 in the page's `<img src=…/{sha256}.{ext}>`, or nil when the page shows no image.
func shownImage(_ page: String) -> String? {
    page.firstMatch(of: /<img src="\/images\/[^\/]+\/[^\/]+\/([0-9a-f]{64})\.[a-z]+"/).map { String($0.1) }
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
        let picsum = try PicsumLikeServer()
        defer { picsum.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/image.yaml"
        try """
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: project-image, namespace: default}
            spec: {url: "\(picsum.baseURL)/1200", ttl: 6s, graceCount: 1}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let arguments = ["-f", file, "--data", dir + "/data", "--allow-private-networks"]

        var server = try await StandaloneProcess(arguments: arguments)
        // First view: image A (wait for the first fetch).
        var a: String?
        for _ in 0..<100 where a == nil {
            a = shownImage(try await TestHTTPClient.get(server.baseURL + "/").text)
            if a == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let imageA = try #require(a, "no image shown; log:\n\(server.output)")
        // Views inside the TTL show A and count nothing (checked only while surely inside it: a busy
        // machine may take longer than the TTL to get here).
        let expiresAt = ((try await status(server)["current"] as? [String: Any])?["expiresAt"] as? String).flatMap { Timestamp(rfc3339: $0) }
        if let expiresAt, Date() < expiresAt.date.addingTimeInterval(-3) {
            #expect(shownImage(try await TestHTTPClient.get(server.baseURL + "/").text) == imageA)
            if Date() < expiresAt.date { #expect(try await status(server)["graceViews"] as? Int == 0) }
        }

        // After expiry the next image is prefetched into pending.
        for _ in 0..<400 where try await status(server)["pending"] == nil { try await Task.sleep(for: .milliseconds(50)) }
        let pending = try #require(try await status(server)["pending"] as? [String: Any], "no prefetch; log:\n\(server.output)")
        let imageB = try #require(pending["sha256"] as? String)
        #expect(imageB != imageA)

        // One grace view still shows A …
        let grace = try await TestHTTPClient.get(server.baseURL + "/").text
        #expect(shownImage(grace) == imageA)
        #expect(grace.contains("expired — 1 of 1 grace view used"))
        // … and the next view shows B.
        #expect(shownImage(try await TestHTTPClient.get(server.baseURL + "/").text) == imageB)
        let before = try await status(server)["current"] as? [String: Any]

        // SIGKILL and restart: the same image with the same expiry.
        #expect(try await server.stop(signal: SIGKILL) == .uncaughtSignal)
        server = try await StandaloneProcess(arguments: arguments)
        let after = try await status(server)["current"] as? [String: Any]
        #expect(after?["sha256"] as? String == imageB)
        #expect(after?["expiresAt"] as? String == before?["expiresAt"] as? String)
        #expect(shownImage(try await TestHTTPClient.get(server.baseURL + "/").text) != nil)

        // SIGTERM: a prompt, clean exit.
        let started = Date()
        // Well within Kubernetes' 30 s grace period, with room for a loaded two-core CI run.
        #expect(try await server.stop(signal: SIGTERM, timeout: 15) == .exit)
        #expect(server.process.terminationStatus == 0)
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
        let process = Process()
        process.executableURL = productsDirectory().appendingPathComponent("hourly-image")
        process.arguments = ["standalone", "-f", file, "--data", dir + "/data", "--port", "0"]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(output)")
        #expect(process.terminationReason == .exit)
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
