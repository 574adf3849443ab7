import Foundation
import KubeTestServer
import Testing

@Suite("Patch")
struct PatchTests {
    static let mergeType = "application/merge-patch+json"
    static let jsonPatchType = "application/json-patch+json"

    @Test("merge patch and JSON patch both change the spec and bump generation", arguments: [
        (mergeType, #"{"spec":{"ttl":"2h"}}"#),
        (jsonPatchType, #"[{"op":"replace","path":"/spec/ttl","value":"2h"}]"#),
    ])
    func patchChangesSpec(contentType: String, patch: String) async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await server.send("PATCH", Paths.image("a"), json: patch, contentType: contentType)
            #expect(response.status == 200)
            #expect((response.json["spec"] as? [String: Any])?["ttl"] as? String == "2h")
            #expect((response.json["spec"] as? [String: Any])?["url"] as? String == "https://picsum.photos/1200")
            #expect(response.metadata["generation"] as? Int == 2)
        }
    }

    @Test("merge patch null removes a field")
    func mergePatchNullRemoves() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await server.send("PATCH", Paths.image("a"), json: #"{"spec":{"ttl":null}}"#, contentType: Self.mergeType)
            #expect((response.json["spec"] as? [String: Any])?["ttl"] == nil)
        }
    }

    @Test("a JSON patch whose test fails is 422 with upstream's message, and nothing changes")
    func failedTestIsInvalid() async throws {
        try await withServer { server in
            let created = try await server.createImage("a")
            let patch = #"[{"op":"test","path":"/spec/ttl","value":"5h"},{"op":"replace","path":"/spec/ttl","value":"2h"}]"#
            let response = try await server.send("PATCH", Paths.image("a"), json: patch, contentType: Self.jsonPatchType)
            #expect(response.status == 422)
            #expect(response.reason == "Invalid")
            #expect(response.json["message"] as? String == "the server rejected our request due to an error in our request")
            #expect(try await server.get(Paths.image("a")).resourceVersion == created.resourceVersion)
        }
    }

    @Test("compare-and-swap on /status: test the old graceViews, then replace")
    func statusCompareAndSwap() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let seed = #"{"op":"add","path":"/status","value":{"graceViews":0,"current":{"sha256":"abc"}}}"#
            #expect(try await server.send("PATCH", Paths.status("a"), json: "[\(seed)]", contentType: Self.jsonPatchType).status == 200)
            let swap = #"[{"op":"test","path":"/status/current/sha256","value":"abc"},{"op":"test","path":"/status/graceViews","value":0},{"op":"replace","path":"/status/graceViews","value":1}]"#
            let first = try await server.send("PATCH", Paths.status("a"), json: swap, contentType: Self.jsonPatchType)
            #expect(first.status == 200)
            #expect((first.json["status"] as? [String: Any])?["graceViews"] as? Int == 1)
            #expect(first.metadata["generation"] as? Int == 1)
            let second = try await server.send("PATCH", Paths.status("a"), json: swap, contentType: Self.jsonPatchType)
            #expect(second.status == 422)
        }
    }

    @Test("a patch to /status ignores spec changes; a patch to the main resource ignores status")
    func patchRespectsSubresources() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let both = #"{"spec":{"ttl":"9h"},"status":{"graceViews":4}}"#
            let viaStatus = try await server.send("PATCH", Paths.status("a"), json: both, contentType: Self.mergeType)
            #expect((viaStatus.json["spec"] as? [String: Any])?["ttl"] as? String == "1h")
            #expect((viaStatus.json["status"] as? [String: Any])?["graceViews"] as? Int == 4)
            let viaMain = try await server.send("PATCH", Paths.image("a"), json: #"{"status":{"graceViews":9}}"#, contentType: Self.mergeType)
            #expect((viaMain.json["status"] as? [String: Any])?["graceViews"] as? Int == 4)
        }
    }

    @Test("strategic merge patch on a custom resource is 415, listing the accepted types")
    func strategicMergeIsUnsupported() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await server.send("PATCH", Paths.image("a"), json: "{}", contentType: "application/strategic-merge-patch+json")
            #expect(response.status == 415)
            #expect(response.reason == "UnsupportedMediaType")
            #expect((response.json["message"] as? String)?.contains("application/merge-patch+json") == true)
        }
    }

    @Test("a patch that is not a patch is 400", arguments: [
        (jsonPatchType, #"{"op":"add"}"#), (jsonPatchType, #"[{"op":"frobnicate","path":"/x"}]"#), (mergeType, "not json"),
    ])
    func malformedPatchIsBadRequest(contentType: String, patch: String) async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await server.send("PATCH", Paths.image("a"), json: patch, contentType: contentType)
            #expect(response.status == 400)
            #expect(response.reason == "BadRequest")
        }
    }

    @Test("a resourceVersion in the patch is a precondition: stale is 409")
    func patchResourceVersionPrecondition() async throws {
        try await withServer { server in
            let created = try await server.createImage("a")
            _ = try await server.send("PATCH", Paths.image("a"), json: #"{"spec":{"ttl":"2h"}}"#, contentType: Self.mergeType)
            let stale = #"{"metadata":{"resourceVersion":"\#(created.resourceVersion)"},"spec":{"ttl":"3h"}}"#
            let response = try await server.send("PATCH", Paths.image("a"), json: stale, contentType: Self.mergeType)
            #expect(response.status == 409)
            #expect(response.reason == "Conflict")
        }
    }

    @Test("patching a missing object is 404")
    func patchMissing() async throws {
        try await withServer { server in
            let response = try await server.send("PATCH", Paths.image("nope"), json: "{}", contentType: Self.mergeType)
            #expect(response.status == 404)
        }
    }
}
