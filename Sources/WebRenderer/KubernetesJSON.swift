import Foundation
import HourlyImageAPI

/// JSON in the shapes the Kubernetes API returns, so scripts read standalone status like `kubectl get -o json`.
enum KubernetesJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    struct ListMeta: Encodable { var resourceVersion: String }

    struct List: Encodable {
        var apiVersion = HourlyImage.apiVersion
        var kind = "HourlyImageList"
        var metadata: ListMeta
        var items: [HourlyImage]
    }

    /// A `Status` object for an error, as the API server sends it.
    struct Status: Encodable {
        struct Details: Encodable {
            var name: String?
            var group: String
            var kind: String
        }

        var kind = "Status"
        var apiVersion = "v1"
        var metadata: [String: String] = [:]
        var status = "Failure"
        var message: String
        var reason: String
        var details: Details?
        var code: Int
    }

    static func list(_ items: [HourlyImage]) -> Data {
        let version = items.compactMap { Int($0.metadata.resourceVersion ?? "") }.max() ?? 0
        return (try? encoder.encode(List(metadata: ListMeta(resourceVersion: String(version)), items: items))) ?? Data()
    }

    static func object(_ resource: HourlyImage) -> Data {
        (try? encoder.encode(resource)) ?? Data()
    }

    static func notFound(name: String) -> Data {
        let status = Status(
            message: "\(HourlyImage.plural).\(HourlyImage.group) \"\(name)\" not found", reason: "NotFound",
            details: .init(name: name, group: HourlyImage.group, kind: HourlyImage.plural), code: 404)
        return (try? encoder.encode(status)) ?? Data()
    }
}
