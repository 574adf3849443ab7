import HourlyImageAPI
import KubeClient

// The generic client knows no HourlyImage; these tests teach it, as KubeStore does for the product.
extension HourlyImage: KubeObject {}

extension ResourceType {
    static let hourlyImages = ResourceType(group: HourlyImage.group, version: HourlyImage.version, plural: "hourlyimages")
}
