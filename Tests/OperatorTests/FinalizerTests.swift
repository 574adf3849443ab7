import BlobStore
import Foundation
import HourlyImageAPI
import HourlyImageController
import HourlyImageStore
import ImageFetch
import KubeClient
import KubeStore
import Synchronization
import TestSupport
import Testing

/// Runs a shell command (off the cooperative pool) and returns its exit status.
@discardableResult
func shell(_ command: String) async throws -> Int32 {
    try await ChildProcess.run("/bin/sh", ["-c", command]).status
}

@Suite("Finalizer", .serialized)
struct FinalizerTests {
    @Test("when the files cannot be removed, deletion retries for a bounded time, then lets the object go")
    func neverBlocksForever() async throws {
        let h = try await OperatorHarness()
        let volume = h.root + "/ro-volume"
        try FileManager.default.createDirectory(atPath: volume + "/default/stuck/blobs", withIntermediateDirectories: true)
        // A read-only volume: even root cannot delete from it.
        let mounted = try await shell("mount -t tmpfs -o size=1m tmpfs '\(volume)' && mkdir -p '\(volume)/default/stuck/blobs' && touch '\(volume)/default/stuck/blobs/x' && mount -o remount,ro '\(volume)'")
        try #require(mounted == 0, "needs root to mount tmpfs")
        do {
            try await deleteFromReadOnlyVolume(h, volume: volume)
        } catch {
            _ = try? await shell("umount '\(volume)'")
            throw error
        }
        _ = try? await shell("umount '\(volume)'")
        await h.tearDown()
    }

    /// Deletes a resource whose files sit on the read-only `volume`, with a clock moved past the cleanup deadline.
    private func deleteFromReadOnlyVolume(_ h: OperatorHarness, volume: String) async throws {
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
    }
}
