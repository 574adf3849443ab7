import Foundation
import KubeTestServer
import Testing

@Suite("Test hooks and state access")
struct HookTests {
    @Test("injected errors answer the next matching requests with an upstream Status, then stop", arguments: [
        (500, "InternalError"), (503, "ServiceUnavailable"), (429, "TooManyRequests"), (410, "Gone"),
    ])
    func injectedErrors(status: Int, reason: String) async throws {
        try await withServer { server in
            await server.injectErrors(status, count: 2) { method, target in method == "GET" && target.hasPrefix(Paths.images()) }
            #expect(try await server.get("/apis").status == 200)
            for _ in 0..<2 {
                let failed = try await server.get(Paths.images())
                #expect(failed.status == status)
                #expect(failed.reason == reason)
                if status == 429 { #expect(failed.headers["retry-after"] == "1") }
            }
            #expect(try await server.get(Paths.images()).status == 200)
        }
    }

    @Test("an injected error on a watch request is answered before the stream starts")
    func injectedWatchError() async throws {
        try await withServer { server in
            await server.injectErrors(503) { _, target in target.contains("watch=true") }
            let watch = server.watch(Paths.images())
            let end = try #require(await watch.end())
            #expect(end.status == 503)
        }
    }

    @Test("latency delays every answer")
    func latency() async throws {
        try await withServer { server async throws in
            await server.setLatency(.milliseconds(200))
            let started = ContinuousClock.now
            #expect(try await server.get(Paths.images()).status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(200))
        }
    }

    @Test("requests() records method, path with query, identity and status")
    func recordsRequests() async throws {
        try await withServer(.init(tokens: ["t": "alice"])) { server in
            _ = try await server.get(Paths.images() + "?limit=5", token: "t")
            _ = try await server.get(Paths.image("missing"))
            let recorded = await server.requests()
            #expect(recorded == [
                RecordedRequest(method: "GET", target: Paths.images() + "?limit=5", identity: "alice", status: 200),
                RecordedRequest(method: "GET", target: Paths.image("missing"), identity: nil, status: 401),
            ])
        }
    }

    @Test("put seeds an object with its status, watches see it, and object() reads it back")
    func seedObject() async throws {
        try await withServer { server in
            let watch = server.watch(Paths.images(), "resourceVersion=\(await server.currentResourceVersion)")
            defer { watch.close() }
            let seeded = #"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"s"},"spec":{},"status":{"graceViews":2}}"#
            try await server.put(Data(seeded.utf8))
            let event = try #require(await watch.nextEvent())
            #expect(event.type == "ADDED")
            let stored = await server.stored(.hourlyImage("s"))
            #expect((stored["status"] as? [String: Any])?["graceViews"] as? Int == 2)
            #expect(meta(stored)["generation"] as? Int == 1)
            #expect(meta(stored)["resourceVersion"] as? String == String(await server.currentResourceVersion))
        }
    }

    @Test("remove deletes despite finalizers, and watches see DELETED")
    func removeObject() async throws {
        try await withServer { server in
            try await server.createImage("a", extraMetadata: #","finalizers":["x/y"]"#)
            let watch = server.watch(Paths.images(), "resourceVersion=\(await server.currentResourceVersion)")
            defer { watch.close() }
            await server.remove(.hourlyImage("a"))
            #expect(await watch.nextEvent()?.type == "DELETED")
            #expect(await server.object(.hourlyImage("a")) == nil)
        }
    }

    @Test("put refuses something that is not an object of a served kind")
    func putRefusesUnknownKinds() async throws {
        try await withServer { server in
            await #expect(throws: KubeTestServerError.self) {
                try await server.put(Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p"}}"#.utf8))
            }
        }
    }
}
