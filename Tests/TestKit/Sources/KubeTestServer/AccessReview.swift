import Foundation

/// SelfSubjectAccessReview ("may I?") and SelfSubjectReview ("who am I?", kubectl auth whoami) as the apiserver answers them.
enum AccessReview {
    /// The 201 body for a review of this kind by this user.
    static func answer(_ resource: ResourceKind, review: JSON, user: UserInfo, authorizer: RBACAuthorizer) -> JSON {
        if resource == .selfSubjectReviews {
            let userInfo: JSON = [
                "username": .string(user.username), "uid": .string(user.uid.isEmpty ? UUID().uuidString.lowercased() : user.uid),
                "groups": .array(user.groups.map(JSON.string)),
                "extra": ["authentication.kubernetes.io/credential-id": [.string("JTI=\(UUID().uuidString.lowercased())")]],
            ]
            return ["kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1", "metadata": ["creationTimestamp": JSON.timestamp()],
                    "status": ["userInfo": userInfo]]
        }
        let spec = review["spec"] ?? [:]
        var attributes: AuthorizationAttributes
        if let asked = spec["resourceAttributes"] {
            attributes = AuthorizationAttributes(verb: asked["verb"]?.stringValue ?? "", apiGroup: asked["group"]?.stringValue ?? "",
                                                 resource: asked["resource"]?.stringValue ?? "",
                                                 subresource: asked["subresource"]?.stringValue ?? "",
                                                 namespace: asked["namespace"]?.stringValue ?? "", name: asked["name"]?.stringValue ?? "")
        } else {
            let asked = spec["nonResourceAttributes"] ?? [:]
            attributes = AuthorizationAttributes(verb: asked["verb"]?.stringValue ?? "", isResourceRequest: false,
                                                 path: asked["path"]?.stringValue ?? "")
        }
        let (allowed, reason) = authorizer.authorize(user, attributes)
        var status: [String: JSON] = ["allowed": .bool(allowed)]
        if !reason.isEmpty { status["reason"] = .string(reason) }
        return ["kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1", "metadata": [:], "spec": spec,
                "status": .object(status)]
    }
}
