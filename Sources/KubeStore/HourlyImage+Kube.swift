import HourlyImageAPI
import KubeClient

extension HourlyImage: KubeObject {}

extension ResourceType {
    /// `hourlyimages.images.dwk.dev`, the CRD's resource.
    public static let hourlyImages = ResourceType(group: HourlyImage.group, version: HourlyImage.version, plural: "hourlyimages")
}
