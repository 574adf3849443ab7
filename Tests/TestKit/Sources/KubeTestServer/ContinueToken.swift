import Foundation

/// A list continue token in upstream's shape (storage/etcd3 continue.go): base64 of
/// `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`. Clients must treat it as opaque.
struct ContinueToken: Sendable {
    let resourceVersion: Int
    /// The first "namespace/name" key of the next page.
    let startKey: String

    init(resourceVersion: Int, startKey: String) {
        self.resourceVersion = resourceVersion
        self.startKey = startKey
    }

    /// Decodes a token; nil when malformed.
    init?(encoded: String) {
        var text = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let json = JSON.parse(data),
              json["v"]?.stringValue == "meta.k8s.io/v1",
              let rv = json["rv"]?.intValue, rv > 0, let start = json["start"]?.stringValue else { return nil }
        resourceVersion = Int(rv)
        startKey = start
    }

    /// The token text (URL-safe base64 without padding, as upstream).
    var encoded: String {
        let json: JSON = ["v": "meta.k8s.io/v1", "rv": .int(Int64(resourceVersion)), "start": .string(startKey)]
        return json.data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
