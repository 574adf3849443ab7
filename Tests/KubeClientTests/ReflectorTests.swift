import Foundation
import HourlyImageAPI
import KubeTestServer
import Synchronization
import TestSupport
import Testing

@testable import KubeClient

/// Waits until `condition` holds, polling; fails after `seconds`.
func eventually(_ seconds: Double = 10, _ what: String = "condition", _ condition: () async throws -> Bool) async throws {
    if try await pollUntil(timeout: .seconds(seconds), every: .milliseconds(25), condition) { return }
    Issue.record("timed out waiting for \(what)")
}

/// The keys and resourceVersions the server holds, for comparing with a cache.
func serverState(_ c: KubeClient) async throws -> [String: String] {
    let (items, _) = try await c.listAll(.hourlyImages, namespace: nil, as: HourlyImage.self)
    return Dictionary(uniqueKeysWithValues: items.map { ("\($0.metadata.namespace ?? "")/\($0.metadata.name)", $0.metadata.resourceVersion ?? "") })
}

func cacheState(_ r: Reflector<HourlyImage>) async -> [String: String] {
    Dictionary(uniqueKeysWithValues: await r.objects().map { ("\($0.metadata.namespace ?? "")/\($0.metadata.name)", $0.metadata.resourceVersion ?? "") })
}

@Suite("Reflector against the test API server")
struct ReflectorTests {
    @Test("a dropped watch is resumed from the last resourceVersion without missing or repeating events")
    func resumeAfterDrop() async throws {
        let server = try await KubeTestServer.start()
        let dir = ConfigDir()
        let c = try client(for: server, dir: dir)
        for i in 0..<3 { _ = try await c.create(.hourlyImages, hourlyImage("before-\(i)")) }
        let reflector = Reflector<HourlyImage>(client: c, type: .hourlyImages, namespace: nil, sleep: { _ in }, random: { 0.5 })
        let run = Task { await reflector.run() }
        try await eventually { await reflector.hasSynced }
        try await eventually { await server.openWatchCount == 1 }
        let before = await reflector.resourceVersion
        await server.dropWatchConnections()
        for i in 0..<3 { _ = try await c.create(.hourlyImages, hourlyImage("after-\(i)")) }
        try await eventually { try await cacheState(reflector) == serverState(c) }
        #expect(await reflector.listCount == 1, "resumed, not relisted")
        let watches = await server.requests().filter { $0.target.contains("watch=1") }
        #expect(watches.count >= 2)
        // Every reconnect resumes from a resourceVersion no older than the one held before the drop
        // (a bookmark may have moved it forward); none starts over from "" or 0.
        let resumedFrom = watches.dropFirst().map { request in
            URLComponents(string: "http://x" + request.target)?.queryItems?.first { $0.name == "resourceVersion" }?.value.flatMap(Int.init) ?? 0
        }
        let held = try #require(before.flatMap(Int.init))
        #expect(!resumedFrom.isEmpty && resumedFrom.allSatisfy { $0 >= held }, "resumed from \(resumedFrom), held \(held)")
        run.cancel()
        _ = await run.value
        await server.stop()
    }

    @Test("410 Gone leads to a relist whose result equals the server's state")
    func goneRelists() async throws {
        let server = try await KubeTestServer.start()
        let dir = ConfigDir()
        let c = try client(for: server, dir: dir)
        _ = try await c.create(.hourlyImages, hourlyImage("kept"))
        _ = try await c.create(.hourlyImages, hourlyImage("doomed"))
        let reflector = Reflector<HourlyImage>(client: c, type: .hourlyImages, namespace: nil, sleep: { _ in }, random: { 0.5 })
        let run = Task { await reflector.run() }
        try await eventually { await server.openWatchCount == 1 }
        await server.remove(.hourlyImage("doomed"))
        await server.compact()
        await server.dropWatchConnections()
        _ = try await c.create(.hourlyImages, hourlyImage("new"))
        try await eventually { try await cacheState(reflector) == serverState(c) }
        #expect(await reflector.object(ResourceKey(namespace: "default", name: "doomed")) == nil)
        #expect(await reflector.object(ResourceKey(namespace: "default", name: "new")) != nil)
        run.cancel()
        _ = await run.value
        await server.stop()
    }

    @Test("list failures back off on the injected clock: 0.8 s doubling")
    func backoffTiming() async throws {
        let server = try await KubeTestServer.start()
        let dir = ConfigDir()
        let c = try client(for: server, dir: dir)
        await server.injectErrors(500, count: 3) { method, path in method == "GET" && !path.contains("watch") }
        let sleeps = Mutex<[Double]>([])
        let reflector = Reflector<HourlyImage>(
            client: c, type: .hourlyImages, namespace: nil, sleep: { seconds in sleeps.withLock { $0.append(seconds) } }, random: { 0.5 })
        let run = Task { await reflector.run() }
        try await eventually { await reflector.hasSynced }
        #expect(sleeps.withLock { $0 } == [0.8, 1.6, 3.2])
        run.cancel()
        _ = await run.value
        await server.stop()
    }
}
