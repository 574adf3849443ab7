import Foundation

/// A failed request as upstream reports it: a `metav1.Status` with code, reason, message and details.
/// Messages follow k8s.io/apimachinery/pkg/api/errors (errors.go) word for word.
struct StatusError: Error, Sendable {
    var code: Int
    var reason: String
    var message: String
    /// `details`: name, group, kind (the resource plural, as upstream puts it), causes, retryAfterSeconds.
    var details: JSON?
    /// `metadata.continue` of the Status (an expired continue token gets a fresh one).
    var continueToken: String?
    /// Warning headers sent with the failure (unknown fields found while decoding the body).
    var warnings: [String] = []

    /// The Status object.
    var json: JSON {
        var object: [String: JSON] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if reason.isEmpty { object["reason"] = nil }
        if let continueToken { object["metadata"] = ["continue": .string(continueToken)] }
        if let details { object["details"] = details }
        return .object(object)
    }

    /// `{"name":…,"group":…,"kind":…}` with empty parts left out, as Go's omitempty does.
    static func details(_ resource: ResourceKind?, name: String?, extra: [String: JSON] = [:]) -> JSON {
        var members = extra
        if let name, !name.isEmpty { members["name"] = .string(name) }
        if let resource {
            if !resource.group.isEmpty { members["group"] = .string(resource.group) }
            members["kind"] = .string(resource.plural)
        }
        return .object(members)
    }

    static func notFound(_ resource: ResourceKind, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
                    details: details(resource, name: name))
    }

    /// 404 for a path the server does not serve.
    static let unknownPath = StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource",
                                         details: .object([:]))

    static func alreadyExists(_ resource: ResourceKind, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedName) \"\(name)\" already exists",
                    details: details(resource, name: name))
    }

    /// 409 on a stale resourceVersion (registry/generic/registry/store.go, OptimisticLockErrorMsg).
    static func conflict(_ resource: ResourceKind, _ name: String,
                         _ why: String = "the object has been modified; please apply your changes to the latest version and try again") -> StatusError {
        StatusError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": \(why)",
                    details: details(resource, name: name))
    }

    /// 422 with one field cause, the shape of apierrors.NewInvalid (kind is the plural, as store.go passes it).
    static func invalid(_ resource: ResourceKind, _ name: String, field: String, causeType: String, detail: String) -> StatusError {
        let cause: JSON = ["reason": .string(causeType), "message": .string(detail), "field": .string(field)]
        return StatusError(code: 422, reason: "Invalid", message: "\(resource.qualifiedName) \"\(name)\" is invalid: \(field): \(detail)",
                           details: details(resource, name: name, extra: ["causes": [cause]]))
    }

    /// 422 for a JSON patch that cannot be applied, e.g. a failed `test`: patch.go answers with
    /// NewGenericServerResponse(422), whose message drops the patch library's text.
    static let patchNotApplicable = StatusError(code: 422, reason: "Invalid",
                                                message: "the server rejected our request due to an error in our request",
                                                details: .object([:]))

    static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message, details: nil)
    }

    /// 410 Expired: a watch or list from a resourceVersion the history no longer holds.
    static func expired(_ message: String, continueToken: String? = nil) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: message, details: nil, continueToken: continueToken)
    }

    /// 401 (authentication/request/... unauthorized handler).
    static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized", details: nil)

    /// 403 in the words of the RBAC authorizer's NewForbidden.
    static func forbidden(identity: String, verb: String, resource: ResourceKind, subresource: String?, namespace: String?, name: String?) -> StatusError {
        let resourceText = subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        let group = resource.group.isEmpty ? "\"\"" : "\"\(resource.group)\""
        let reason = "User \"\(identity)\" cannot \(verb) resource \"\(resourceText)\" in API group \(group) \(scope)"
        let subject = name.map { "\(resource.qualifiedName) \"\($0)\"" } ?? resource.qualifiedName
        return StatusError(code: 403, reason: "Forbidden", message: "\(subject) is forbidden: \(reason)",
                           details: details(resource, name: name))
    }

    /// 403 from the RBAC authorizer for any request, served resource or not (authorization comes before routing).
    static func forbidden(user: UserInfo, _ attributes: AuthorizationAttributes) -> StatusError {
        guard attributes.isResourceRequest else {
            return StatusError(code: 403, reason: "Forbidden",
                               message: "forbidden: User \"\(user.username)\" cannot \(attributes.verb) path \"\(attributes.path)\"",
                               details: .object([:]))
        }
        let qualified = attributes.apiGroup.isEmpty ? attributes.resource : "\(attributes.resource).\(attributes.apiGroup)"
        let scope = attributes.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(attributes.namespace)\""
        let reason = "User \"\(user.username)\" cannot \(attributes.verb) resource \"\(attributes.resourceWithSubresource)\" in API group \"\(attributes.apiGroup)\" \(scope)"
        let subject = attributes.name.isEmpty ? qualified : "\(qualified) \"\(attributes.name)\""
        var details: [String: JSON] = ["kind": .string(attributes.resource)]
        if !attributes.name.isEmpty { details["name"] = .string(attributes.name) }
        if !attributes.apiGroup.isEmpty { details["group"] = .string(attributes.apiGroup) }
        return StatusError(code: 403, reason: "Forbidden", message: "\(subject) is forbidden: \(reason)", details: .object(details))
    }

    static func methodNotAllowed(_ method: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource",
                    details: .object([:]))
    }

    /// 415 for a PATCH content type the resource does not take.
    static func unsupportedMediaType(_ contentType: String, accepted: [String]) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType",
                    message: "the body of the request was in an unknown format - accepted media types include: \(accepted.joined(separator: ", "))",
                    details: nil)
    }

    /// 500 as storage errors surface through the generic registry: the bare message, no reason, no details.
    static func storageError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "", message: message, details: nil)
    }

    static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                    details: ["causes": [["message": .string(message)]]])
    }

    /// 504 for a list at a resourceVersion the server has not reached (storage.NewTooLargeResourceVersionError).
    static func tooLargeResourceVersion(_ requested: Int, current: Int) -> StatusError {
        StatusError(code: 504, reason: "Timeout", message: "Too large resource version: \(requested), current: \(current)",
                    details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]], "retryAfterSeconds": 1])
    }

    /// What an injected failure with this code looks like (NewGenericServerResponse's reasons and messages).
    static func injected(code: Int) -> StatusError {
        let (reason, message): (String, String) = switch code {
        case 400: ("BadRequest", "the server rejected our request for an unknown reason")
        case 401: ("Unauthorized", "Unauthorized")
        case 403: ("Forbidden", "forbidden")
        case 404: ("NotFound", "the server could not find the requested resource")
        case 409: ("Conflict", "the server reported a conflict")
        case 410: ("Gone", "the server has asked for the client to retry")
        case 422: ("Invalid", "the server rejected our request due to an error in our request")
        case 429: ("TooManyRequests", "the server has received too many requests and has asked us to try again later")
        case 503: ("ServiceUnavailable", "the server is currently unable to handle the request")
        case 504: ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request")
        default: ("InternalError", "an error on the server has prevented the request from succeeding")
        }
        let details: JSON? = code == 429 || code == 503 || code == 504 ? ["retryAfterSeconds": 1] : nil
        return StatusError(code: code, reason: reason, message: message, details: details)
    }
}
