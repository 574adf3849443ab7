import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageController
import HourlyImageStore
import ImageFetch
import KubeClient
import KubeStore
import Synchronization
import Testing

/// Runs a shell command and returns its exit status.
@discardableResult
func shell(_ command: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

@Suite("Finalizer", .serialized)
struct FinalizerTests {
    @Test("when the files cannot be removed, deletion retries for a bounded time, then lets the object go")
    func neverBlocksForever() async throws {
        let h = try await OperatorHarness()
        let volume = h.root + "/ro-volume"
        try FileManager.default.createDirectory(atPath: volume + "/default/stuck/blobs", withIntermediateDirectories: true)
        // A read-only volume: even root cannot delete from it.
        try #require(try shell("mount -t tmpfs -o size=1m tmpfs '\(volume)' && mkdir -p '\(volume)/default/stuck/blobs' && touch '\(volume)/default/stuck/blobs/x' && mount -o remount,ro '\(volume)'") == 0, "needs root to mount tmpfs")
        defer { _ = try? shell("umount '\(volume)'") }
        let c = try h.client()
        var stuck = h.resource("stuck")
        stuck.metadata.finalizers = [HourlyImage.finalizer]
        _ = try await c.create(.hourlyImages, stuck)
        try await c.delete(.hourlyImages, namespace: "default", name: "stuck")

        let clock = Mutex(Date())
        let store = KubeResourceStore(client: try h.client(token: "controller-token"), namespace: nil)
        let reflector = Task { await store.reflector.run() }
        defer { reflector.cancel() }
        try await eventually("synced") { await store.isReady }
        let blobs = BlobStore(root: volume)
        let reconciler = Reconciler(
            store: store, blobs: blobs, fetcher: ImageFetcher(store: blobs),
            events: KubeEventRecorder(client: try h.client(token: "controller-token"), instance: "test"), manageFinalizer: true,
            now: { clock.withLock { $0 } })
        let key = ResourceKey(namespace: "default", name: "stuck")
        await #expect(throws: (any Error).self, "inside the deadline the failure is retried") { _ = try await reconciler.reconcile(key) }
        #expect(try await h.fetch("stuck") != nil)
        clock.withLock { $0 = $0.addingTimeInterval(Reconciler.cleanupDeadline + 1) }
        _ = try await reconciler.reconcile(key)
        try await eventually("deleted") { try await h.fetch("stuck") == nil }
        #expect(FileManager.default.fileExists(atPath: volume + "/default/stuck/blobs/x"), "the files stay; the object goes")
        let events = try await c.listAll(.events, namespace: "default", as: KubeEvent.self).items
        #expect(events.contains { $0.reason == "CleanupFailed" })
        await h.tearDown()
    }
}
