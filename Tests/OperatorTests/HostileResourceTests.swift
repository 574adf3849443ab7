import Foundation
import HourlyImageAPI
import KubeClient
import KubeTestServer
import Testing

/// One bad HourlyImage must never take down the controller that serves everyone else.
@Suite("Hostile resources against the running controller")
struct HostileResourceTests {
    @Test("a TTL beyond one year (which used to trap in timestamp arithmetic) is InvalidSpec; the others are still served")
    func hugeTTL() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        // The test server here serves HourlyImages without the CRD's schema, like a cluster with an old CRD would.
        _ = try await c.create(.hourlyImages, h.resource("hostile", ttl: "99999999999999999999s"))
        _ = try await c.create(.hourlyImages, h.resource("far", ttl: "100000000000h"))
        _ = try await c.create(.hourlyImages, h.resource("neighbour"))
        try await eventually("the neighbour is Ready") { try await h.fetch("neighbour")?.condition("Ready")?.status == .true }
        for name in ["hostile", "far"] {
            try await eventually("\(name) is InvalidSpec") { try await h.fetch(name)?.condition("Ready")?.reason == "InvalidSpec" }
            let message = try #require(try await h.fetch(name)?.condition("Ready")?.message)
            #expect(message.contains("8760h"), "\(message)")
        }
        #expect(!controller.task.isCancelled)
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
