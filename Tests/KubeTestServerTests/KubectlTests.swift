import Foundation
import KubeTestServer
import Testing

/// kubectl itself against the test server (skipped when kubectl is not installed).
@Suite("kubectl", .enabled(if: Kubectl.path != nil))
struct KubectlTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("crds/samples/hourlyimage.yaml").path

    /// A temporary directory holding the kubeconfig and kubectl's cache.
    static func workspace(_ server: KubeTestServer, token: String? = nil, clientCert: (certPath: String, keyPath: String)? = nil) throws -> (String, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let kubeconfig = directory + "/kubeconfig"
        try Data(server.kubeconfig(token: token, clientCert: clientCert).utf8).write(to: URL(fileURLWithPath: kubeconfig))
        return (kubeconfig, directory)
    }

    @Test("kubectl applies the sample, lists it across namespaces and by short name, and describes it")
    func applyGetDescribe() async throws {
        try await withServer { server in
            let (kubeconfig, directory) = try Self.workspace(server)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let applied = try await Kubectl.run(["apply", "-f", Self.sample], kubeconfig: kubeconfig, directory: directory)
            #expect(applied.status == 0)
            #expect(applied.output.contains("hourlyimage.images.dwk.dev/project-image created"))
            let all = try await Kubectl.run(["get", "hourlyimages", "-A"], kubeconfig: kubeconfig, directory: directory)
            #expect(all.output.contains("NAMESPACE"))
            #expect(all.output.contains("project-image"))
            let short = try await Kubectl.run(["get", "himg", "-n", "default"], kubeconfig: kubeconfig, directory: directory)
            #expect(short.output.hasPrefix("NAME"))
            #expect(short.output.contains("READY"))
            let described = try await Kubectl.run(["describe", "hourlyimage", "project-image"], kubeconfig: kubeconfig, directory: directory)
            #expect(described.status == 0)
            #expect(described.output.contains("Ttl:"))
            let reapplied = try await Kubectl.run(["apply", "-f", Self.sample], kubeconfig: kubeconfig, directory: directory)
            #expect(reapplied.output.contains("unchanged"))
        }
    }

    @Test("kubectl get -w prints the change another client makes")
    func watch() async throws {
        try await withServer { server in
            let (kubeconfig, directory) = try Self.workspace(server)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            _ = try await Kubectl.run(["apply", "-f", Self.sample], kubeconfig: kubeconfig, directory: directory)
            let watch = try Kubectl(["get", "himg", "-w"], kubeconfig: kubeconfig, directory: directory)
            defer { watch.stop() }
            #expect(await eventually { await server.openWatchCount == 1 })
            let status = #"{"status":{"graceViews":0,"current":{"picsumID":"4242"}}}"#
            let patched = try await Kubectl.run(["patch", "himg", "project-image", "--subresource=status", "--type=merge", "-p", status],
                                                kubeconfig: kubeconfig, directory: directory)
            #expect(patched.status == 0)
            #expect(await eventually { watch.output.contains("4242") })
        }
    }

    @Test("kubectl works over HTTPS with a client certificate")
    func overTLS() async throws {
        let pki = try TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.init(tls: pki, tokens: ["unused": "nobody"])) { server in
            let (kubeconfig, directory) = try Self.workspace(server, clientCert: try pki.clientCert(cn: "admin"))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let listed = try await Kubectl.run(["get", "himg", "-A"], kubeconfig: kubeconfig, directory: directory)
            #expect(listed.status == 0)
            #expect(await server.requests().contains { $0.identity == "admin" })
        }
    }
}
