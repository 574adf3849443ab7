import ArgumentParser
import Foundation
import HourlyImageAPI
import KubeClient

/// A pod, as far as `kubectl himg logs` reads it.
struct ListedPod: KubeObject {
    var metadata: ObjectMeta
}

/// Picks the controller's log lines about one HourlyImage: text lines with `hourlyimage=NS/NAME`, JSON lines with
/// `"hourlyimage":"NS/NAME"` (shown as text); pure, for tests.
enum ControllerLogs {
    /// The last `limit` lines of `log` about `key`, JSON lines rewritten as `TIME LEVEL message key=value…`.
    static func select(_ log: String, key: ResourceKey, limit: Int) -> [String] {
        let wanted = "\(key)"
        var picked: [String] = []
        for line in log.split(separator: "\n") {
            if line.first == "{" {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                      object["hourlyimage"] as? String == wanted else { continue }
                picked.append(readable(object))
            } else if line.split(separator: " ").contains(where: { $0 == "hourlyimage=\(wanted)" }) {
                picked.append(Redaction.logValue(String(line)))
            }
        }
        return Array(picked.suffix(max(0, limit)))
    }

    /// One JSON log object as a text line, fields in name order.
    private static func readable(_ object: [String: Any]) -> String {
        let fixed = ["time", "level", "logger", "msg", "hourlyimage"]
        let fields = object.keys.filter { !fixed.contains($0) }.sorted().map { "\($0)=\(object[$0].map { "\($0)" } ?? "")" }
        let parts = ["\(object["time"] ?? "")", "\(object["level"] ?? "")", "\(object["msg"] ?? "")"] + fields
        return Redaction.logValue(parts.joined(separator: " "))
    }
}

/// `kubectl himg logs NAME`.
struct HimgLogs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "The controller's recent log lines about one HourlyImage (the leader's first).")

    @OptionGroup var kube: KubectlOptions

    @Argument(help: "the HourlyImage")
    var name: String

    @Option(help: "the controller's namespace")
    var operatorNamespace = "hourly-image"

    @Option(help: "how many lines to show")
    var tail = 20

    @Option(help: "how many of each controller pod's last lines to search")
    var scan = 5000

    /// Pods of the controller Deployment (manifests/controller-deployment.yaml).
    static let selector = "app.kubernetes.io/name=hourly-image,app.kubernetes.io/component=controller"
    /// The leader-election Lease, whose holder is a pod name.
    static let leaseName = "hourly-image-controller"

    func run() async throws {
        try await himgRun {
            let (client, namespace) = try kube.client()
            guard (1...100_000).contains(tail), (1...1_000_000).contains(scan) else { throw HimgError("--tail is 1 to 100000, --scan 1 to 1000000") }
            let key = ResourceKey(namespace: namespace, name: name)
            let pods = try await client.listAll(.pods, namespace: operatorNamespace, labelSelector: Self.selector, as: ListedPod.self).items
                .map(\.metadata.name)
            guard !pods.isEmpty else {
                throw HimgError("no controller pods (\(Self.selector)) in namespace \(operatorNamespace); is the controller installed? (--operator-namespace)")
            }
            let leader = (try? await client.get(.leases, namespace: operatorNamespace, name: Self.leaseName, as: Lease.self))?.spec.holderIdentity
            var shown = 0
            for pod in pods.sorted(by: { ($0 == leader ? 0 : 1, $0) < ($1 == leader ? 0 : 1, $1) }) {
                let log = try await client.text(.pods, namespace: operatorNamespace, name: pod, subresource: "log", query: [("tailLines", String(scan))])
                let lines = ControllerLogs.select(log, key: key, limit: tail)
                guard !lines.isEmpty else { continue }
                print("==> pod/\(pod)\(pod == leader ? " (leader)" : "") <==")
                for line in lines { print(line) }
                shown += lines.count
            }
            if shown == 0 {
                print("No lines about \(key) in the last \(scan) lines of \(pods.count) controller pod\(pods.count == 1 ? "" : "s") (\(pods.joined(separator: ", "))).")
            }
        }
    }
}
