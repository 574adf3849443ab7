import Foundation
@testable import KubeTestServer
import Testing
import Yams

/// The CRD in crds/ is accepted by the structural-schema rules a real kube-apiserver applies, and the mistake that once
/// broke every cluster install (a description on the metadata node) is refused as upstream refuses it.
@Suite("CRD admission")
struct CRDAdmissionTests {
    /// crds/hourlyimages.images.dwk.dev.yaml as JSON, as `kubectl apply` sends it.
    static func crdJSON() throws -> JSON {
        let root = Recordings.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("crds/hourlyimages.images.dwk.dev.yaml"), encoding: .utf8)
        let loaded = try #require(try Yams.load(yaml: text))
        return try #require(JSON.parse(try JSONSerialization.data(withJSONObject: loaded)))
    }

    @Test("the repository's CRD passes upstream's structural rules")
    func ourCRDIsStructural() throws {
        #expect(CRDValidation.validate(try Self.crdJSON()).isEmpty)
    }

    @Test("a description on the metadata node is Forbidden, in upstream's words")
    func metadataDescriptionIsForbidden() throws {
        let path = RecordingPath(#"spec.versions[0].schema.openAPIV3Schema.properties.metadata.description"#)!
        let bad = path.setting("Standard object metadata.", in: try Self.crdJSON())
        #expect(CRDValidation.validate(bad) == [FieldCause(
            reason: "FieldValueForbidden",
            message: "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
            field: "spec.validation.openAPIV3Schema.properties[metadata]")])
    }

    @Test("a schema node without a type is refused")
    func nodeWithoutType() throws {
        let path = RecordingPath(#"spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.keep.type"#)!
        let bad = path.setting(.null, in: try Self.crdJSON())
        let causes = CRDValidation.validate(bad)
        #expect(causes.map(\.field) == ["spec.validation.openAPIV3Schema.properties[spec].properties[keep].type"])
        #expect(causes.first?.reason == "FieldValueRequired")
    }

    @Test("POSTing the CRD serves its resource; the rejected one serves nothing")
    func createServesTheResource() async throws {
        var options = KubeTestServer.Options()
        options.customResources = []
        try await withServer(options) { server in
            let crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
            let path = RecordingPath(#"spec.versions[0].schema.openAPIV3Schema.properties.metadata.description"#)!
            let bad = path.setting("x", in: try Self.crdJSON())
            let refused = try await server.send("POST", crdPath, json: bad.text)
            #expect(refused.status == 422)
            #expect(refused.reason == "Invalid")
            #expect(try await server.get("/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages").status == 404)
            let created = try await server.send("POST", crdPath, json: try Self.crdJSON().text)
            #expect(created.status == 201)
            #expect(try await server.get("/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages").status == 200)
        }
    }

    @Test("the CRD refuses hostile specs: a TTL over a year, one too large to parse, control characters in the URL",
          arguments: [
              (#"{"ttl":"9000h"}"#, "ttl must be at most 8760h (one year)"),
              (#"{"ttl":"99999999999999999999s"}"#, "type conversion error from 'string' to 'google.protobuf.Duration'"),
              (#"{"url":"https://example.com/a\rb"}"#, "url must not contain control characters such as CR, LF or tab"),
          ])
    func hostileSpecs(spec: String, message: String) async throws {
        var options = KubeTestServer.Options()
        options.customResources = []
        try await withServer(options) { server in
            _ = try await server.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: try Self.crdJSON().text)
            let body = #"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"hostile"},"spec":\#(spec)}"#
            let refused = try await server.send("POST", "/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages", json: body)
            #expect(refused.status == 422)
            #expect(refused.text.contains(message), "\(refused.text)")
        }
    }
}
