@_exported import KubeMeta  // ObjectMeta and Timestamp are part of this module's types
/// The `HourlyImage` custom resource (`images.dwk.dev/v1alpha1`).
public struct HourlyImage: Sendable, Hashable, Codable {
    /// The API group.
    public static let group = "images.dwk.dev"
    /// The served version.
    public static let version = "v1alpha1"
    /// `group/version`, as `apiVersion` spells it.
    public static let apiVersion = "\(group)/\(version)"
    /// The kind.
    public static let kind = "HourlyImage"
    /// The resource name in URLs.
    public static let plural = "hourlyimages"
    /// The finalizer that removes the resource's files from the volume.
    public static let finalizer = "images.dwk.dev/cleanup"

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: HourlyImageSpec
    public var status: HourlyImageStatus?

    /// Creates a resource with the current apiVersion and kind.
    public init(metadata: ObjectMeta, spec: HourlyImageSpec = HourlyImageSpec(), status: HourlyImageStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, spec, status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decode(String.self, forKey: .apiVersion)
        kind = try c.decode(String.self, forKey: .kind)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        spec = try c.decodeIfPresent(HourlyImageSpec.self, forKey: .spec) ?? HourlyImageSpec()
        status = try c.decodeIfPresent(HourlyImageStatus.self, forKey: .status)
    }
}
