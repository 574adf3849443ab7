import Foundation
import KubeTestServer
import Testing

@Suite("Discovery, Table view and other resources")
struct DiscoveryAndTableTests {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

    @Test("discovery lists the groups served, hourlyimages with its short name and status subresource")
    func discovery() async throws {
        try await withServer { server in
            let groups = try await server.get("/apis").json["groups"] as? [[String: Any]] ?? []
            #expect(Set(groups.compactMap { $0["name"] as? String }) == [
                "images.dwk.dev", "events.k8s.io", "coordination.k8s.io", "rbac.authorization.k8s.io", "apiextensions.k8s.io",
                "authorization.k8s.io", "authentication.k8s.io", "networking.k8s.io",
            ])
            let resources = try await server.get("/apis/images.dwk.dev/v1alpha1").json["resources"] as? [[String: Any]] ?? []
            let main = try #require(resources.first { $0["name"] as? String == "hourlyimages" })
            #expect(main["kind"] as? String == "HourlyImage")
            #expect(main["namespaced"] as? Bool == true)
            #expect(main["shortNames"] as? [String] == ["himg"])
            #expect(resources.contains { $0["name"] as? String == "hourlyimages/status" })
            #expect(try await server.get("/version").json["major"] as? String == "1")
        }
    }

    @Test("Accept as=Table gives the CRD's printer columns and one row per object")
    func tableView() async throws {
        try await withServer { server in
            let seeded = #"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"a"},"spec":{"url":"u","ttl":"1h"},"status":{"graceViews":1,"graceUsage":"1/2","imageLabel":"picsum/237","current":{"picsumID":"237"},"conditions":[{"type":"Fresh","status":"False"},{"type":"Ready","status":"True","reason":"ImageAvailable"}]}}"#
            try await server.put(Data(seeded.utf8))
            let table = try await server.send("GET", Paths.images(), accept: Self.tableAccept).json
            #expect(table["kind"] as? String == "Table")
            let columns = (table["columnDefinitions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(columns == ["Name", "Ready", "Reason", "Fresh", "Image", "Grace", "Expires", "Fetched", "Age", "Source", "SHA256", "TTL", "Schedule"])
            let row = try #require((table["rows"] as? [[String: Any]])?.first)
            let cells = row["cells"] as? [Any] ?? []
            #expect(cells.count == 13)
            #expect(cells[0] as? String == "a")
            #expect(cells[1] as? String == "True")
            #expect(cells[2] as? String == "ImageAvailable")
            #expect(cells[3] as? String == "False")
            #expect(cells[4] as? String == "picsum/237")
            #expect(cells[5] as? String == "1/2")
            #expect(cells[6] is NSNull)
            #expect((row["object"] as? [String: Any])?["kind"] as? String == "PartialObjectMetadata")
        }
    }

    @Test("core/v1 Events and events.k8s.io/v1 Events are one resource, converted field by field both ways")
    func coreEventView() async throws {
        try await withServer { server in
            let event = #"{"metadata":{"name":"e"},"reason":"Fetched","note":"fetched","reportingController":"ctl","#
                + #""eventTime":"2026-01-01T00:00:00.000000Z","regarding":{"kind":"HourlyImage","name":"a","namespace":"default"}}"#
            #expect(try await server.send("POST", Paths.events(), json: event).status == 201)
            let core = try await server.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Da")
            let item = try #require(core.items.first)
            #expect(core.json["kind"] as? String == "EventList")
            #expect(item["message"] as? String == "fetched")
            #expect((item["involvedObject"] as? [String: Any])?["kind"] as? String == "HourlyImage")
            #expect((item["source"] as? [String: Any])?["component"] as? String == "ctl")
            let coreEvent = #"{"metadata":{"name":"c"},"reason":"Fetched","message":"from core","count":1,"#
                + #""involvedObject":{"kind":"HourlyImage","name":"b","namespace":"default"},"source":{"component":"ctl"}}"#
            let created = try await server.send("POST", "/api/v1/namespaces/default/events", json: coreEvent)
            #expect(created.status == 201)
            #expect(created.json["message"] as? String == "from core")
            #expect(created.json["eventTime"] is NSNull)
            let asV1 = try await server.get(Paths.events() + "/c")
            #expect(asV1.json["note"] as? String == "from core")
            #expect(asV1.json["deprecatedCount"] as? Int == 1)
            #expect((asV1.json["regarding"] as? [String: Any])?["name"] as? String == "b")
        }
    }

    @Test("Events and Leases have no generation and no status subresource")
    func builtInResources() async throws {
        try await withServer { server in
            let lease = try await server.send("POST", Paths.leases(), json: #"{"metadata":{"name":"l"},"spec":{"holderIdentity":"a"}}"#)
            #expect(lease.status == 201)
            #expect(lease.metadata["generation"] == nil)
            #expect(lease.json["kind"] as? String == "Lease")
            let status = try await server.send("PUT", Paths.leases() + "/l/status", json: jsonText(lease.json))
            #expect(status.status == 404)
        }
    }

    @Test("the OpenAPI v3 document tells kubectl that hourlyimages take fieldValidation and no strategic merge patch")
    func openAPI() async throws {
        try await withServer { server in
            let root = try await server.get("/openapi/v3").json["paths"] as? [String: Any] ?? [:]
            #expect(root["apis/images.dwk.dev/v1alpha1"] != nil)
            let document = try await server.get("/openapi/v3/apis/images.dwk.dev/v1alpha1").json
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            let patch = try #require(paths["/apis/images.dwk.dev/v1alpha1/namespaces/{namespace}/hourlyimages/{name}"]?["patch"] as? [String: Any])
            let parameters = (patch["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(parameters.contains("fieldValidation"))
            let content = ((patch["requestBody"] as? [String: Any])?["content"] as? [String: Any]) ?? [:]
            #expect(content["application/strategic-merge-patch+json"] == nil)
            #expect(content["application/merge-patch+json"] != nil)
        }
    }

    @Test("OpenAPI v3 of built-in groups: upstream's operation ids for namespaced and cluster-scoped kinds, every reference resolves")
    func openAPIBuiltIn() async throws {
        try await withServer { server in
            let rbac = try await server.get("/openapi/v3/apis/rbac.authorization.k8s.io/v1").json
            let paths = rbac["paths"] as? [String: [String: Any]] ?? [:]
            let all = try #require(paths["/apis/rbac.authorization.k8s.io/v1/roles"]?["get"] as? [String: Any])
            #expect(all["operationId"] as? String == "listRbacAuthorizationV1RoleForAllNamespaces")
            #expect(all["tags"] as? [String] == ["rbacAuthorization_v1"])
            let collection = try #require(paths["/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles"])
            #expect((collection["delete"] as? [String: Any])?["operationId"] as? String == "deleteRbacAuthorizationV1CollectionNamespacedRole")
            let cluster = try #require(paths["/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}"])
            #expect((cluster["put"] as? [String: Any])?["operationId"] as? String == "replaceRbacAuthorizationV1ClusterRole")
            let patch = try #require(cluster["patch"] as? [String: Any])
            let content = ((patch["requestBody"] as? [String: Any])?["content"] as? [String: Any]) ?? [:]
            #expect(content["application/strategic-merge-patch+json"] != nil)
            #expect(paths["/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/clusterroles"] == nil)

            let core = try await server.get("/openapi/v3/api/v1").json
            let corePaths = core["paths"] as? [String: [String: Any]] ?? [:]
            #expect((corePaths["/api/v1/namespaces"]?["get"] as? [String: Any])?["operationId"] as? String == "listCoreV1Namespace")
            for document in [rbac, core] {
                let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
                let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
                let references = text.components(separatedBy: #""$ref":""#).dropFirst().compactMap { $0.split(separator: "\"").first }
                #expect(!references.isEmpty)
                for reference in references {
                    let name = reference.replacingOccurrences(of: "\\/", with: "/").replacingOccurrences(of: "#/components/schemas/", with: "")
                    #expect(schemas[name] != nil, "unresolved reference \(reference)")
                }
            }
        }
    }
}

