import Foundation
import KubeTestServer
import Testing

@Suite("Create and get")
struct CreateAndGetTests {
    @Test("create answers 201 with uid, creationTimestamp, resourceVersion and generation 1")
    func createFillsSystemFields() async throws {
        try await withServer { server in
            let created = try await server.createImage("a")
            #expect(created.status == 201)
            let metadata = created.metadata
            #expect((metadata["uid"] as? String)?.count == 36)
            #expect((metadata["creationTimestamp"] as? String)?.hasSuffix("Z") == true)
            #expect(metadata["generation"] as? Int == 1)
            #expect(metadata["namespace"] as? String == "default")
            #expect(created.resourceVersion == String(await server.currentResourceVersion))
            let fetched = try await server.get(Paths.image("a"))
            #expect(fetched.status == 200)
            #expect(fetched.resourceVersion == created.resourceVersion)
        }
    }

    @Test("a second create with the same name is 409 AlreadyExists, in upstream's Status shape")
    func duplicateIsAlreadyExists() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let again = try await server.createImage("a")
            #expect(again.status == 409)
            #expect(again.json["kind"] as? String == "Status")
            #expect(again.json["apiVersion"] as? String == "v1")
            #expect(again.json["status"] as? String == "Failure")
            #expect(again.reason == "AlreadyExists")
            #expect(again.json["message"] as? String == #"hourlyimages.images.dwk.dev "a" already exists"#)
            #expect(again.json["code"] as? Int == 409)
            let details = try #require(again.json["details"] as? [String: String])
            #expect(details == ["name": "a", "group": "images.dwk.dev", "kind": "hourlyimages"])
        }
    }

    @Test("get of a missing object is 404 NotFound")
    func missingIsNotFound() async throws {
        try await withServer { server in
            let missing = try await server.get(Paths.image("nope"))
            #expect(missing.status == 404)
            #expect(missing.reason == "NotFound")
            #expect(missing.json["message"] as? String == #"hourlyimages.images.dwk.dev "nope" not found"#)
        }
    }

    @Test("create through the main resource drops status")
    func createDropsStatus() async throws {
        try await withServer { server in
            let created = try await server.createImage("a", status: #"{"graceViews":3}"#)
            #expect(created.status == 201)
            #expect(created.json["status"] == nil)
            #expect(await server.stored(.hourlyImage("a"))["status"] == nil)
        }
    }

    @Test("create refuses a preset resourceVersion (500 without a reason, as etcd3's store) and a missing name (422)")
    func createRefusesBadMetadata() async throws {
        try await withServer { server in
            let withRV = try await server.createImage("a", extraMetadata: #","resourceVersion":"5""#)
            #expect(withRV.status == 500)
            #expect(withRV.reason == "")
            #expect(withRV.json["message"] as? String == "resourceVersion should not be set on objects to be created")
            let noName = try await server.send("POST", Paths.images(), json: #"{"metadata":{},"spec":{}}"#)
            #expect(noName.status == 422)
            #expect(noName.reason == "Invalid")
        }
    }

    @Test("a body whose namespace differs from the URL's is 400 BadRequest")
    func namespaceMismatchIsBadRequest() async throws {
        try await withServer { server in
            let response = try await server.createImage("a", namespace: "other", extraMetadata: #","namespace":"default""#)
            #expect(response.status == 400)
            #expect(response.reason == "BadRequest")
        }
    }

    @Test("resourceVersions increase across every write of every resource")
    func resourceVersionsIncrease() async throws {
        try await withServer { server in
            let first = try await server.createImage("a")
            let lease = try await server.send("POST", Paths.leases(), json: #"{"metadata":{"name":"l"},"spec":{}}"#)
            let second = try await server.createImage("b", namespace: "other")
            let versions = [first, lease, second].map { Int($0.resourceVersion) ?? 0 }
            #expect(versions == versions.sorted())
            #expect(Set(versions).count == 3)
        }
    }

    @Test("an unknown path is 404 and an unsupported method on a collection is 405")
    func unknownPathsAndMethods() async throws {
        try await withServer { server in
            let unknown = try await server.get("/apis/images.dwk.dev/v1alpha1/namespaces/default/widgets")
            #expect(unknown.status == 404)
            #expect(unknown.json["message"] as? String == "the server could not find the requested resource")
            let put = try await server.send("PUT", Paths.images(), json: "{}")
            #expect(put.status == 405)
            #expect(put.reason == "MethodNotAllowed")
        }
    }
}
