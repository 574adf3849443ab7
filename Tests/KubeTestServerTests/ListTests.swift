import Foundation
import KubeTestServer
import Testing

@Suite("List")
struct ListTests {
    @Test("a list is per namespace or cluster-wide, with the list kind and the current resourceVersion")
    func listScopes() async throws {
        try await withServer { server in
            try await server.createImage("a")
            try await server.createImage("b", namespace: "other")
            let namespaced = try await server.get(Paths.images("default"))
            #expect(namespaced.itemNames == ["a"])
            #expect(namespaced.json["kind"] as? String == "HourlyImageList")
            #expect(namespaced.json["apiVersion"] as? String == "images.dwk.dev/v1alpha1")
            #expect(namespaced.resourceVersion == String(await server.currentResourceVersion))
            #expect((namespaced.items.first?["kind"] as? String) == "HourlyImage")
            let everywhere = try await server.get(Paths.images(nil))
            #expect(everywhere.itemNames == ["a", "b"])
        }
    }

    @Test("limit and continue page through a consistent snapshot: later writes do not show up in later pages")
    func paginationIsConsistent() async throws {
        try await withServer { server in
            for name in ["a", "b", "c"] { try await server.createImage(name) }
            let first = try await server.get(Paths.images() + "?limit=2")
            #expect(first.itemNames == ["a", "b"])
            #expect(first.metadata["remainingItemCount"] as? Int == 1)
            let token = try #require(first.metadata["continue"] as? String)
            try await server.createImage("bb")
            _ = try await server.send("DELETE", Paths.image("c"))
            let second = try await server.get(Paths.images() + "?limit=2&continue=\(token)")
            #expect(second.itemNames == ["c"])
            #expect(second.resourceVersion == first.resourceVersion)
            #expect(second.metadata["continue"] as? String == "")
        }
    }

    @Test("a continue token from before a compaction is 410 Expired, with a fresh token")
    func expiredContinue() async throws {
        try await withServer { server in
            for name in ["a", "b", "c"] { try await server.createImage(name) }
            let first = try await server.get(Paths.images() + "?limit=1")
            let token = try #require(first.metadata["continue"] as? String)
            try await server.createImage("d")
            await server.compact()
            let response = try await server.get(Paths.images() + "?limit=1&continue=\(token)")
            #expect(response.status == 410)
            #expect(response.reason == "Expired")
            #expect(response.metadata["continue"] as? String != nil)
        }
    }

    @Test("a list at a resourceVersion the server has not reached is 504 Timeout (too large resource version)")
    func futureResourceVersion() async throws {
        try await withServer { server in
            let response = try await server.get(Paths.images() + "?resourceVersion=999999")
            #expect(response.status == 504)
            #expect(response.reason == "Timeout")
        }
    }

    @Test("resourceVersionMatch=Exact lists the state at that resourceVersion")
    func exactResourceVersion() async throws {
        try await withServer { server in
            let first = try await server.createImage("a")
            try await server.createImage("b")
            let response = try await server.get(Paths.images() + "?resourceVersion=\(first.resourceVersion)&resourceVersionMatch=Exact")
            #expect(response.itemNames == ["a"])
            #expect(response.resourceVersion == first.resourceVersion)
        }
    }

    @Test("label and field selectors filter the list", arguments: [
        ("labelSelector=tier%3Dweb", ["a"]), ("labelSelector=tier%21%3Dweb", ["b"]), ("labelSelector=tier", ["a"]),
        ("labelSelector=tier%20in%20(web,db)", ["a"]), ("fieldSelector=metadata.name%3Db", ["b"]),
    ])
    func selectors(query: String, expected: [String]) async throws {
        try await withServer { server in
            try await server.createImage("a", extraMetadata: #","labels":{"tier":"web"}"#)
            try await server.createImage("b")
            #expect(try await server.get(Paths.images() + "?" + query).itemNames == expected)
        }
    }
}
