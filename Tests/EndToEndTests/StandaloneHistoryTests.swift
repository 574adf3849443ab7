import Foundation
import TestSupport
import Testing

@Suite("hourly-image standalone: the history page, the real binary", .serialized)
struct StandaloneHistoryTests {
    @Test("the first image and two refreshes are on the history page newest first, and still after a restart")
    func history() async throws {
        let site = try StandaloneSite("history", spec: "ttl: 1h, keep: 3")
        let (dir, arguments) = (site.dir, site.arguments)
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
