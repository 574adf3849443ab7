import Foundation
import HTTPTypes
import Hummingbird

/// Answers every request: injected latency and failures, authentication (401), authorization against the
/// per-identity verb allow-list (403), then discovery or the resource operation. Records what it answered.
struct APIResponder: HTTPResponder {
    typealias Context = KubeRequestContext

    let store: ObjectStore
    let controls: ServerControls
    /// Requests without credentials are served as "system:anonymous".
    let allowAnonymous: Bool
    /// Client certificates are looked at (HTTPS).
    let usesTLS: Bool
    /// identity → allowed "verb resource" strings; nil allows everything.
    let permissions: [String: Set<String>]?
    let bookmarkInterval: Duration
    /// Authorize with RBAC over the stored Roles and bindings (and the bootstrap policy) instead of `permissions`.
    var usesRBAC = false
    /// Groups a user has besides the ones its name implies (e.g. system:masters for an admin).
    var userGroups: [String: [String]] = [:]

    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue
        let target = request.uri.string
        let latency = await controls.latency
        if latency > .zero { try? await Task.sleep(for: latency) }
        let identity = await authenticate(request, context: context)
        let response: Response
        if let injected = await controls.takeInjectedFailure(method: method, target: target) {
            response = Self.failure(.injected(code: injected))
        } else if let identity {
            var request = request
            response = await serve(&request, identity: identity)
        } else {
            response = Self.failure(.unauthorized)
        }
        await controls.record(RecordedRequest(method: method, target: target, identity: identity, status: Int(response.status.code)))
        return response
    }

    /// The identity behind the request: a known bearer token, else a client certificate's CN, else anonymous
    /// when allowed. An unknown token never falls back (upstream answers 401 for a bad token).
    private func authenticate(_ request: Request, context: Context) async -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return await controls.identity(forToken: parts[1].trimmingCharacters(in: .whitespaces))
        }
        if usesTLS, let certificate = await context.peerCertificate(),
           let der = try? certificate.toDERBytes(), let commonName = CertificateSubject.commonName(der: der) {
            return commonName
        }
        return allowAnonymous ? "system:anonymous" : nil
    }

    private func serve(_ request: inout Request, identity: String) async -> Response {
        let path = request.uri.path
        let user = UserInfo(username: identity, extraGroups: userGroups[identity] ?? [])
        if usesRBAC {
            let attributes = AuthorizationAttributes.parse(method: request.method.rawValue, path: path,
                                                           query: ResourceRequest.parseQuery(request.uri.query))
            let authorizer = await store.authorizer()
            if !authorizer.authorize(user, attributes).allowed {
                return Self.failure(.forbidden(user: user, attributes))
            }
        }
        let served = await store.served
        if let (document, contentType) = Discovery.document(for: path, host: request.head.authority ?? "127.0.0.1",
                                                            accept: request.headers[.accept], served: served) {
            return Self.json(document, headers: [.contentType: contentType])
        }
        if let document = OpenAPIDocument.document(for: path, served: served) {
            return Self.json(document, headers: path.hasSuffix("/v3") || path.hasSuffix("/v3/") ? [.contentType: "text/plain; charset=utf-8"] : [:])
        }
        if ["/healthz", "/livez", "/readyz"].contains(path) {
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        let query = ResourceRequest.parseQuery(request.uri.query)
        guard let resourceRequest = ResourceRequest(method: request.method.rawValue, path: path, query: query, served: served) else {
            return Self.failure(.unknownPath)
        }
        if !usesRBAC, !isAllowed(identity, verb: resourceRequest.verb, resource: resourceRequest.rbacResource) {
            return Self.failure(.forbidden(identity: identity, verb: resourceRequest.verb, resource: resourceRequest.resource,
                                           subresource: resourceRequest.subresource, namespace: resourceRequest.namespace,
                                           name: resourceRequest.name))
        }
        if !MediaTypes.acceptable(request.headers[.accept]) {
            return Self.failure(StatusError(code: 406, reason: "NotAcceptable",
                                            message: "only the following media types are accepted: \(MediaTypes.served.joined(separator: ", "))",
                                            details: nil))
        }
        if ["POST", "PUT"].contains(request.method.rawValue), let type = request.headers[.contentType], !MediaTypes.decodable(type) {
            return Self.failure(.unsupportedMediaType(type, accepted: MediaTypes.served))
        }
        var body = Data()
        if ["POST", "PUT", "PATCH", "DELETE"].contains(request.method.rawValue) {
            guard let buffer = try? await request.collectBody(upTo: 8 << 20) else {
                return Self.failure(.badRequest("the request body could not be read"))
            }
            body = Data(buffer.readableBytesView)
        }
        var handler = ResourceHandler(store: store, request: resourceRequest, body: body,
                                      contentType: request.headers[.contentType] ?? "",
                                      wantsTable: TableConverter.wantsTable(request.headers[.accept]),
                                      bookmarkInterval: bookmarkInterval)
        handler.manager = ManagedFields.manager(query: query, userAgent: request.headers[.userAgent])
        if resourceRequest.resource.createOnly {
            guard resourceRequest.verb == "create", let review = JSON.parse(body) else { return Self.failure(.methodNotAllowed(resourceRequest.verb)) }
            let answer = await AccessReview.answer(resourceRequest.resource, review: review, user: user, authorizer: store.authorizer())
            // managedFields cover what the request set (spec), not the status the server computed.
            let fields = ManagedFields.recording(review, previous: nil, manager: handler.manager, subresource: nil,
                                                 apiVersion: resourceRequest.resource.apiVersion).metadata["managedFields"]
            var shown = answer
            if let fields { shown.setMeta("managedFields", fields) }
            return Self.json(shown, status: 201)
        }
        do {
            return try await handler.handle()
        } catch {
            return Self.failure(error)
        }
    }

    /// RBAC-like check: "verb resource" with `*` allowed for either part.
    private func isAllowed(_ identity: String, verb: String, resource: String) -> Bool {
        guard let permissions else { return true }
        guard let allowed = permissions[identity] else { return false }
        return allowed.contains("\(verb) \(resource)") || allowed.contains("* \(resource)")
            || allowed.contains("\(verb) *") || allowed.contains("*") || allowed.contains("* *")
    }

    /// A JSON response.
    static func json(_ value: JSON, status: Int = 200, headers: HTTPFields = [:], warnings: [String] = []) -> Response {
        var fields = headers
        for warning in warnings { fields.append(HTTPField(name: HTTPField.Name("Warning")!, value: warning)) }
        if fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: value.data)))
    }

    /// The Status object of a failure, with Retry-After when it says when to retry.
    static func failure(_ error: StatusError) -> Response {
        var headers: HTTPFields = [:]
        if let seconds = error.details?["retryAfterSeconds"]?.intValue { headers[.retryAfter] = String(seconds) }
        return json(error.json, status: error.code, headers: headers, warnings: error.warnings)
    }
}
