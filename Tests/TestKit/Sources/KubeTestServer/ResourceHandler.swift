import Foundation
import Hummingbird

/// Carries out one resource request (get, list, watch, create, update, patch, delete) against the store.
struct ResourceHandler {
    let store: ObjectStore
    let request: ResourceRequest
    let body: Data
    let contentType: String
    let wantsTable: Bool
    let bookmarkInterval: Duration
    /// Who writes: `?fieldManager=` or the User-Agent's product name (recorded in managedFields).
    var manager = "kube-test-server"

    var resource: ResourceKind { request.resource }

    func handle() async throws(StatusError) -> Response {
        if request.subresource == "log", resource == .pods {
            guard request.verb == "get", let name = request.name else { throw .methodNotAllowed(request.verb) }
            return try await podLog(name: name, namespace: try namespace())
        }
        if let subresource = request.subresource {
            guard subresource == "status", resource.hasStatusSubresource else { throw .unknownPath }
            guard ["get", "update", "patch"].contains(request.verb) else { throw .methodNotAllowed(request.verb) }
        }
        if resource.isView, !["get", "list", "watch"].contains(request.verb) { return try await writeThroughView() }
        switch request.verb {
        case "list": return try await list()
        case "deletecollection": return try await deleteCollection()
        case "watch": return try await WatchHandler(store: store, request: request, wantsTable: wantsTable,
                                                    bookmarkInterval: bookmarkInterval).stream()
        case "create":
            guard request.name == nil else { throw .methodNotAllowed("POST") }
            var body = try parsedBody()
            if resource == .events {
                body = CoreEventView.withDefaults(body)
                var checked = body
                checked.setMeta("namespace", .string(try namespace()))
                let causes = CoreEventView.validateCreate(checked)
                if !causes.isEmpty { throw .invalid(kind: "Event", group: "", name: body.name, causes: causes) }
            }
            if resource == .customResourceDefinitions {
                let causes = CRDValidation.validate(body)
                if !causes.isEmpty {
                    throw .invalid(kind: resource.kind, group: resource.group, name: body.name, causes: causes)
                }
            }
            let warnings = try unknownFieldWarnings(body)
            let object: JSON
            do {
                object = try await store.create(resource, namespace: try namespace(), body: body, manager: manager)
            } catch var error {
                error.warnings = warnings
                throw error
            }
            if resource == .customResourceDefinitions, let served = ResourceKind(crd: object) {
                await store.establish(object, serving: served)
            }
            return APIResponder.json(object, status: 201, warnings: warnings)
        case "get", "update", "patch", "delete":
            guard let name = request.name else { throw .methodNotAllowed(request.verb) }
            return try await item(name: name, namespace: try namespace())
        default:
            throw .methodNotAllowed(request.verb)
        }
    }

    /// `GET …/pods/{name}/log[?tailLines=N]`: the text `setPodLog` gave the pod, as the kubelet would stream it.
    private func podLog(name: String, namespace: String) async throws(StatusError) -> Response {
        _ = try await store.get(.pods, namespace: namespace, name: name)
        var lines = await store.podLog(namespace: namespace, name: name).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        if let tail = request.query["tailLines"].flatMap(Int.init), tail >= 0 { lines = Array(lines.suffix(tail)) }
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func item(name: String, namespace: String) async throws(StatusError) -> Response {
        switch request.verb {
        case "get":
            let object = try await store.get(resource.isView ? .events : resource, namespace: namespace, name: name)
            let shown = resource.isView ? CoreEventView.coreEvent(from: object) : object
            if wantsTable {
                return APIResponder.json(TableConverter.table(resource, objects: [shown], listMeta: ["resourceVersion": shown.metadata["resourceVersion"] ?? ""],
                                                              includeObject: request.query["includeObject"]))
            }
            return APIResponder.json(shown)
        case "update":
            let warnings = try unknownFieldWarnings(try parsedBody())
            let result = try await store.update(resource, namespace: namespace, name: name, body: try parsedBody(), subresource: request.subresource,
                                                manager: manager)
            return APIResponder.json(result.object, status: result.created ? 201 : 200, warnings: warnings)
        case "patch" where contentType.lowercased().hasPrefix("application/apply-patch+yaml"):
            let result = try await store.apply(resource, namespace: namespace, name: name, body: body,
                                               manager: request.query["fieldManager"], force: request.query["force"] == "true")
            return APIResponder.json(result.object, status: result.created ? 201 : 200)
        case "patch":
            let document = try PatchDocument.decode(contentType: contentType, body: body, resource: resource)
            return APIResponder.json(try await store.patch(resource, namespace: namespace, name: name, subresource: request.subresource, patch: document,
                                                                  manager: manager))
        default:
            // DeleteOptions may carry preconditions (uid, resourceVersion).
            let options = body.isEmpty ? nil : JSON.parse(body)
            let preconditions = options?["preconditions"]
            return APIResponder.json(try await store.delete(resource, namespace: namespace, name: name,
                                                            preconditionUID: preconditions?["uid"]?.stringValue,
                                                            preconditionRV: preconditions?["resourceVersion"]?.stringValue))
        }
    }

    /// core/v1 Events: writes are converted to the stored events.k8s.io/v1 form and answered in the core form.
    private func writeThroughView() async throws(StatusError) -> Response {
        let namespace = try namespace()
        switch (request.verb, request.name) {
        case ("create", nil):
            let stored = CoreEventView.storedEvent(from: try parsedBody())
            let created = try await store.create(.events, namespace: namespace, body: stored, manager: manager)
            return APIResponder.json(CoreEventView.coreEvent(from: created), status: 201)
        case ("update", let name?):
            let stored = CoreEventView.storedEvent(from: try parsedBody())
            let result = try await store.update(.events, namespace: namespace, name: name, body: stored, subresource: nil, manager: manager)
            return APIResponder.json(CoreEventView.coreEvent(from: result.object), status: result.created ? 201 : 200)
        case ("patch", let name?):
            let document = try PatchDocument.decode(contentType: contentType, body: body, resource: resource)
            let existing = try await store.get(.events, namespace: namespace, name: name)
            var patched = CoreEventView.storedEvent(from: try document.apply(to: CoreEventView.coreEvent(from: existing)))
            if patched.resourceVersionText.isEmpty { patched.setMeta("resourceVersion", existing.metadata["resourceVersion"]) }
            let result = try await store.update(.events, namespace: namespace, name: name, body: patched, subresource: nil, manager: manager)
            return APIResponder.json(CoreEventView.coreEvent(from: result.object))
        case ("delete", let name?):
            return APIResponder.json(try await store.delete(.events, namespace: namespace, name: name, preconditionUID: nil, preconditionRV: nil))
        default:
            throw .methodNotAllowed(request.verb)
        }
    }

    /// DELETE on a collection: deletes (or, with finalizers, marks) every object the selectors pick and answers the
    /// list of them as they were when deleted (generic registry DeleteCollection).
    private func deleteCollection() async throws(StatusError) -> Response {
        let filter = try Self.filter(request)
        let page = try await store.list(filter, resourceVersion: nil, exact: false, limit: nil, continueToken: nil)
        var deleted: [JSON] = []
        for object in page.items {
            let answer = try await store.delete(resource, namespace: object.namespace, name: object.name, preconditionUID: nil, preconditionRV: nil)
            deleted.append(answer["kind"]?.stringValue == "Status" ? object : answer)
        }
        let rv = await store.currentRV
        return APIResponder.json(["apiVersion": .string(resource.apiVersion), "kind": .string(resource.listKind),
                                  "metadata": ["continue": "", "resourceVersion": .string(String(rv))], "items": .array(deleted)])
    }

    /// Lists with limit/continue, resourceVersion and resourceVersionMatch, selectors; a Table when asked for one.
    private func list() async throws(StatusError) -> Response {
        let filter = try Self.filter(request)
        // resourceVersion=0 is served from the watch cache, which ignores limit.
        let limit = request.query["resourceVersion"] == "0" ? nil : request.query["limit"].flatMap { Int($0) }
        let continueToken = request.query["continue"].flatMap { $0.isEmpty ? nil : $0 }
        let rvText = request.query["resourceVersion"] ?? ""
        if continueToken != nil, !rvText.isEmpty {
            throw .badRequest("specifying resource version is not allowed when using continue")
        }
        let resourceVersion = try Self.resourceVersion(rvText)
        let exact = request.query["resourceVersionMatch"] == "Exact"
        let page = try await store.list(filter, resourceVersion: resourceVersion, exact: exact, limit: limit, continueToken: continueToken)
        var meta: [String: JSON] = ["resourceVersion": .string(String(page.resourceVersion))]
        if let token = page.continueToken { meta["continue"] = .string(token) }
        if let remaining = page.remaining { meta["remainingItemCount"] = .int(Int64(remaining)) }
        if wantsTable {
            return APIResponder.json(TableConverter.table(resource, objects: page.items, listMeta: meta, includeObject: request.query["includeObject"]))
        }
        // A list (not a Table) always carries `continue`, empty on the last page.
        meta["continue"] = .string(page.continueToken ?? "")
        return APIResponder.json(["apiVersion": .string(resource.apiVersion), "kind": .string(resource.listKind),
                                  "metadata": .object(meta), "items": .array(page.items)])
    }

    /// Unknown fields of a custom resource body per `?fieldValidation=`: Strict answers 400, Warn (the default) returns
    /// one Warning each, Ignore nothing; the store prunes them in every case.
    private func unknownFieldWarnings(_ body: JSON) throws(StatusError) -> [String] {
        guard let schema = resource.schema else { return [] }
        var unknown = StructuralSchema.pruned(body, schema: schema).unknown
        // A body of a version this resource does not serve is decoded without a schema: every field is unknown.
        if let apiVersion = body["apiVersion"]?.stringValue, apiVersion != resource.apiVersion,
           apiVersion.hasPrefix(resource.group + "/") {
            unknown = (body.objectValue ?? [:]).keys.filter { !["apiVersion", "kind", "metadata"].contains($0) }.sorted()
        }
        guard !unknown.isEmpty else { return [] }
        switch request.query["fieldValidation"] ?? "Warn" {
        case "Strict":
            let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            throw .badRequest("\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): strict decoding error: \(list)")
        case "Ignore":
            return []
        default:
            return unknown.map { #"299 - "unknown field \"\#($0)\"""# }
        }
    }

    private func namespace() throws(StatusError) -> String {
        if !resource.namespaced { return "" }
        guard let namespace = request.namespace else { throw .unknownPath }
        return namespace
    }

    /// The request body as JSON; 400 in the words of the apiserver's decoder when it is not JSON, or (for a custom
    /// resource, decoded as unstructured) when it has no kind.
    private func parsedBody() throws(StatusError) -> JSON {
        let raw = String(decoding: body, as: UTF8.self)
        let excerpt = raw.count > 30 ? "\(raw.prefix(30)) ..." : raw
        let unrecognized = "the object provided is unrecognized (must be of type \(resource.kind))"
        guard let json = JSON.parse(body) else {
            throw .badRequest("\(unrecognized): couldn't get version/kind; json parse error: \(Self.jsonError(raw)) (\(excerpt))")
        }
        if resource.schema != nil, json["kind"]?.stringValue?.isEmpty ?? true {
            throw .badRequest("\(unrecognized): Object 'Kind' is missing in '\(raw)' (\(excerpt))")
        }
        return json
    }

    /// Go's encoding/json error for text that is not JSON: a truncated document, or the first unexpected character.
    static func jsonError(_ text: String) -> String {
        var depth = 0
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            default: break
            }
        }
        if depth > 0 || inString || text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "unexpected end of JSON input" }
        let first = text.trimmingCharacters(in: .whitespacesAndNewlines).first.map(String.init) ?? ""
        return "invalid character '\(first)' looking for beginning of value"
    }

    /// The filter of a list or watch request; 400 for a selector that does not parse.
    static func filter(_ request: ResourceRequest) throws(StatusError) -> ObjectFilter {
        guard let labels = LabelSelector(request.query["labelSelector"]) else {
            let text = request.query["labelSelector"] ?? ""
            let open = text.filter { $0 == "(" }.count, close = text.filter { $0 == ")" }.count
            throw .badRequest(open > close ? "unable to parse requirement: found '', expected: ',' or ')'" : "unable to parse requirement: \(text)")
        }
        guard let fields = FieldSelector(request.query["fieldSelector"]) else {
            throw .badRequest("invalid field selector: \(request.query["fieldSelector"] ?? "")")
        }
        // Custom resources select on metadata.name and metadata.namespace only (no selectableFields in our CRDs).
        if request.resource.schema != nil,
           let unsupported = fields.requirements.first(where: { !["metadata.name", "metadata.namespace"].contains($0.path) }) {
            throw .badRequest("field label not supported: \(unsupported.path)")
        }
        return ObjectFilter(served: request.resource, namespace: request.namespace, labels: labels, fields: fields)
    }

    /// A resourceVersion query parameter: nil when unset, 0 for "0", 400 when it is not a resourceVersion.
    static func resourceVersion(_ text: String) throws(StatusError) -> Int? {
        if text.isEmpty { return nil }
        guard let value = Int(text), value >= 0 else {
            throw .badRequest("invalid resource version \"\(text)\"")
        }
        return value
    }
}
