import Foundation
import TestSupport
import Testing

@Suite("hourly-image standalone: the live page, the real binary", .serialized)
struct StandaloneLivePageTests {
    @Test("an open page's stream gets a refresh made on the admin port; SIGTERM ends open streams and exits 0")
    func liveRefresh() async throws {
        let site = try StandaloneSite("live", spec: "ttl: 1h")
        let arguments = site.arguments
        let server = try await StandaloneProcess(arguments: arguments)
        _ = try await pollUntil(timeout: .seconds(15)) { try await view(server).image != nil }
        let a = try #require(try await view(server).image)

        let page = try await TestHTTPClient.get(server.baseURL + "/").text
        #expect(page.contains(#"data-events="/images/default/project-image/events""#))
        let stream = try EventStreamClient(server.baseURL + "/images/default/project-image/events")
        #expect((try #require(await stream.next("page")).json?["html"] as? String)?.contains(a) == true)

        let started = ContinuousClock.now
        #expect(try await TestHTTPClient.send(server.adminURL + "/images/default/project-image/refresh", method: "POST").status == 202)
        var b: String?
        _ = await pollUntil(timeout: .seconds(15)) {
            if let html = await stream.next("page", timeout: .seconds(1))?.json?["html"] as? String, !html.contains(a) { b = shownImage(html) }
            return b != nil
        }
        #expect(b != nil, "the refreshed image never reached the open stream; log:\n\(server.output)")
        print("live page: refresh seen on the stream \(ContinuousClock.now - started) after the POST")

        #expect(try await server.stop(signal: SIGTERM, timeout: 15) == .exited(0), "an open stream does not hold up shutdown")
        #expect(await pollUntil(timeout: .seconds(5)) { stream.isEnded })
    }
}
