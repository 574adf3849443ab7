import CCurl
import Foundation
import KubeTestServer
import Testing

@Suite("Watch")
struct WatchTests {
    static func name(_ event: (type: String, object: [String: Any])?) -> String? {
        event.flatMap { meta($0.object)["name"] as? String }
    }

    @Test("a watch without resourceVersion starts with ADDED for what exists, then streams ADDED, MODIFIED, DELETED")
    func watchFromNow() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let watch = server.watch(Paths.images())
            defer { watch.close() }
            let initial = await watch.nextEvent()
            #expect(initial?.type == "ADDED")
            #expect(Self.name(initial) == "a")
            try await server.createImage("b")
            _ = try await server.send("PATCH", Paths.image("b"), json: #"{"spec":{"ttl":"2h"}}"#, contentType: "application/merge-patch+json")
            _ = try await server.send("DELETE", Paths.image("b"))
            var types: [String] = []
            for _ in 0..<3 { types.append(await watch.nextEvent()?.type ?? "none") }
            #expect(types == ["ADDED", "MODIFIED", "DELETED"])
        }
    }

    @Test("a watch from a resourceVersion replays exactly the later changes")
    func watchReplaysFromResourceVersion() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let start = await server.currentResourceVersion
            try await server.createImage("b")
            try await server.createImage("c")
            let watch = server.watch(Paths.images(), "resourceVersion=\(start)")
            defer { watch.close() }
            let first = await watch.nextEvent()
            let second = await watch.nextEvent()
            #expect([Self.name(first), Self.name(second)] == ["b", "c"])
            #expect(first?.type == "ADDED")
            #expect(await watch.nextEvent(timeout: .milliseconds(200)) == nil)
        }
    }

    @Test("a watch from a compacted resourceVersion gets one ERROR event with a 410 Expired Status, then the stream ends")
    func tooOldResourceVersion() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let old = await server.currentResourceVersion
            try await server.createImage("b")
            await server.compact()
            let watch = server.watch(Paths.images(), "resourceVersion=\(old)")
            let event = try #require(await watch.nextEvent())
            #expect(event.type == "ERROR")
            #expect(event.object["kind"] as? String == "Status")
            #expect(event.object["code"] as? Int == 410)
            #expect(event.object["reason"] as? String == "Expired")
            let end = try #require(await watch.end())
            #expect(end.status == 200)
            #expect(end.clean)
        }
    }

    @Test("history beyond historyLimit is forgotten: an old resourceVersion gets 410")
    func historyLimit() async throws {
        try await withServer(.init(historyLimit: 2)) { server in
            try await server.createImage("a")
            let old = await server.currentResourceVersion
            for name in ["b", "c", "d"] { try await server.createImage(name) }
            let watch = server.watch(Paths.images(), "resourceVersion=\(old)")
            defer { watch.close() }
            #expect(await watch.nextEvent()?.type == "ERROR")
        }
    }

    @Test("with allowWatchBookmarks, BOOKMARKs arrive periodically carrying only the kind and metadata.resourceVersion")
    func bookmarks() async throws {
        try await withServer(.init(bookmarkInterval: .milliseconds(50))) { server in
            try await server.createImage("a")
            let current = await server.currentResourceVersion
            let watch = server.watch(Paths.images(), "resourceVersion=\(current)&allowWatchBookmarks=true")
            defer { watch.close() }
            let bookmark = try #require(await watch.nextEvent())
            #expect(bookmark.type == "BOOKMARK")
            #expect(bookmark.object["kind"] as? String == "HourlyImage")
            #expect(bookmark.object["apiVersion"] as? String == "images.dwk.dev/v1alpha1")
            #expect(meta(bookmark.object) as? [String: String] == ["resourceVersion": String(current)])
            #expect(await watch.nextEvent()?.type == "BOOKMARK")
        }
    }

    @Test("without allowWatchBookmarks no BOOKMARK is sent")
    func noBookmarksUnlessAsked() async throws {
        try await withServer(.init(bookmarkInterval: .milliseconds(20))) { server in
            let watch = server.watch(Paths.images(), "resourceVersion=\(await server.currentResourceVersion)")
            defer { watch.close() }
            #expect(await watch.nextEvent(timeout: .milliseconds(300)) == nil)
        }
    }

    @Test("timeoutSeconds ends the stream cleanly")
    func timeoutEndsCleanly() async throws {
        try await withServer { server in
            let watch = server.watch(Paths.images(), "timeoutSeconds=1")
            let end = try #require(await watch.end(timeout: .seconds(20)), "a 1 s timeoutSeconds ends the stream (20 s: a loaded two-core CI)")
            #expect(end.clean)
            #expect(end.status == 200)
            #expect(await server.openWatchCount == 0)
        }
    }

    @Test("dropWatchConnections cuts open streams without a clean end")
    func dropCutsStreams() async throws {
        try await withServer { server in
            let watch = server.watch(Paths.images())
            #expect(await eventually { await server.openWatchCount == 1 })
            await server.dropWatchConnections()
            let end = try #require(await watch.end())
            #expect(!end.clean)
        }
    }

    @Test("a namespaced watch sees only its namespace; a cluster-wide watch sees all")
    func watchScopes() async throws {
        try await withServer { server in
            let start = await server.currentResourceVersion
            let namespaced = server.watch(Paths.images("default"), "resourceVersion=\(start)")
            let everywhere = server.watch(Paths.images(nil), "resourceVersion=\(start)")
            defer { namespaced.close(); everywhere.close() }
            try await server.createImage("x", namespace: "other")
            try await server.createImage("y")
            #expect(Self.name(await namespaced.nextEvent()) == "y")
            #expect(Self.name(await everywhere.nextEvent()) == "x")
            #expect(Self.name(await everywhere.nextEvent()) == "y")
        }
    }

    @Test("an object leaving a label selector is DELETED for that watch; entering it is ADDED")
    func selectorTransitions() async throws {
        try await withServer { server in
            try await server.createImage("a", extraMetadata: #","labels":{"tier":"web"}"#)
            let watch = server.watch(Paths.images(), "labelSelector=tier%3Dweb&resourceVersion=\(await server.currentResourceVersion)")
            defer { watch.close() }
            let patchType = "application/merge-patch+json"
            _ = try await server.send("PATCH", Paths.image("a"), json: #"{"metadata":{"labels":{"tier":"db"}}}"#, contentType: patchType)
            #expect(await watch.nextEvent()?.type == "DELETED")
            _ = try await server.send("PATCH", Paths.image("a"), json: #"{"metadata":{"labels":{"tier":"web"}}}"#, contentType: patchType)
            #expect(await watch.nextEvent()?.type == "ADDED")
        }
    }

    @Test("the /watch/ path form works like ?watch=true")
    func watchPathForm() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let watch = CurlStream(url: server.baseURL + "/apis/images.dwk.dev/v1alpha1/watch/namespaces/default/hourlyimages")
            defer { watch.close() }
            #expect(Self.name(await watch.nextEvent()) == "a")
        }
    }
}
