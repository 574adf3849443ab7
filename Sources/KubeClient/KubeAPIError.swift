import Foundation

/// A `Status` object as the API server returns it for errors.
///
/// See api-conventions.md, "Response Status Kind".
public struct KubeStatus: Codable, Sendable, Hashable {
    public var kind: String?
    public var apiVersion: String?
    public var status: String?
    public var message: String?
    public var reason: String?
    public var code: Int?

    /// Creates a status.
    public init(status: String? = "Failure", message: String?, reason: String?, code: Int?) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }
}

/// Why a Kubernetes API call failed: one case per status the client acts on differently.
public enum KubeAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 401: the credentials were refused.
    case unauthorized(String)
    /// 403: the identity lacks a verb (an RBAC mistake).
    case forbidden(String)
    /// 404.
    case notFound(String)
    /// 409: a stale resourceVersion, or the object already exists.
    case conflict(String, reason: String)
    /// 410: the resourceVersion or continue token is too old; relist.
    case gone(String)
    /// 422: the request was invalid (including a failed JSON-patch `test`).
    case invalid(String)
    /// 429: back off; `retryAfter` seconds when the server said so.
    case tooManyRequests(String, retryAfter: Double?)
    /// 5xx and any other status.
    case server(code: Int, message: String)
    /// No HTTP response: connection, TLS or timeout problems.
    case transport(String)
    /// A response that could not be decoded.
    case decoding(String)

    /// Classifies an HTTP status and body (a `Status` object when the server sent one).
    public static func from(status code: Int, body: Data, retryAfter: String? = nil) -> KubeAPIError {
        let decoded = try? JSONDecoder().decode(KubeStatus.self, from: body)
        let message = decoded?.message ?? String(decoding: body.prefix(300), as: UTF8.self)
        switch code {
        case 401: return .unauthorized(message)
        case 403: return .forbidden(message)
        case 404: return .notFound(message)
        case 409: return .conflict(message, reason: decoded?.reason ?? "Conflict")
        case 410: return .gone(message)
        case 422: return .invalid(message)
        case 429: return .tooManyRequests(message, retryAfter: retryAfter.flatMap(Double.init))
        default: return .server(code: code, message: message)
        }
    }

    /// The HTTP status code, when there was a response.
    public var code: Int? {
        switch self {
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .gone: 410
        case .invalid: 422
        case .tooManyRequests: 429
        case .server(let code, _): code
        case .transport, .decoding: nil
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let m): "unauthorized (401): \(m); check the token or client certificate"
        case .forbidden(let m): "forbidden (403): \(m); check the RBAC rules in rbac/"
        case .notFound(let m): "not found (404): \(m)"
        case .conflict(let m, _): "conflict (409): \(m)"
        case .gone(let m): "gone (410): \(m)"
        case .invalid(let m): "invalid (422): \(m)"
        case .tooManyRequests(let m, let after): "too many requests (429): \(m)\(after.map { "; retry after \($0) s" } ?? "")"
        case .server(let code, let m): "API server error (\(code)): \(m)"
        case .transport(let m): "cannot reach the API server: \(m)"
        case .decoding(let m): "unexpected response: \(m)"
        }
    }
}
