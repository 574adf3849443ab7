import Foundation
import KubeTestServer
import Testing

@Suite("Deletion and finalizers")
struct DeletionTests {
    static let finalizer = #","finalizers":["images.dwk.dev/files"]"#

    @Test("DELETE without finalizers answers 200 with a Success Status (name, group, plural, uid) and removes it")
    func deleteRemoves() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await server.send("DELETE", Paths.image("a"))
            #expect(response.status == 200)
            #expect(response.json["kind"] as? String == "Status")
            #expect(response.json["status"] as? String == "Success")
            let details = response.json["details"] as? [String: Any] ?? [:]
            #expect(details["name"] as? String == "a")
            #expect(details["kind"] as? String == "hourlyimages")
            #expect(try await server.get(Paths.image("a")).status == 404)
        }
    }

    @Test("DELETE with finalizers only marks: deletionTimestamp, deletionGracePeriodSeconds 0, generation + 1")
    func deleteWithFinalizersMarks() async throws {
        try await withServer { server in
            try await server.createImage("a", extraMetadata: Self.finalizer)
            let response = try await server.send("DELETE", Paths.image("a"))
            #expect(response.status == 200)
            #expect(response.metadata["deletionTimestamp"] as? String != nil)
            #expect(response.metadata["deletionGracePeriodSeconds"] as? Int == 0)
            #expect(response.metadata["generation"] as? Int == 2)
            #expect(try await server.get(Paths.image("a")).status == 200)
        }
    }

    @Test("removing the last finalizer of a deleting object deletes it")
    func lastFinalizerDeletes() async throws {
        try await withServer { server in
            try await server.createImage("a", extraMetadata: Self.finalizer)
            _ = try await server.send("DELETE", Paths.image("a"))
            let watch = server.watch(Paths.images(), "resourceVersion=\(await server.currentResourceVersion)")
            defer { watch.close() }
            let patch = #"{"metadata":{"finalizers":null}}"#
            let response = try await server.send("PATCH", Paths.image("a"), json: patch, contentType: "application/merge-patch+json")
            #expect(response.status == 200)
            #expect(try await server.get(Paths.image("a")).status == 404)
            #expect(await watch.nextEvent()?.type == "DELETED")
        }
    }

    @Test("a second DELETE of a deleting object changes nothing")
    func secondDeleteIsNoOp() async throws {
        try await withServer { server in
            try await server.createImage("a", extraMetadata: Self.finalizer)
            let first = try await server.send("DELETE", Paths.image("a"))
            let second = try await server.send("DELETE", Paths.image("a"))
            #expect(second.status == 200)
            #expect(second.resourceVersion == first.resourceVersion)
            #expect(second.metadata["deletionTimestamp"] as? String == first.metadata["deletionTimestamp"] as? String)
        }
    }

    @Test("no finalizer may be added to a deleting object (422)")
    func noNewFinalizersWhileDeleting() async throws {
        try await withServer { server in
            try await server.createImage("a", extraMetadata: Self.finalizer)
            _ = try await server.send("DELETE", Paths.image("a"))
            let patch = #"{"metadata":{"finalizers":["images.dwk.dev/files","other/x"]}}"#
            let response = try await server.send("PATCH", Paths.image("a"), json: patch, contentType: "application/merge-patch+json")
            #expect(response.status == 422)
        }
    }

    @Test("DELETE preconditions on uid and resourceVersion are 409 when they do not match")
    func deletePreconditions() async throws {
        try await withServer { server in
            let created = try await server.createImage("a")
            let wrongUID = try await server.send("DELETE", Paths.image("a"), json: #"{"preconditions":{"uid":"nope"}}"#)
            #expect(wrongUID.status == 409)
            let wrongRV = try await server.send("DELETE", Paths.image("a"), json: #"{"preconditions":{"resourceVersion":"1"}}"#)
            #expect(wrongRV.status == 409)
            let right = #"{"preconditions":{"resourceVersion":"\#(created.resourceVersion)"}}"#
            #expect(try await server.send("DELETE", Paths.image("a"), json: right).status == 200)
        }
    }

    @Test("DELETE of a missing object is 404")
    func deleteMissing() async throws {
        try await withServer { server async throws in
            #expect(try await server.send("DELETE", Paths.image("nope")).status == 404)
        }
    }
}
