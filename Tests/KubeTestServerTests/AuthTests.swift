import Foundation
import KubeTestServer
import Testing

@Suite("Authentication and authorization")
struct AuthTests {
    static let options = KubeTestServer.Options(
        tokens: ["web-token": "web", "ctrl-token": "controller"],
        permissions: [
            "web": ["get hourlyimages", "list hourlyimages", "watch hourlyimages", "patch hourlyimages/status"],
            "controller": ["* hourlyimages", "update hourlyimages/status", "create events"],
        ])

    @Test("no token, when tokens are configured, is 401 with upstream's Status", arguments: [nil, "wrong-token"])
    func unauthenticated(token: String?) async throws {
        try await withServer(Self.options) { server in
            let response = try await server.send("GET", Paths.images(), token: token)
            #expect(response.status == 401)
            #expect(response.json["kind"] as? String == "Status")
            #expect(response.reason == "Unauthorized")
            #expect(response.json["message"] as? String == "Unauthorized")
            #expect(response.json["code"] as? Int == 401)
        }
    }

    @Test("an allowed verb passes", arguments: [("web-token", "GET", Paths.images()), ("ctrl-token", "POST", Paths.events())])
    func allowed(token: String, method: String, path: String) async throws {
        try await withServer(Self.options) { server in
            let body = method == "POST"
                ? #"{"metadata":{"name":"e"},"note":"n","eventTime":"2026-01-01T00:00:00.000000Z","regarding":{"namespace":"default"}}"# : nil
            let response = try await server.send(method, path, json: body, token: token)
            #expect((200..<300).contains(response.status))
        }
    }

    @Test("a verb missing from the allow-list is 403 with the RBAC authorizer's message")
    func forbidden() async throws {
        try await withServer(Self.options) { server in
            let response = try await server.send("DELETE", Paths.image("a"), token: "web-token")
            #expect(response.status == 403)
            #expect(response.reason == "Forbidden")
            #expect(response.json["message"] as? String
                == #"hourlyimages.images.dwk.dev "a" is forbidden: User "web" cannot delete resource "hourlyimages" in API group "images.dwk.dev" in the namespace "default""#)
            let list = try await server.send("GET", Paths.images(nil), json: nil, token: "ctrl-token")
            #expect(list.status == 200)
            let events = try await server.send("GET", Paths.events(), token: "ctrl-token")
            #expect(events.status == 403)
        }
    }

    @Test("the status subresource is authorized separately from its resource")
    func subresourceIsSeparate() async throws {
        try await withServer(Self.options) { server in
            let created = try await server.send("POST", Paths.images(), json: #"{"metadata":{"name":"a"},"spec":{}}"#, token: "ctrl-token")
            #expect(created.status == 201)
            let patch = #"{"status":{"graceViews":1}}"#
            let viaStatus = try await server.send("PATCH", Paths.status("a"), json: patch, contentType: "application/merge-patch+json", token: "web-token")
            #expect(viaStatus.status == 200)
            let viaMain = try await server.send("PATCH", Paths.image("a"), json: patch, contentType: "application/merge-patch+json", token: "web-token")
            #expect(viaMain.status == 403)
            #expect((viaMain.json["message"] as? String)?.contains(#"cannot patch resource "hourlyimages" in API group"#) == true)
            let controllerStatusPatch = try await server.send("PATCH", Paths.status("a"), json: patch, contentType: "application/merge-patch+json", token: "ctrl-token")
            #expect(controllerStatusPatch.status == 403)
        }
    }

    @Test("a rotated token stops working; the new one works")
    func rotation() async throws {
        try await withServer(Self.options) { server async throws in
            await server.rotateToken(identity: "web", to: "web-token-2")
            #expect(try await server.get(Paths.images(), token: "web-token").status == 401)
            #expect(try await server.get(Paths.images(), token: "web-token-2").status == 200)
        }
    }

    @Test("discovery needs authentication but no permission")
    func discoveryNeedsNoPermission() async throws {
        try await withServer(.init(tokens: ["t": "nobody"], permissions: [:])) { server async throws in
            #expect(try await server.get("/apis", token: "t").status == 200)
            #expect(try await server.get("/apis").status == 401)
            #expect(try await server.get(Paths.images(), token: "t").status == 403)
        }
    }

    @Test("without tokens configured, requests are served as system:anonymous")
    func anonymous() async throws {
        try await withServer { server async throws in
            #expect(try await server.get(Paths.images()).status == 200)
            #expect(await server.requests().last?.identity == "system:anonymous")
        }
    }
}
