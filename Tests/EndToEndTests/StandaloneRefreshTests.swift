import Foundation
import TestSupport
import Testing

@Suite("hourly-image standalone: refresh on demand on the admin port", .serialized)
struct StandaloneRefreshTests {
    @Test("POST …/refresh on the admin port serves a new image at once, grace ignored; the same value and a restart do nothing; the public port refuses")
    func refresh() async throws {
        let site = try StandaloneSite("refresh", spec: "ttl: 1h, graceCount: 3")
        let arguments = site.arguments

        var server = try await StandaloneProcess(arguments: arguments)
        var imageA: String?
        _ = try await pollUntil(timeout: .seconds(15)) { imageA = try await view(server).image; return imageA != nil }
        let a = try #require(imageA, "no image; log:\n\(server.output)")
        let refresh = "/images/default/project-image/refresh"

        let refused = try await TestHTTPClient.send(server.baseURL + refresh, method: "POST")
        #expect(refused.status == 404 || refused.status == 405, "the public port takes no refresh")
        let crossSite = try await TestHTTPClient.send(server.adminURL + refresh, method: "POST", headers: ["Origin": "https://evil.example"])
        #expect(crossSite.status == 403, "a form on another site cannot refresh")
        #expect(try await TestHTTPClient.send(server.adminURL + "/images/default/missing/refresh", method: "POST").status == 404)
        #expect(try await TestHTTPClient.send(server.adminURL + refresh + "?value=" + String(repeating: "x", count: 300), method: "POST").status == 400)

        let accepted = try await TestHTTPClient.send(server.adminURL + refresh + "?value=first", method: "POST")
        #expect(accepted.status == 202)
        #expect(accepted.text.contains("\"images.dwk.dev/refresh\":\"first\""))
        var imageB: String?
        _ = try await pollUntil(timeout: .seconds(15)) {
            let page = try await TestHTTPClient.get(server.baseURL + "/").text
            imageB = page.contains(a) ? nil : shownImage(page)
            return imageB != nil
        }
        let b = try #require(imageB, "the refresh was not served; log:\n\(server.output)")
        #expect(b != a)
        #expect(try await status(server)["lastRefresh"] as? String == "first")
        #expect(site.downloads == 2)
        #expect(server.output.contains("refreshed on request"), "a log line says so")

        // The same value again: accepted, nothing fetched.
        #expect(try await TestHTTPClient.send(server.adminURL + refresh + "?value=first", method: "POST").status == 202)
        // A restart keeps the value and the image: nothing is fetched again.
        #expect(try await server.stop(signal: SIGTERM, timeout: 15) == .exited(0))
        server = try await StandaloneProcess(arguments: arguments)
        #expect(try await status(server)["lastRefresh"] as? String == "first")
        #expect(try await view(server).image == b)
        // Without a value, the time is the value: each POST is a new refresh.
        #expect(try await TestHTTPClient.send(server.adminURL + refresh, method: "POST").status == 202)
        _ = try await pollUntil(timeout: .seconds(15)) { try await view(server).image != b }
        #expect(try await view(server).image != b)
        #expect(site.downloads == 3)
        _ = try await server.stop(signal: SIGTERM)
    }
}
