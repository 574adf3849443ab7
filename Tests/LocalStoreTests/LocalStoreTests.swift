import Foundation
import HourlyImageAPI
import HourlyImageStore
import Testing

@testable import LocalStore

final class TempDir {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-local-\(UUID().uuidString)").path
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }
}

@Suite("Resource files")
struct ResourceFileLoaderTests {
    @Test("loads several documents from a file and every file of a directory, defaulting the namespace")
    func loadsDocuments() throws {
        let dir = TempDir()
        _ = dir.write("a.yaml", """
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: one}
            spec: {ttl: 10m}
            ---
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: two, namespace: demo}
            spec: {url: "http://127.0.0.1:9/x.jpg", graceCount: 0}
            """)
        _ = dir.write("b.yml", "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata: {name: three}\n")
        _ = dir.write("notes.txt", "ignored")
        let resources = try ResourceFileLoader.load(paths: [dir.path])
        #expect(resources.map { ResourceKey($0).description } == ["default/one", "demo/two", "default/three"])
        #expect(resources[0].spec.ttl == "10m")
        #expect(resources[1].spec.graceCount == 0)
        #expect(resources[2].spec == HourlyImageSpec())
    }

    @Test("the repository's samples load")
    func samples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(try ResourceFileLoader.load(paths: [root.path + "/crds/samples"]).count >= 3)
    }

    @Test("errors name the file, the document and the field, and report every problem")
    func errors() throws {
        let dir = TempDir()
        let file = dir.write("bad.yaml", """
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: fine}
            ---
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: broken}
            spec: {ttl: soon, graceCount: -1}
            ---
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: typed}
            spec: {graceCount: many}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: other}
            """)
        do {
            _ = try ResourceFileLoader.load(paths: [file])
            Issue.record("expected errors")
        } catch let error as ResourceFileErrors {
            let text = error.description
            #expect(error.errors.map(\.document) == [2, 3, 4])
            #expect(text.contains("\(file), document 2: spec.ttl: \"soon\" is not a duration"))
            #expect(text.contains("spec.graceCount: must be from 0"))
            #expect(text.contains("document 3: spec.graceCount: expected an integer"))
            #expect(text.contains("document 4: kind: expected HourlyImage, got ConfigMap"))
        }
    }

    @Test("a missing path and a duplicate name are errors")
    func missingAndDuplicate() throws {
        let dir = TempDir()
        #expect(throws: ResourceFileErrors.self) { try ResourceFileLoader.load(paths: [dir.path + "/nope.yaml"]) }
        let doc = "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata: {name: same}\n"
        _ = dir.write("1.yaml", doc)
        _ = dir.write("2.yaml", doc)
        #expect(throws: ResourceFileErrors.self) { try ResourceFileLoader.load(paths: [dir.path]) }
    }
}

@Suite("File resource store")
struct FileResourceStoreTests {
    static func image(_ tag: String) -> ImageRecord {
        ImageRecord(file: "default/one/blobs/\(String(repeating: tag, count: 64)).jpg", sha256: String(repeating: tag, count: 64), bytes: 1, contentType: "image/jpeg", fetchedAt: Timestamp(secondsSince1970: 100))
    }

    static let one = HourlyImage(metadata: ObjectMeta(name: "one", namespace: "default"), spec: HourlyImageSpec(ttl: "10m"))
    static let key = ResourceKey(namespace: "default", name: "one")

    @Test("status survives a restart; generation stays until the spec changes")
    func persistence() async throws {
        let dir = TempDir()
        let store = try FileResourceStore(resources: [Self.one], dataDirectory: dir.path)
        let loaded = try #require(await store.get(Self.key))
        #expect(loaded.metadata.generation == 1)
        let status = HourlyImageStatus(observedGeneration: 1, current: Self.image("a"), graceViews: 0)
        let written = try await store.updateStatus(of: loaded, to: status)
        #expect(written.metadata.resourceVersion != loaded.metadata.resourceVersion)

        let again = try FileResourceStore(resources: [Self.one], dataDirectory: dir.path)
        let restored = try #require(await again.get(Self.key))
        #expect(restored.status == status)
        #expect(restored.metadata.generation == 1)
        #expect(restored.metadata.uid == loaded.metadata.uid)

        var changed = Self.one
        changed.spec.ttl = "20m"
        let third = try FileResourceStore(resources: [changed], dataDirectory: dir.path)
        #expect(await third.get(Self.key)?.metadata.generation == 2)
        #expect(await third.get(Self.key)?.status == status)
    }

    @Test("a write with a stale resourceVersion is a conflict")
    func conflict() async throws {
        let dir = TempDir()
        let store = try FileResourceStore(resources: [Self.one], dataDirectory: dir.path)
        let stale = try #require(await store.get(Self.key))
        _ = try await store.updateStatus(of: stale, to: HourlyImageStatus(graceViews: 0))
        await #expect(throws: StoreError.conflict(Self.key)) { try await store.updateStatus(of: stale, to: HourlyImageStatus(graceViews: 5)) }
    }

    @Test("grace views are counted by compare-and-swap on the image and the count")
    func graceViewCAS() async throws {
        let dir = TempDir()
        let store = try FileResourceStore(resources: [Self.one], dataDirectory: dir.path)
        let r = try #require(await store.get(Self.key))
        _ = try await store.updateStatus(of: r, to: HourlyImageStatus(current: Self.image("a"), graceViews: 0))
        let sha = Self.image("a").sha256
        #expect(try await store.recordGraceView(Self.key, currentSHA256: sha, seenViews: 0))
        #expect(try await !store.recordGraceView(Self.key, currentSHA256: sha, seenViews: 0), "the same view is not counted twice")
        #expect(try await !store.recordGraceView(Self.key, currentSHA256: Self.image("b").sha256, seenViews: 1), "never against another image")
        #expect(await store.get(Self.key)?.status?.graceViews == 1)
        #expect(await store.get(Self.key)?.status?.graceUsage == StatusDisplay.graceUsage(used: 1, allowed: Self.one.spec.graceCount),
                "GRACE changes with graceViews")
        // Concurrent viewers: each successful swap counts exactly one view.
        let successes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { (try? await store.recordGraceView(Self.key, currentSHA256: sha, seenViews: 1)) ?? false } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(successes == 1)
        #expect(await store.get(Self.key)?.status?.graceViews == 2)
    }

    @Test("subscribers get every key first, then each change")
    func changes() async throws {
        let dir = TempDir()
        let store = try FileResourceStore(resources: [Self.one], dataDirectory: dir.path)
        var iterator = await store.changes().makeAsyncIterator()
        #expect(await iterator.next() == Self.key)
        let r = try #require(await store.get(Self.key))
        _ = try await store.updateStatus(of: r, to: HourlyImageStatus(graceViews: 0))
        #expect(await iterator.next() == Self.key)
    }
}
