import Foundation
import KubeTestServer
import Testing

@Suite("Update (PUT)")
struct UpdateTests {
    /// GETs an object, lets `change` edit it, and PUTs it back to `path`.
    static func roundTrip(_ server: KubeTestServer, get: String, put: String? = nil,
                          _ change: (inout [String: Any]) -> Void) async throws -> KubeResponse {
        var object = try await server.get(get).json
        change(&object)
        return try await server.send("PUT", put ?? get, json: jsonText(object))
    }

    @Test("a stale resourceVersion is 409 Conflict with upstream's message")
    func staleResourceVersionConflicts() async throws {
        try await withServer { server in
            let created = try await server.createImage("a")
            _ = try await Self.roundTrip(server, get: Paths.image("a")) { $0["spec"] = ["url": "https://example.com/1"] }
            var stale = created.json
            stale["spec"] = ["url": "https://example.com/2"]
            let response = try await server.send("PUT", Paths.image("a"), json: jsonText(stale))
            #expect(response.status == 409)
            #expect(response.reason == "Conflict")
            #expect(response.json["message"] as? String
                == #"Operation cannot be fulfilled on hourlyimages.images.dwk.dev "a": the object has been modified; please apply your changes to the latest version and try again"#)
        }
    }

    @Test("a PUT without resourceVersion is 422 for hourlyimages but allowed for Leases (AllowUnconditionalUpdate)")
    func unconditionalUpdate() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let image = try await server.send("PUT", Paths.image("a"), json: #"{"metadata":{"name":"a"},"spec":{"url":"https://x"}}"#)
            #expect(image.status == 422)
            #expect((image.json["message"] as? String)?.contains("metadata.resourceVersion: Invalid value: 0: must be specified for an update") == true)
            _ = try await server.send("POST", Paths.leases(), json: #"{"metadata":{"name":"l"},"spec":{"holderIdentity":"a"}}"#)
            let lease = try await server.send("PUT", Paths.leases() + "/l", json: #"{"metadata":{"name":"l"},"spec":{"holderIdentity":"b"}}"#)
            #expect(lease.status == 200)
            #expect((lease.json["spec"] as? [String: Any])?["holderIdentity"] as? String == "b")
        }
    }

    @Test("a spec change bumps generation; a metadata-only change does not")
    func generationFollowsSpec() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let labelled = try await Self.roundTrip(server, get: Paths.image("a")) { object in
                var metadata = meta(object)
                metadata["labels"] = ["tier": "web"]
                object["metadata"] = metadata
            }
            #expect(labelled.metadata["generation"] as? Int == 1)
            let changed = try await Self.roundTrip(server, get: Paths.image("a")) { $0["spec"] = ["url": "https://example.com/new"] }
            #expect(changed.metadata["generation"] as? Int == 2)
        }
    }

    @Test("a PUT to the main resource ignores status")
    func mainResourceIgnoresStatus() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await Self.roundTrip(server, get: Paths.image("a")) { $0["status"] = ["graceViews": 5] }
            #expect(response.status == 200)
            #expect(response.json["status"] == nil)
        }
    }

    @Test("a PUT to /status changes only status: spec and labels stay, generation stays")
    func statusIgnoresEverythingElse() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await Self.roundTrip(server, get: Paths.image("a"), put: Paths.status("a")) { object in
                object["status"] = ["graceViews": 2]
                object["spec"] = ["url": "https://example.com/ignored"]
                var metadata = meta(object)
                metadata["labels"] = ["ignored": "yes"]
                object["metadata"] = metadata
            }
            #expect(response.status == 200)
            #expect((response.json["status"] as? [String: Any])?["graceViews"] as? Int == 2)
            #expect((response.json["spec"] as? [String: Any])?["url"] as? String == "https://picsum.photos/1200")
            #expect(response.metadata["labels"] == nil)
            #expect(response.metadata["generation"] as? Int == 1)
        }
    }

    @Test("an update that changes nothing keeps the resourceVersion and sends no event")
    func noOpUpdateKeepsResourceVersion() async throws {
        try await withServer { server in
            let created = try await server.createImage("a")
            let response = try await Self.roundTrip(server, get: Paths.image("a")) { _ in }
            #expect(response.status == 200)
            #expect(response.resourceVersion == created.resourceVersion)
            #expect(await server.currentResourceVersion == Int(created.resourceVersion))
        }
    }

    @Test("PUT of a missing hourlyimage is 404; of a missing Event creates it (AllowCreateOnUpdate)")
    func putMissing() async throws {
        try await withServer { server in
            let image = try await server.send("PUT", Paths.image("a"), json: #"{"metadata":{"name":"a","resourceVersion":"1"},"spec":{}}"#)
            #expect(image.status == 404)
            let event = try await server.send("PUT", Paths.events() + "/e", json: #"{"metadata":{"name":"e"},"note":"hi"}"#)
            #expect(event.status == 201)
        }
    }

    @Test("a PUT with another metadata.uid is a 409 precondition failure naming the storage key (recorded step 076)")
    func uidIsImmutable() async throws {
        try await withServer { server in
            try await server.createImage("a")
            let response = try await Self.roundTrip(server, get: Paths.image("a")) { object in
                var metadata = meta(object)
                metadata["uid"] = "00000000-0000-0000-0000-000000000000"
                object["metadata"] = metadata
            }
            #expect(response.status == 409)
            #expect((response.json["message"] as? String)?.contains("Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000") == true)
        }
    }
}
