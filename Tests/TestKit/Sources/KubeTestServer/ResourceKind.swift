/// One printer column of a resource's Table view (a CRD's additionalPrinterColumns).
struct PrinterColumn: Sendable {
    let name: String
    let type: String
    let format: String
    let description: String
    let priority: Int
    /// A JSONPath of the simple kinds CRDs use: `.a.b`, `.a[?(@.k=="v")].b`.
    let jsonPath: String
}

/// A resource the server serves and the registry rules upstream applies to it.
struct ResourceKind: Sendable, Hashable {
    let group: String
    let version: String
    let plural: String
    let singular: String
    let kind: String
    let shortNames: [String]
    /// Has a `/status` subresource: the main resource ignores status, `/status` ignores the rest.
    let hasStatusSubresource: Bool
    /// Sets `metadata.generation` and bumps it on spec changes (custom resources do; Events and Leases do not).
    let tracksGeneration: Bool
    /// A PUT without metadata.resourceVersion is allowed (the strategy's AllowUnconditionalUpdate).
    let allowUnconditionalUpdate: Bool
    /// A PUT to a missing object creates it (the strategy's AllowCreateOnUpdate).
    let allowCreateOnUpdate: Bool
    /// Takes strategic merge patch (built-in types only; custom resources answer 415).
    let acceptsStrategicMergePatch: Bool
    /// Printer columns after NAME for the Table view.
    let columns: [PrinterColumn]
    /// Read-only view of another resource's objects (core/v1 Events are events.k8s.io/v1 Events converted).
    let isView: Bool
    /// Lives in a namespace (false: cluster-scoped, like Namespaces and CustomResourceDefinitions).
    var namespaced = true
    /// The structural schema of a custom resource (its CRD version's openAPIV3Schema); nil for built-in kinds.
    var schema: JSON?
    /// Only `create` is served, nothing is stored (SelfSubjectAccessReview, SelfSubjectReview).
    var createOnly = false

    static func == (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.group == rhs.group && lhs.plural == rhs.plural }
    func hash(into hasher: inout Hasher) {
        hasher.combine(group)
        hasher.combine(plural)
    }

    /// "hourlyimages.images.dwk.dev", or the plural alone for the core group.
    var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// "images.dwk.dev/v1alpha1", or "v1".
    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// The kind of a list of these.
    var listKind: String { kind + "List" }

    static let ageColumn = PrinterColumn(name: "Age", type: "date", format: "", description: "Time since the resource was created.",
                                         priority: 0, jsonPath: ".metadata.creationTimestamp")

    /// `hourlyimages.images.dwk.dev/v1alpha1`, with the printer columns of crds/hourlyimages.images.dwk.dev.yaml
    /// (a copy, so the server needs no file at run time; KubectlTests checks it equals the CRD's).
    static let hourlyImages = ResourceKind(
        group: "images.dwk.dev", version: "v1alpha1", plural: "hourlyimages", singular: "hourlyimage", kind: "HourlyImage",
        shortNames: ["himg"], hasStatusSubresource: true, tracksGeneration: true, allowUnconditionalUpdate: false,
        allowCreateOnUpdate: false, acceptsStrategicMergePatch: false,
        columns: [
            PrinterColumn(name: "Ready", type: "string", format: "",
                          description: "Whether an image can be served (the Ready condition).",
                          priority: 0, jsonPath: #".status.conditions[?(@.type=="Ready")].status"#),
            PrinterColumn(name: "Reason", type: "string", format: "",
                          description: "The Ready condition's reason: ImageAvailable when ready, else why not (NoImageYet, FetchFailed, InvalidSpec).",
                          priority: 0, jsonPath: #".status.conditions[?(@.type=="Ready")].reason"#),
            PrinterColumn(name: "Fresh", type: "string", format: "",
                          description: "Whether the served image is still within its ttl (the Fresh condition); False means it is in its grace views, or that there is no image yet.",
                          priority: 0, jsonPath: #".status.conditions[?(@.type=="Fresh")].status"#),
            PrinterColumn(name: "Image", type: "string", format: "",
                          description: "The image being served: picsum/<id> for Lorem Picsum, else the file name or host of the URL it came from (status.imageLabel).",
                          priority: 0, jsonPath: ".status.imageLabel"),
            PrinterColumn(name: "Grace", type: "string", format: "",
                          description: "Grace views used of spec.graceCount, e.g. 1/3 (status.graceUsage).",
                          priority: 0, jsonPath: ".status.graceUsage"),
            PrinterColumn(name: "Expires", type: "string", format: "",
                          description: "When the image being served stops being fresh (status.current.expiresAt, UTC); a string column, because kubectl prints a date in the future as <invalid>.",
                          priority: 0, jsonPath: ".status.current.expiresAt"),
            PrinterColumn(name: "Fetched", type: "date", format: "",
                          description: "When the image being served was downloaded.",
                          priority: 0, jsonPath: ".status.current.fetchedAt"),
            ageColumn,
            PrinterColumn(name: "Source", type: "string", format: "",
                          description: "The URL the image being served came from (else spec.url), userinfo and query values shown as *** (status.redactedSourceURL).",
                          priority: 1, jsonPath: ".status.redactedSourceURL"),
            PrinterColumn(name: "SHA256", type: "string", format: "",
                          description: "The first 12 hex digits of the served image's SHA-256 (status.shortSHA256).",
                          priority: 1, jsonPath: ".status.shortSHA256"),
            PrinterColumn(name: "TTL", type: "string", format: "",
                          description: "How long one image is served (spec.ttl).",
                          priority: 1, jsonPath: ".spec.ttl"),
            PrinterColumn(name: "Schedule", type: "string", format: "",
                          description: "When images change, if not after the TTL (spec.schedule).",
                          priority: 1, jsonPath: ".spec.schedule"),
        ],
        isView: false)

    /// `events.events.k8s.io/v1`.
    static let events = ResourceKind(
        group: "events.k8s.io", version: "v1", plural: "events", singular: "event", kind: "Event", shortNames: ["ev"],
        hasStatusSubresource: false, tracksGeneration: false, allowUnconditionalUpdate: true, allowCreateOnUpdate: true,
        acceptsStrategicMergePatch: true,
        columns: [PrinterColumn(name: "Reason", type: "string", format: "", description: "", priority: 0, jsonPath: ".reason"),
                  PrinterColumn(name: "Note", type: "string", format: "", description: "", priority: 0, jsonPath: ".note"),
                  ageColumn],
        isView: false)

    /// `leases.coordination.k8s.io/v1`.
    static let leases = ResourceKind(
        group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease", kind: "Lease", shortNames: [],
        hasStatusSubresource: false, tracksGeneration: false, allowUnconditionalUpdate: true, allowCreateOnUpdate: false,
        acceptsStrategicMergePatch: true,
        columns: [PrinterColumn(name: "Holder", type: "string", format: "", description: "", priority: 0, jsonPath: ".spec.holderIdentity"),
                  ageColumn],
        isView: false)

    /// `events/v1` (core): a read-only view of the events.k8s.io Events, for `kubectl describe`.
    static let coreEvents = ResourceKind(
        group: "", version: "v1", plural: "events", singular: "event", kind: "Event", shortNames: ["ev"],
        hasStatusSubresource: false, tracksGeneration: false, allowUnconditionalUpdate: true, allowCreateOnUpdate: true,
        acceptsStrategicMergePatch: true,
        columns: [PrinterColumn(name: "Reason", type: "string", format: "", description: "", priority: 0, jsonPath: ".reason"),
                  PrinterColumn(name: "Message", type: "string", format: "", description: "", priority: 0, jsonPath: ".message"),
                  ageColumn],
        isView: true)

    /// The built-in resources every server has, before any CustomResourceDefinition is created.
    static let builtIn: [ResourceKind] = [.events, .leases, .coreEvents, .namespaces, .serviceAccounts, .roles, .roleBindings,
                                          .clusterRoles, .clusterRoleBindings, .customResourceDefinitions, .pods, .ingresses,
                                          .selfSubjectAccessReviews, .selfSubjectReviews]
}
