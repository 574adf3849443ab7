import Foundation
import HourlyImageAPI
import KubeClient
import LeaderElection
import KubeStore
import KubeTestServer
import Testing

@Suite("Leader election and a flaky watch")
struct LeaderElectionTests {
    static let fast = LeaderElector.Timing(leaseDuration: 2, renewDeadline: 1.5, retryPeriod: 0.25)
    /// A lease far longer than `eventually` waits (15 s), renewed and retried quickly: a standby that leads within the
    /// wait can only have found the lease released, never expired, however slow the machine.
    static let longLease = LeaderElector.Timing(leaseDuration: 120, renewDeadline: 60, retryPeriod: 0.25)

    @Test("of two controllers only the leader reconciles; when it stops it releases the lease and the standby takes over at once")
    func onlyLeaderReconciles() async throws {
        let h = try await OperatorHarness(options: OperatorHarness.rbacOptions(controllers: ["controller-a", "controller-b"]))
        let a = try h.startController(token: "controller-a-token", identity: "controller-a", leaderElection: Self.longLease)
        try await eventually("a leads") { await a.elector?.isLeader == true }
        let b = try h.startController(token: "controller-b-token", identity: "controller-b", leaderElection: Self.longLease)
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("one"))
        try await eventually("one Ready") { try await h.fetch("one")?.condition("Ready")?.status == .true }
        var writers = Set(await h.server.requests().filter { $0.target.contains("/status") && $0.method == "PUT" }.compactMap(\.identity))
        #expect(writers == ["controller-a"])
        #expect(await b.elector?.isLeader == false)

        a.task.cancel()  // graceful stop releases the lease
        _ = await a.task.result
        try await eventually("b leads on the released lease, long before it could expire") { await b.elector?.isLeader == true }
        _ = try await c.create(.hourlyImages, h.resource("two"))
        try await eventually("two Ready") { try await h.fetch("two")?.condition("Ready")?.status == .true }
        writers = Set(await h.server.requests().filter { $0.target.contains("/status") && $0.method == "PUT" }.compactMap(\.identity))
        #expect(writers == ["controller-a", "controller-b"])
        b.task.cancel()
        _ = await b.task.result
        await h.tearDown()
    }

    @Test("a dropped watch and a 410 mid-run: the cache still converges and new objects are reconciled")
    func flakyWatch() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("first"))
        try await eventually("first Ready") { try await h.fetch("first")?.condition("Ready")?.status == .true }
        await h.server.dropWatchConnections()
        _ = try await c.create(.hourlyImages, h.resource("second"))
        try await eventually("second Ready") { try await h.fetch("second")?.condition("Ready")?.status == .true }
        await h.server.compact()
        await h.server.dropWatchConnections()
        _ = try await c.create(.hourlyImages, h.resource("third"))
        try await eventually("third Ready") { try await h.fetch("third")?.condition("Ready")?.status == .true }
        let cached = Set(await controller.store.reflector.objects().map(\.metadata.name))
        #expect(cached == ["first", "second", "third"])
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
