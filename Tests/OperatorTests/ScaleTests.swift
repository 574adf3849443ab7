import Foundation
import HourlyImageAPI
import KubeClient
import KubeTestServer
import Testing

@Suite("Scale", .serialized)
struct ScaleTests {
    @Test("1,000 HourlyImages created at once all become Ready")
    func thousand() async throws {
        let h = try await OperatorHarness(options: OperatorHarness.rbacOptions(historyLimit: 100_000))
        let c = try h.client()
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in 0..<10 {
                group.addTask {
                    for i in 0..<100 { _ = try await c.create(.hourlyImages, h.resource("img-\(batch * 100 + i)", path: "/id/\(batch * 100 + i)/64/64.jpg")) }
                }
            }
            try await group.waitForAll()
        }
        let created = Date()
        let controller = try h.startController(workers: 8)
        try await eventually(600, "1,000 Ready") {
            let items = try await c.listAll(.hourlyImages, namespace: "default", as: HourlyImage.self).items
            return items.count == 1000 && items.allSatisfy { $0.status?.conditions?[type: "Ready"]?.status == .true }
        }
        let ready = Date()
        print("scale: created 1000 in \(String(format: "%.1f", created.timeIntervalSince(started))) s; all Ready \(String(format: "%.1f", ready.timeIntervalSince(created))) s after the controller started")
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
