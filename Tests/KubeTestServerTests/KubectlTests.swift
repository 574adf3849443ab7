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

    static let crd = URL(fileURLWithPath: sample).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("hourlyimages.images.dwk.dev.yaml").path

    @Test("on a server that starts like a cluster: apply the CRD, see defaults after applying spec: {}, explain, -o wide")
    func likeARealCluster() async throws {
        // HTTPS with a client certificate: kubectl sends no bearer token over plain HTTP, and an anonymous user may not
        // even read discovery on a cluster.
        let pki = try TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.cluster(tls: pki, adminName: "admin")) { server in
            let (kubeconfig, directory) = try Self.workspace(server, clientCert: try pki.clientCert(cn: "admin"))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let before = try await Kubectl.run(["get", "himg"], kubeconfig: kubeconfig, directory: directory)
            #expect(before.status != 0, "no HourlyImage resource before the CRD: \(before.output)")
            let crd = try await Kubectl.run(["apply", "-f", Self.crd], kubeconfig: kubeconfig, directory: directory)
            #expect(crd.output.contains("customresourcedefinition.apiextensions.k8s.io/hourlyimages.images.dwk.dev created"), "\(crd.output)")
            let empty = directory + "/empty.yaml"
            try Data("apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata:\n  name: empty\nspec: {}\n".utf8)
                .write(to: URL(fileURLWithPath: empty))
            let applied = try await Kubectl.run(["apply", "-f", empty], kubeconfig: kubeconfig, directory: directory)
            #expect(applied.output.contains("hourlyimage.images.dwk.dev/empty created"), "\(applied.output)")
            let ttl = try await Kubectl.run(["get", "himg", "empty", "-o", "jsonpath={.spec.ttl} {.spec.url} {.spec.graceCount}"],
                                            kubeconfig: kubeconfig, directory: directory)
            #expect(ttl.output == "1h https://picsum.photos/1200 1", "defaults applied by the server: \(ttl.output)")
            let wide = try await Kubectl.run(["get", "himg", "-o", "wide"], kubeconfig: kubeconfig, directory: directory)
            #expect(wide.output.contains("URL") && wide.output.contains("TTL") && wide.output.contains("1h"), "\(wide.output)")
            let explain = try await Kubectl.run(["explain", "himg.spec"], kubeconfig: kubeconfig, directory: directory)
            #expect(explain.status == 0, "\(explain.output)")
            #expect(explain.output.contains("graceCount") && explain.output.contains("ttl"), "\(explain.output)")
            let invalid = directory + "/invalid.yaml"
            try Data("apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata:\n  name: bad\nspec:\n  ttl: 0s\n".utf8)
                .write(to: URL(fileURLWithPath: invalid))
            let refused = try await Kubectl.run(["apply", "-f", invalid], kubeconfig: kubeconfig, directory: directory)
            #expect(refused.status != 0)
            #expect(refused.output.contains("ttl must be at least 1s"), "\(refused.output)")
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
