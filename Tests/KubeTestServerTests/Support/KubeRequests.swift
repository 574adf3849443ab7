import Foundation
import KubeTestServer
import TestSupport

/// Paths of the served resources.
enum Paths {
    static let group = "/apis/images.dwk.dev/v1alpha1"

    static func images(_ namespace: String? = "default") -> String {
        namespace.map { "\(group)/namespaces/\($0)/hourlyimages" } ?? "\(group)/hourlyimages"
    }

    static func image(_ name: String, namespace: String = "default") -> String { "\(images(namespace))/\(name)" }
    static func status(_ name: String, namespace: String = "default") -> String { "\(image(name, namespace: namespace))/status" }
    static func leases(_ namespace: String = "default") -> String { "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases" }
    static func events(_ namespace: String = "default") -> String { "/apis/events.k8s.io/v1/namespaces/\(namespace)/events" }
}

/// A decoded response: status, headers and the JSON body as Foundation values.
struct KubeResponse: @unchecked Sendable {
    let status: Int
    let headers: [String: String]
    let body: Data

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var metadata: [String: Any] { json["metadata"] as? [String: Any] ?? [:] }
    var resourceVersion: String { metadata["resourceVersion"] as? String ?? "" }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    var itemNames: [String] { items.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String } }
    var reason: String { json["reason"] as? String ?? "" }
}

extension KubeTestServer {
    /// Sends a request to this server (plain HTTP) with an optional bearer token and JSON body.
    func send(_ method: String, _ path: String, json: String? = nil, contentType: String = "application/json",
              token: String? = nil, accept: String? = nil) async throws -> KubeResponse {
        var headers: [String: String] = [:]
        if json != nil { headers["Content-Type"] = contentType }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if let accept { headers["Accept"] = accept }
        let result = try await TestHTTPClient.send(baseURL + path, method: method, headers: headers, body: json.map { Data($0.utf8) })
        return KubeResponse(status: result.status, headers: result.headers, body: result.body)
    }

    func get(_ path: String, token: String? = nil) async throws -> KubeResponse { try await send("GET", path, token: token) }

    /// Creates an HourlyImage through the API and returns the response.
    @discardableResult
    func createImage(_ name: String, namespace: String = "default", spec: String = #"{"url":"https://picsum.photos/1200","ttl":"1h"}"#,
                     extraMetadata: String = "", status: String? = nil) async throws -> KubeResponse {
        let statusPart = status.map { #","status":\#($0)"# } ?? ""
        let body = #"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"\#(name)"\#(extraMetadata)},"spec":\#(spec)\#(statusPart)}"#
        return try await send("POST", Paths.images(namespace), json: body)
    }

    /// The stored object decoded, or an empty dictionary.
    func stored(_ path: ObjectPath) async -> [String: Any] {
        guard let data = await object(path) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}

/// Re-serializes a dictionary as a JSON string (for PUT bodies built from a GET).
func jsonText(_ object: [String: Any]) -> String {
    String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
}

/// `metadata` of a decoded object.
func meta(_ object: [String: Any]) -> [String: Any] { object["metadata"] as? [String: Any] ?? [:] }

/// Polls `condition` every 10 ms until it holds or `timeout` passes (looking once more at the deadline).
func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async rethrows -> Bool {
    try await pollUntil(timeout: timeout, condition)
}

extension KubeTestServer {
    /// Opens a watch on a collection path (`watch=true` plus the extra query) and reads it incrementally.
    func watch(_ path: String, _ query: String = "", token: String? = nil, accept: String? = nil) -> CurlStream {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if let accept { headers["Accept"] = accept }
        return CurlStream(url: baseURL + path + "?watch=true" + (query.isEmpty ? "" : "&" + query), headers: headers)
    }
}

/// Runs `body` against a fresh server and stops the server afterwards, even when `body` throws.
@discardableResult
func withServer<T>(_ options: KubeTestServer.Options = .init(), _ body: (KubeTestServer) async throws -> T) async throws -> T {
    let server = try await KubeTestServer.start(options)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
