/// What a refused call means to the program using the client, and what fixes it, in that program's words
/// (its flags, its manifests). The client itself knows only the generic wording.
public struct AccessAdvice: Sendable {
    /// How the server refused a call.
    public enum Refusal: Sendable, Hashable {
        /// 401: the credentials were refused.
        case unauthorized
        /// 403: the identity may not make the call.
        case forbidden
        /// 404: the namespace or resource type is missing, or the object simply does not exist.
        case notFound
    }

    /// A summary and a fix for a refused call; nil leaves it to the generic wording, and for a 404 the generic
    /// wording says it is no access problem (an object deleted meanwhile, a Lease not created yet).
    public let explain: @Sendable (AccessProblem.Call, Refusal) -> (summary: String, hint: String)?

    /// Creates advice from a function.
    public init(_ explain: @escaping @Sendable (AccessProblem.Call, Refusal) -> (summary: String, hint: String)?) {
        self.explain = explain
    }

    /// The wording of any program: refused credentials, or a verb to grant; a 404 is normal.
    public static let generic = AccessAdvice { call, refusal in
        switch refusal {
        case .unauthorized:
            ("the API server refused the credentials, so nothing can be read or written",
             "the token expired or is invalid, or the client certificate is not trusted: renew it, or use other credentials")
        case .forbidden:
            ("forbidden to \(call)", "grant \(call.verb) on \(call.resource) to this identity")
        case .notFound:
            nil
        }
    }
}
