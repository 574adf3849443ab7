/// RBAC as kube-apiserver's authorizer decides (plugin/pkg/auth/authorizer/rbac): ClusterRoleBindings, then the
/// RoleBindings of the request's namespace; a binding grants its role's rules to its subjects. The bootstrap policy
/// every cluster has is built in: system:masters may do anything, authenticated users may discover the API and review
/// their own access, and everyone may read the health and version endpoints.
struct RBACAuthorizer: Sendable {
    let roles: [JSON]
    let clusterRoles: [JSON]
    let roleBindings: [JSON]
    let clusterRoleBindings: [JSON]

    /// An authorizer over stored objects plus the bootstrap policy.
    init(roles: [JSON], clusterRoles: [JSON], roleBindings: [JSON], clusterRoleBindings: [JSON]) {
        self.roles = roles
        self.clusterRoles = Self.bootstrapClusterRoles + clusterRoles
        self.roleBindings = roleBindings
        self.clusterRoleBindings = Self.bootstrapBindings + clusterRoleBindings
    }

    /// Whether the user may, and the reason upstream gives when it may ("" when denied).
    func authorize(_ user: UserInfo, _ attributes: AuthorizationAttributes) -> (allowed: Bool, reason: String) {
        for binding in clusterRoleBindings {
            guard let subject = Self.matchingSubject(binding, user, bindingNamespace: ""),
                  let role = clusterRoles.first(where: { $0.name == binding["roleRef"]?["name"]?.stringValue }),
                  Self.allows(role, attributes) else { continue }
            return (true, "RBAC: allowed by ClusterRoleBinding \"\(binding.name)\" of ClusterRole \"\(role.name)\" to \(subject)")
        }
        guard attributes.isResourceRequest, !attributes.namespace.isEmpty else { return (false, "") }
        for binding in roleBindings where binding.namespace == attributes.namespace {
            guard let subject = Self.matchingSubject(binding, user, bindingNamespace: binding.namespace) else { continue }
            let kind = binding["roleRef"]?["kind"]?.stringValue ?? "Role"
            let roleName = binding["roleRef"]?["name"]?.stringValue
            let role = kind == "ClusterRole" ? clusterRoles.first { $0.name == roleName }
                : roles.first { $0.name == roleName && $0.namespace == binding.namespace }
            guard let role, Self.allows(role, attributes) else { continue }
            return (true, "RBAC: allowed by RoleBinding \"\(binding.name)/\(binding.namespace)\" of \(kind) \"\(role.name)\" to \(subject)")
        }
        return (false, "")
    }

    /// The subject of the binding that names this user, described as the reason names it; nil when none does.
    static func matchingSubject(_ binding: JSON, _ user: UserInfo, bindingNamespace: String) -> String? {
        for subject in binding["subjects"]?.arrayValue ?? [] {
            let name = subject["name"]?.stringValue ?? ""
            switch subject["kind"]?.stringValue {
            case "User" where name == user.username: return "User \"\(name)\""
            case "Group" where user.groups.contains(name): return "Group \"\(name)\""
            case "ServiceAccount":
                let namespace = subject["namespace"]?.stringValue ?? bindingNamespace
                if let account = user.serviceAccount, account.namespace == namespace, account.name == name {
                    return "ServiceAccount \"\(name)/\(namespace)\""
                }
            default: continue
            }
        }
        return nil
    }

    /// Whether one of the role's rules covers the request (rbac/v1 helpers: VerbMatches, APIGroupMatches, …).
    static func allows(_ role: JSON, _ attributes: AuthorizationAttributes) -> Bool {
        (role["rules"]?.arrayValue ?? []).contains { rule in
            let list: (String) -> [String] = { rule[$0]?.arrayValue?.compactMap(\.stringValue) ?? [] }
            let verbs = list("verbs")
            guard verbs.contains("*") || verbs.contains(attributes.verb) else { return false }
            if !attributes.isResourceRequest {
                return list("nonResourceURLs").contains { url in
                    url == "*" || url == attributes.path || (url.hasSuffix("*") && attributes.path.hasPrefix(String(url.dropLast())))
                }
            }
            let groups = list("apiGroups")
            guard groups.contains("*") || groups.contains(attributes.apiGroup) else { return false }
            let resources = list("resources")
            let combined = attributes.resourceWithSubresource
            guard resources.contains("*") || resources.contains(combined)
                    || (!attributes.subresource.isEmpty && resources.contains("*/\(attributes.subresource)")) else { return false }
            let names = list("resourceNames")
            return names.isEmpty || names.contains(attributes.name)
        }
    }

    private static func clusterRole(_ name: String, _ rules: [JSON]) -> JSON {
        ["kind": "ClusterRole", "metadata": ["name": .string(name)], "rules": .array(rules)]
    }

    private static func binding(_ name: String, role: String, groups: [String]) -> JSON {
        ["kind": "ClusterRoleBinding", "metadata": ["name": .string(name)], "roleRef": ["kind": "ClusterRole", "name": .string(role)],
         "subjects": .array(groups.map { ["kind": "Group", "name": .string($0)] })]
    }

    /// The ClusterRoles of the bootstrap policy that decide what an install meets.
    static let bootstrapClusterRoles: [JSON] = [
        clusterRole("cluster-admin", [["apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]], ["nonResourceURLs": ["*"], "verbs": ["*"]]]),
        clusterRole("system:discovery", [["nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                                                              "/openapi/*", "/readyz", "/version", "/version/"], "verbs": ["get"]]]),
        clusterRole("system:basic-user", [
            ["apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "verbs": ["create"]],
            ["apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"], "verbs": ["create"]],
        ]),
        clusterRole("system:public-info-viewer", [["nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"],
                                                   "verbs": ["get"]]]),
    ]

    /// Their ClusterRoleBindings.
    static let bootstrapBindings: [JSON] = [
        binding("cluster-admin", role: "cluster-admin", groups: ["system:masters"]),
        binding("system:discovery", role: "system:discovery", groups: ["system:authenticated"]),
        binding("system:basic-user", role: "system:basic-user", groups: ["system:authenticated"]),
        binding("system:public-info-viewer", role: "system:public-info-viewer", groups: ["system:authenticated", "system:unauthenticated"]),
    ]
}
