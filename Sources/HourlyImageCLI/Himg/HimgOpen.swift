import ArgumentParser
import Foundation
import HourlyImageAPI
import KubeClient

/// An Ingress, as far as `kubectl himg open` reads it.
struct ListedIngress: KubeObject {
    struct Spec: Codable, Sendable {
        struct Rule: Codable, Sendable { var host: String? }
        struct TLS: Codable, Sendable { var hosts: [String]? }
        var rules: [Rule]?
        var tls: [TLS]?
    }
    struct Status: Codable, Sendable {
        struct LoadBalancer: Codable, Sendable {
            struct Address: Codable, Sendable {
                var ip: String?
                var hostname: String?
            }
            var ingress: [Address]?
        }
        var loadBalancer: LoadBalancer?
    }

    var metadata: ObjectMeta
    var spec: Spec?
    var status: Status?

    /// `http(s)://host` from the first rule's host (https when TLS names it), else the load balancer's address; nil
    /// while the Ingress has neither.
    var baseURL: String? {
        if let host = spec?.rules?.first?.host, !host.isEmpty, Self.isHostName(host) {
            let tls = spec?.tls?.contains { $0.hosts?.contains(host) == true } == true
            return "\(tls ? "https" : "http")://\(host)"
        }
        let address = status?.loadBalancer?.ingress?.first
        guard let target = address?.ip ?? address?.hostname, !target.isEmpty, Self.isHostName(target) else { return nil }
        return "http://\(target.contains(":") ? "[\(target)]" : target)"
    }

    /// Letters, digits, `.`, `-`, `:` (IPv6): nothing that could rewrite the printed URL.
    static func isHostName(_ text: String) -> Bool {
        text.count <= 253 && text.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ".-:".unicodeScalars.contains($0) }
    }
}

/// `kubectl himg open NAME`.
struct HimgOpen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Print the page's URL: from the web's Ingress, or through a port-forward to the web Service (until Ctrl-C).")

    @OptionGroup var kube: KubectlOptions

    @Argument(help: "the HourlyImage")
    var name: String

    @Option(help: "the namespace of the web Deployment, its Service and Ingress")
    var webNamespace = "hourly-image"

    @Option(help: "the web's Ingress")
    var ingress = "hourly-image"

    @Option(help: "the web's Service (port 80), for the port-forward")
    var service = "hourly-image-web"

    @Flag(help: "port-forward even when the Ingress has an address")
    var portForward = false

    @Option(help: "the local port of the port-forward; default a free one")
    var localPort: Int?

    func run() async throws {
        try await himgRun {
            let (client, namespace) = try kube.client()
            _ = try await himgGet(client, namespace: namespace, name: name)
            let path = "/images/\(ResourceType.escape(namespace))/\(ResourceType.escape(name))"
            if !portForward, let found = try? await client.get(.ingresses, namespace: webNamespace, name: ingress, as: ListedIngress.self),
               let base = found.baseURL {
                print(base + path)
                return
            }
            try forward(path: path)
        }
    }

    /// Prints the local URL and becomes `kubectl port-forward` (exec), which runs until Ctrl-C.
    private func forward(path: String) throws {
        guard let kubectl = Self.onPath("kubectl") else { throw HimgError("kubectl is not on PATH; it is needed for the port-forward") }
        let port = try localPort ?? Self.freePort()
        guard (1...65535).contains(port) else { throw HimgError("--local-port is 1 to 65535") }
        var arguments = ["kubectl", "port-forward", "--namespace", webNamespace, "svc/\(service)", "\(port):80", "--address", "127.0.0.1"]
        if let file = kube.kubeconfig { arguments += ["--kubeconfig", file] }
        if let context = kube.context { arguments += ["--context", context] }
        print("http://127.0.0.1:\(port)\(path)  (port-forwarding svc/\(service) in \(webNamespace); Ctrl-C stops it)")
        fflush(nil)  // every stream: the URL must be out before exec replaces this process
        let argv = arguments.map { strdup($0) } + [nil]
        execv(kubectl, argv)
        throw HimgError("cannot run \(kubectl): \(String(cString: strerror(errno)))")
    }

    /// The first executable `name` in PATH.
    static func onPath(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A port the kernel says is free on 127.0.0.1 now (kubectl binds it a moment later).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HimgError("no socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw HimgError("no free local port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
