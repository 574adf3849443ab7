import Foundation
import HourlyImageAPI
import KubeClient
import KubeTestServer
import TestSupport
import Testing

@Suite("spec.schedule against the test API server")
struct ScheduleOnServerTests {
    @Test("a scheduled resource expires on a wall-clock minute boundary and its next image is prefetched ahead of it")
    func scheduled() async throws {
        let h = try await OperatorHarness()
        let c = try h.client()
        let controller = try h.startController()
        var r = h.resource("minutely", graceCount: 0)
        r.spec.schedule = "* * * * *"
        r.spec.timeZone = "Europe/Helsinki"
        r.spec.leadTime = "59s"
        _ = try await c.create(.hourlyImages, r)
        try await eventually("first image and the next one prefetched") { try await h.fetch("minutely")?.status?.pending != nil }
        let status = try #require(try await h.fetch("minutely")?.status)
        let expires = try #require(status.current?.expiresAt)
        #expect(expires.secondsSince1970 % 60 == 0, "on a minute boundary: \(expires)")
        #expect(expires.seconds(since: try #require(status.current?.servedSince)) <= 60)
        #expect(status.conditions?[type: "Degraded"]?.status == .false)
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
