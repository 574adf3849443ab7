import Foundation
import TestSupport
import Testing

@Suite("hourly-image standalone: the history page, the real binary", .serialized)
struct StandaloneHistoryTests {
    @Test("the first image and two refreshes are on the history page newest first, and still after a restart")
    func history() async throws {
        let picsum = try PicsumLikeServer()
        defer { picsum.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-history-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: project-image, namespace: default}
            spec: {url: "\(picsum.baseURL)/1200", ttl: 1h, keep: 3}
            """.write(toFile: dir + "/image.yaml", atomically: true, encoding: .utf8)
        let arguments = ["-f", dir + "/image.yaml", "--data", dir + "/data", "--allow-private-networks"]
        var server = try await StandaloneProcess(arguments: arguments)
        var served: [String] = []
        _ = try await pollUntil(timeout: .seconds(15)) { try await view(server).image != nil }
        served.append(try #require(try await view(server).image))
        for value in ["h1", "h2"] {
            #expect(try await TestHTTPClient.send(server.adminURL + "/images/default/project-image/refresh?value=\(value)", method: "POST").status == 202)
            _ = try await pollUntil(timeout: .seconds(15)) { try await status(server)["lastRefresh"] as? String == value }
            served.insert(try #require(try await view(server).image), at: 0)
        }
        #expect(Set(served).count == 3)
        for round in 0..<2 {
            let page = try await TestHTTPClient.get(server.baseURL + "/images/default/project-image/history").text
            let positions = served.compactMap { page.range(of: $0)?.lowerBound }
            #expect(positions.count == 3 && positions == positions.sorted(), "round \(round), newest first:\n\(page)")
            #expect(page.contains("3 images on the volume, newest first"))
            #expect(FileManager.default.fileExists(atPath: dir + "/data/volume/default/project-image/history.json"))
            _ = try await server.stop(signal: SIGTERM)
            if round == 0 { server = try await StandaloneProcess(arguments: arguments) }
        }
    }
}
