import Foundation
import TestSupport
import Testing

@testable import BlobStore

@Suite("Blob store under failure", .serialized)
struct BlobStoreCrashTests {
    @Test("SIGKILL at random instants while publishing never leaves a partial blob visible")
    func killedMidPublish() async throws {
        let dir = TestDirectory()
        let driver = productsDirectory(containing: "BlobCrashDriver").appendingPathComponent("BlobCrashDriver")
        try #require(FileManager.default.isExecutableFile(atPath: driver.path), "missing \(driver.path)")
        let blobs = BlobStore(root: dir.path)
        var leftovers = 0
        for round in 0..<25 {
            let driverRun = try Subprocess(driver.path, [dir.path, "default", "crash"])
            #expect(await pollUntil(timeout: .seconds(20)) { !driverRun.output.isEmpty || !driverRun.isRunning }, "round \(round): no \"ready\"")
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...60)))
            driverRun.signal(SIGKILL)
            #expect(await driverRun.wait(timeout: .seconds(20)) == .signalled(SIGKILL), "round \(round)")

            // Every visible blob is whole: its bytes hash to its name.
            for blob in try blobs.list(namespace: "default", name: "crash") {
                let data = try blobs.read(blob.relativePath)
                #expect(sha256Hex(data) == blob.sha256, "partial blob \(blob.relativePath) in round \(round)")
            }
            leftovers += blobs.sweepTemporaryFiles()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: blobs.directory(namespace: "default", name: "crash"))) ?? []
            #expect(names.allSatisfy(BlobStore.isBlobName), "after the sweep only blobs remain: \(names)")
        }
        #expect(try blobs.list(namespace: "default", name: "crash").count > 0)
        // Most kills land mid-write (the loop is all writes and fsyncs), so the sweep had work to do.
        #expect(leftovers > 0, "no kill landed mid-write in 25 rounds")
    }

    @Test("a full disk is a StorageError.noSpace and the blobs already stored stay intact")
    func fullDisk() async throws {
        let dir = TestDirectory()
        let mounted = try await ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.path])
        try #require(mounted.status == 0, "this test mounts a 256 KiB tmpfs and needs root")
        defer { _ = umount(dir.path) }
        let blobs = BlobStore(root: dir.path)
        let existing = Data(repeating: 42, count: 64 * 1024)
        let kept = try store(existing, in: blobs)

        let temporary = try blobs.makeTemporaryFile(namespace: "default", name: "img")
        let chunk = Data(repeating: 9, count: 64 * 1024)
        var failure: StorageError?
        for _ in 0..<16 {
            do { try temporary.write(chunk) } catch {
                failure = error
                break
            }
        }
        temporary.discard()
        #expect(failure == .noSpace(path: temporary.path))
        #expect(failure?.description.contains("volume is full") == true)
        #expect(try blobs.read(kept) == existing)
        #expect(try blobs.list(namespace: "default", name: "img").map(\.relativePath) == [kept])
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.directory(namespace: "default", name: "img")).count == 1)
    }

    @Test("an unwritable volume is a StorageError naming the path")
    func unwritable() throws {
        let dir = TestDirectory()
        let blobs = BlobStore(root: dir.path + "/file-not-dir/root")
        FileManager.default.createFile(atPath: dir.path + "/file-not-dir", contents: Data())
        #expect(throws: StorageError.self) { try blobs.makeTemporaryFile(namespace: "default", name: "img") }
    }
}
