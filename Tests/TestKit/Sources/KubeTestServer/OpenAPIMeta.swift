import Foundation

/// What kube-apiserver's OpenAPI v3 group documents share whatever the resource: the meta/v1 schemas and the
/// documented query parameters of each operation (upstream compiles them in from apimachinery's generated
/// definitions; here they come from `Resources/openapi-v3-meta.json`, written by scripts/extract-openapi-meta.py).
struct OpenAPIMeta: Sendable {
    /// `name` and `namespace` path parameters.
    let pathParameters: [String: JSON]
    /// The `pretty` query parameter every operation takes.
    let pretty: JSON
    /// Query parameters by action (list, deletecollection, create, get, update, patch, delete).
    let options: [String: [JSON]]
    /// The `apiVersion` and `kind` properties the builder puts on every kind's schema.
    let typeMeta: [String: JSON]
    let objectMetaDescription: String
    let listMetaDescription: String
    /// "List of {plural}. More info: …".
    let listItemsDescription: String
    let info: JSON
    /// `io.k8s.apimachinery.pkg.apis.meta.v1.*` component schemas by name.
    let schemas: [String: JSON]

    /// The compiled-in definitions; a missing or damaged resource is a build mistake, so it stops the server loudly.
    static let shared: OpenAPIMeta = {
        guard let url = Bundle.module.url(forResource: "openapi-v3-meta", withExtension: "json"),
              let data = try? Data(contentsOf: url), let json = JSON.parse(data), let meta = OpenAPIMeta(json) else {
            fatalError("KubeTestServer: Resources/openapi-v3-meta.json is missing or malformed; run scripts/extract-openapi-meta.py")
        }
        return meta
    }()

    init?(_ json: JSON) {
        guard let pathParameters = json["pathParameters"]?.objectValue, let pretty = json["pretty"],
              let options = json["options"]?.objectValue, let typeMeta = json["typeMeta"]?.objectValue,
              let objectMeta = json["objectMetaDescription"]?.stringValue, let listMeta = json["listMetaDescription"]?.stringValue,
              let items = json["listItemsDescription"]?.stringValue, let info = json["info"],
              let schemas = json["schemas"]?.objectValue else { return nil }
        self.pathParameters = pathParameters
        self.pretty = pretty
        self.options = options.compactMapValues(\.arrayValue)
        self.typeMeta = typeMeta
        self.objectMetaDescription = objectMeta
        self.listMetaDescription = listMeta
        self.listItemsDescription = items
        self.info = info
        self.schemas = schemas
    }

    /// The meta schema reference `#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.<name>`.
    static func reference(_ name: String) -> JSON { ["$ref": .string("#/components/schemas/\(metaPrefix)\(name)")] }
    static let metaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1."
}
