import Foundation
import Testing

@testable import HourlyImageAPI

@Suite("JSON wire format")
struct ModelJSONTests {
    static let statusJSON = """
        {
          "apiVersion": "images.dwk.dev/v1alpha1",
          "kind": "HourlyImage",
          "metadata": {"name": "project-image", "namespace": "default", "generation": 4, "resourceVersion": "812",
                       "uid": "0b7e4c1e-6c55-4bd4-9f4d-2f0f2b5c6a11", "creationTimestamp": "2026-11-22T09:00:00Z",
                       "finalizers": ["images.dwk.dev/cleanup"], "managedFields": [{"manager": "kubectl"}]},
          "spec": {"url": "https://picsum.photos/1200", "ttl": "1h", "graceCount": 1, "suspend": false, "keep": 3},
          "status": {
            "observedGeneration": 4,
            "current": {"file": "default/project-image/blobs/3f2a.jpg", "sha256": "3f2a", "bytes": 135224,
                        "contentType": "image/jpeg", "sourceURL": "https://fastly.picsum.photos/id/237/1200/1200.jpg?hmac=x",
                        "picsumID": "237", "author": "Alejandro Escamilla", "authorURL": "https://unsplash.com/photos/x",
                        "fetchedAt": "2026-11-22T10:00:00Z", "servedSince": "2026-11-22T10:00:01Z",
                        "expiresAt": "2026-11-22T11:00:01Z"},
            "graceViews": 0, "consecutiveFailures": 0, "imageLabel": "picsum/237", "graceUsage": "0/1",
            "redactedSourceURL": "https://fastly.picsum.photos/id/237/1200/1200.jpg?hmac=***", "shortSHA256": "3f2a",
            "conditions": [
              {"type": "Ready", "status": "True", "reason": "ImageAvailable", "message": "", "lastTransitionTime": "2026-11-22T10:00:01.000000Z", "observedGeneration": 4},
              {"type": "Fresh", "status": "False", "reason": "InGrace", "message": "expired; 0 of 1 grace views used", "lastTransitionTime": "2026-11-22T11:00:01Z"}
            ]
          }
        }
        """

    @Test("decodes a resource as the API server returns it, ignoring fields it does not model")
    func decodesServerJSON() throws {
        let r = try JSONDecoder().decode(HourlyImage.self, from: Data(Self.statusJSON.utf8))
        #expect(r.metadata.generation == 4)
        #expect(r.status?.current?.picsumID == "237")
        #expect(r.status?.current?.expiresAt == Timestamp(rfc3339: "2026-11-22T11:00:01Z"))
        #expect(r.status?.conditions?[type: "Ready"]?.status == .true)
        #expect(r.status?.conditions?[type: "Fresh"]?.reason == "InGrace")
        #expect(ResourceKey(r) == ResourceKey(namespace: "default", name: "project-image"))
        #expect(ResourceKey(r).description == "default/project-image")
        #expect(r.status?.imageLabel == "picsum/237" && r.status?.shortSHA256 == "3f2a")
    }

    @Test("encodes with exactly the field names of docs/design.md and round-trips")
    func roundTrip() throws {
        let r = try JSONDecoder().decode(HourlyImage.self, from: Data(Self.statusJSON.utf8))
        let data = try JSONEncoder().encode(r)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let status = try #require(object["status"] as? [String: Any])
        let current = try #require(status["current"] as? [String: Any])
        #expect(Set(current.keys) == ["file", "sha256", "bytes", "contentType", "sourceURL", "picsumID", "author", "authorURL", "fetchedAt", "servedSince", "expiresAt"])
        #expect(current["fetchedAt"] as? String == "2026-11-22T10:00:00Z")
        #expect(Set(status.keys) == ["observedGeneration", "current", "graceViews", "consecutiveFailures", "conditions",
                                     "imageLabel", "graceUsage", "redactedSourceURL", "shortSHA256"])
        #expect(status["graceUsage"] as? String == "0/1")
        #expect(try JSONDecoder().decode(HourlyImage.self, from: data) == r)
    }

    @Test("an absent spec or absent spec fields take the defaults")
    func defaults() throws {
        let json = #"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"x"},"spec":{"ttl":"10m"}}"#
        let r = try JSONDecoder().decode(HourlyImage.self, from: Data(json.utf8))
        #expect(r.spec == HourlyImageSpec(ttl: "10m"))
        let bare = #"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"x"}}"#
        #expect(try JSONDecoder().decode(HourlyImage.self, from: Data(bare.utf8)).spec == HourlyImageSpec())
    }

    @Test("a bad timestamp names the problem")
    func badTimestamp() {
        let json = #"{"type":"Ready","status":"True","reason":"R","message":"","lastTransitionTime":"noon"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Condition.self, from: Data(json.utf8)) }
    }
}
