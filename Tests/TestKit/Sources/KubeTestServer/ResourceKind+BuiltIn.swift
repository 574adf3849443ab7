/// The built-in kinds beyond Events and Leases that a cluster install touches: Namespaces, ServiceAccounts, RBAC,
/// CustomResourceDefinitions, and the access reviews kubectl auth uses.
extension ResourceKind {
    /// A built-in kind with upstream's registry defaults (no generation, no status subresource, unconditional PUT).
    static func builtIn(group: String, version: String, plural: String, singular: String, kind: String, shortNames: [String] = [],
                        namespaced: Bool = true, tracksGeneration: Bool = false, statusSubresource: Bool = false,
                        createOnly: Bool = false) -> ResourceKind {
        var resource = ResourceKind(
            group: group, version: version, plural: plural, singular: singular, kind: kind, shortNames: shortNames,
            hasStatusSubresource: statusSubresource, tracksGeneration: tracksGeneration, allowUnconditionalUpdate: true,
            allowCreateOnUpdate: false, acceptsStrategicMergePatch: true, columns: [ageColumn], isView: false)
        resource.namespaced = namespaced
        resource.createOnly = createOnly
        return resource
    }

    /// `namespaces` (core/v1, cluster-scoped).
    static let namespaces = builtIn(group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace",
                                    shortNames: ["ns"], namespaced: false, statusSubresource: true)
    /// `serviceaccounts` (core/v1).
    static let serviceAccounts = builtIn(group: "", version: "v1", plural: "serviceaccounts", singular: "serviceaccount",
                                         kind: "ServiceAccount", shortNames: ["sa"])
    /// `roles.rbac.authorization.k8s.io/v1`.
    static let roles = builtIn(group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", singular: "role", kind: "Role")
    /// `rolebindings.rbac.authorization.k8s.io/v1`.
    static let roleBindings = builtIn(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings", singular: "rolebinding",
                                      kind: "RoleBinding")
    /// `clusterroles.rbac.authorization.k8s.io/v1`.
    static let clusterRoles = builtIn(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", singular: "clusterrole",
                                      kind: "ClusterRole", namespaced: false)
    /// `clusterrolebindings.rbac.authorization.k8s.io/v1`.
    static let clusterRoleBindings = builtIn(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings",
                                             singular: "clusterrolebinding", kind: "ClusterRoleBinding", namespaced: false)
    /// `pods` (core/v1): only what `kubectl himg logs` reads (list by label, the `log` subresource; see `setPodLog`).
    static let pods = builtIn(group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod", shortNames: ["po"],
                              statusSubresource: true)
    /// `ingresses.networking.k8s.io/v1`, with its status (the load balancer's address).
    static let ingresses = builtIn(group: "networking.k8s.io", version: "v1", plural: "ingresses", singular: "ingress", kind: "Ingress",
                                   shortNames: ["ing"], tracksGeneration: true, statusSubresource: true)
    /// `customresourcedefinitions.apiextensions.k8s.io/v1` (cluster-scoped; creating one serves a new resource).
    static let customResourceDefinitions = builtIn(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                                                   singular: "customresourcedefinition", kind: "CustomResourceDefinition",
                                                   shortNames: ["crd", "crds"], namespaced: false, tracksGeneration: true,
                                                   statusSubresource: true)
    /// `selfsubjectaccessreviews.authorization.k8s.io/v1` (create only: "may I?").
    static let selfSubjectAccessReviews = builtIn(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews",
                                                  singular: "", kind: "SelfSubjectAccessReview", namespaced: false, createOnly: true)
    /// `selfsubjectreviews.authentication.k8s.io/v1` (create only: "who am I?").
    static let selfSubjectReviews = builtIn(group: "authentication.k8s.io", version: "v1", plural: "selfsubjectreviews",
                                            singular: "", kind: "SelfSubjectReview", namespaced: false, createOnly: true)

    /// The custom resource a CustomResourceDefinition serves (its first served version), or nil when it names none.
    init?(crd: JSON) {
        let spec = crd["spec"] ?? .null
        guard let group = spec["group"]?.stringValue, let names = spec["names"], let plural = names["plural"]?.stringValue,
              let kind = names["kind"]?.stringValue,
              let version = spec["versions"]?.arrayValue?.first(where: { $0["served"] == .bool(true) }),
              let versionName = version["name"]?.stringValue else { return nil }
        let columns = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { column -> PrinterColumn? in
            guard let name = column["name"]?.stringValue, let jsonPath = column["jsonPath"]?.stringValue else { return nil }
            return PrinterColumn(name: name, type: column["type"]?.stringValue ?? "string", format: column["format"]?.stringValue ?? "",
                                 description: column["description"]?.stringValue ?? "", priority: Int(column["priority"]?.intValue ?? 0),
                                 jsonPath: jsonPath)
        }
        self.init(group: group, version: versionName, plural: plural, singular: names["singular"]?.stringValue ?? kind.lowercased(),
                  kind: kind, shortNames: names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                  hasStatusSubresource: version["subresources"]?["status"] != nil, tracksGeneration: true,
                  allowUnconditionalUpdate: false, allowCreateOnUpdate: false, acceptsStrategicMergePatch: false,
                  columns: columns.isEmpty ? [Self.ageColumn] : columns, isView: false)
        namespaced = spec["scope"]?.stringValue != "Cluster"
        schema = version["schema"]?["openAPIV3Schema"]
    }
}
