import Foundation
import KubeMeta

/// Typed Kubernetes API operations over libcurl: get, list, watch, create, update, patch, delete.
///
/// Errors are `KubeAPIError`, decoded from the server's `Status` (api-conventions.md, "Response Status Kind").
public struct KubeClient: Sendable {
    /// The HTTP transport.
    public let transport: KubeTransport

    /// Creates a client for a cluster; `observer` is told of every request (for `rest_client_requests_total`).
    public init(connection: ClusterConnection, observer: KubeRequestObserver? = nil) {
        self.transport = KubeTransport(connection: connection, observer: observer)
    }

    /// The default namespace of the connection.
    public var namespace: String { transport.connection.namespace }

    /// Who this client authenticates as, as far as it knows: kubeconfig file, context and user, or in-cluster.
    public var identity: String { transport.connection.origin }

    /// GET one object.
    public func get<T: KubeObject>(_ type: ResourceType, namespace: String?, name: String, as: T.Type = T.self) async throws -> T {
        try await call(KubeRequest(path: type.path(namespace: namespace, name: name)))
    }

    /// GET one page of a collection (`limit`/`continue` pagination); `namespace` nil lists all namespaces.
    public func list<T: KubeObject>(
        _ type: ResourceType, namespace: String?, limit: Int? = nil, continueToken: String? = nil, labelSelector: String? = nil,
        as: T.Type = T.self
    ) async throws -> ObjectList<T> {
        let query = queryString([("labelSelector", labelSelector), ("limit", limit.map(String.init)), ("continue", continueToken)])
        return try await call(KubeRequest(path: type.path(namespace: namespace) + query))
    }

    /// Lists every page; returns the items and the resourceVersion to watch from.
    /// An expired `continue` token is `KubeAPIError.gone`: start over (the reflector relists).
    public func listAll<T: KubeObject>(
        _ type: ResourceType, namespace: String?, pageSize: Int = 500, labelSelector: String? = nil, as: T.Type = T.self
    ) async throws -> (items: [T], resourceVersion: String) {
        var items: [T] = []
        var token: String?
        var version = ""
        repeat {
            let page: ObjectList<T> = try await list(type, namespace: namespace, limit: pageSize, continueToken: token, labelSelector: labelSelector)
            items += page.items
            // The first page's resourceVersion is the snapshot every later page comes from.
            if token == nil { version = page.metadata.resourceVersion ?? "" }
            token = page.metadata.continue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return (items, version)
    }

    /// Opens a watch from `resourceVersion` with bookmarks; ends after `timeoutSeconds` or on error.
    public func watch<T: KubeObject>(
        _ type: ResourceType, namespace: String?, resourceVersion: String, timeoutSeconds: Int = 300, as: T.Type = T.self
    ) -> AsyncThrowingMapSequence<AsyncThrowingStream<Data, any Error>, WatchEvent<T>> {
        let query = queryString([
            ("watch", "1"), ("allowWatchBookmarks", "true"), ("resourceVersion", resourceVersion),
            ("timeoutSeconds", String(timeoutSeconds)),
        ])
        // A watch with no byte for this long is dead: bookmarks and the timeout both produce traffic.
        let lines = transport.stream(KubeRequest(path: type.path(namespace: namespace) + query), idleTimeout: Double(timeoutSeconds) + 30)
        return lines.map { try WatchEvent<T>.decode($0) }
    }

    /// POST a new object.
    public func create<T: KubeObject>(_ type: ResourceType, _ object: T) async throws -> T {
        try await call(KubeRequest(method: "POST", path: type.path(namespace: object.metadata.namespace), body: try encode(object), contentType: "application/json"))
    }

    /// PUT an object (or its `status` subresource); a stale `metadata.resourceVersion` is a 409.
    public func update<T: KubeObject>(_ type: ResourceType, _ object: T, subresource: String? = nil) async throws -> T {
        let path = type.path(namespace: object.metadata.namespace, name: object.metadata.name, subresource: subresource)
        return try await call(KubeRequest(method: "PUT", path: path, body: try encode(object), contentType: "application/json"))
    }

    /// PATCH with a JSON merge patch (RFC 7386).
    public func mergePatch<T: KubeObject>(
        _ type: ResourceType, namespace: String?, name: String, _ patch: Data, subresource: String? = nil, as: T.Type = T.self
    ) async throws -> T {
        let path = type.path(namespace: namespace, name: name, subresource: subresource)
        return try await call(KubeRequest(method: "PATCH", path: path, body: patch, contentType: "application/merge-patch+json"))
    }

    /// PATCH with a JSON patch (RFC 6902); a failed `test` is `KubeAPIError.invalid` (422).
    public func jsonPatch<T: KubeObject>(
        _ type: ResourceType, namespace: String?, name: String, _ operations: [JSONPatchOperation], subresource: String? = nil,
        as: T.Type = T.self
    ) async throws -> T {
        let path = type.path(namespace: namespace, name: name, subresource: subresource)
        return try await call(KubeRequest(method: "PATCH", path: path, body: try JSONEncoder().encode(operations), contentType: "application/json-patch+json"))
    }

    /// DELETE an object (with finalizers it is only marked for deletion).
    public func delete(_ type: ResourceType, namespace: String?, name: String) async throws {
        let response = try await transport.send(KubeRequest(method: "DELETE", path: type.path(namespace: namespace, name: name)))
        guard (200..<300).contains(response.status) else {
            throw KubeAPIError.from(status: response.status, body: response.body, retryAfter: response.headers["retry-after"])
        }
    }

    /// GET a subresource that answers text (a pod's `log`), with query parameters.
    public func text(
        _ type: ResourceType, namespace: String?, name: String, subresource: String, query: [(String, String?)] = []
    ) async throws -> String {
        let path = type.path(namespace: namespace, name: name, subresource: subresource) + queryString(query)
        let response = try await transport.send(KubeRequest(path: path))
        guard (200..<300).contains(response.status) else {
            throw KubeAPIError.from(status: response.status, body: response.body, retryAfter: response.headers["retry-after"])
        }
        return String(decoding: response.body, as: UTF8.self)
    }

    private func call<T: Decodable>(_ request: KubeRequest) async throws -> T {
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw KubeAPIError.from(status: response.status, body: response.body, retryAfter: response.headers["retry-after"])
        }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw KubeAPIError.decoding("\(request.method) \(request.path): \(error)")
        }
    }

    private func encode<T: Encodable>(_ object: T) throws -> Data {
        try JSONEncoder().encode(object)
    }
}
