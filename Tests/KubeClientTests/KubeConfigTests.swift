import Foundation
import Testing

@testable import KubeClient

final class ConfigDir {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-kcfg-\(UUID().uuidString)").path
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }
}

@Suite("kubeconfig and in-cluster configuration")
struct KubeConfigTests {
    static let ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    @Test("token, CA data, context namespace and current-context")
    func tokenAndCAData() throws {
        let dir = ConfigDir()
        let file = dir.write("config", """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: k3d
              cluster: {server: "https://127.0.0.1:6443/", certificate-authority-data: \(Data(Self.ca.utf8).base64EncodedString())}
            users:
            - name: admin
              user: {token: s3cret-token}
            contexts:
            - name: dev
              context: {cluster: k3d, user: admin, namespace: images}
            """)
        let c = try KubeConfig.fromFiles([file])
        #expect(c.server == "https://127.0.0.1:6443")
        #expect(c.caPEM == Data(Self.ca.utf8))
        #expect(try c.token?.current() == "s3cret-token")
        #expect(c.namespace == "images")
        #expect(!c.insecureSkipTLSVerify)
        #expect(!c.description.contains("s3cret"), "secrets never appear in descriptions")
    }

    @Test("files named relative to the kubeconfig; client certificate and key; tokenFile; insecure only when set")
    func relativeFiles() throws {
        let dir = ConfigDir()
        dir.write("pki/ca.crt", Self.ca)
        dir.write("pki/client.crt", "CERT")
        dir.write("pki/client.key", "KEY")
        dir.write("token", "from-file\n")
        let file = dir.write("config", """
            current-context: a
            clusters:
            - {name: c, cluster: {server: "https://10.0.0.1:443", certificate-authority: pki/ca.crt, insecure-skip-tls-verify: true}}
            users:
            - {name: u, user: {client-certificate: pki/client.crt, client-key: pki/client.key}}
            - {name: t, user: {tokenFile: token}}
            contexts:
            - {name: a, context: {cluster: c, user: u}}
            - {name: b, context: {cluster: c, user: t}}
            """)
        let a = try KubeConfig.fromFiles([file])
        #expect(a.caPEM == Data(Self.ca.utf8))
        #expect(a.clientCertificatePEM == Data("CERT".utf8))
        #expect(a.clientKeyPEM == Data("KEY".utf8))
        #expect(a.insecureSkipTLSVerify)
        #expect(a.namespace == "default")
        let b = try KubeConfig.fromFiles([file], context: "b")
        #expect(try b.token?.current() == "from-file")
    }

    @Test("KUBECONFIG lists are merged: the first file to define a name or current-context wins")
    func merging() throws {
        let dir = ConfigDir()
        let first = dir.write("one", """
            current-context: one
            clusters: [{name: shared, cluster: {server: "https://first:6443"}}]
            users: [{name: me, user: {token: first-token}}]
            contexts: [{name: one, context: {cluster: shared, user: me}}]
            """)
        let second = dir.write("two", """
            current-context: two
            clusters: [{name: shared, cluster: {server: "https://second:6443"}}, {name: other, cluster: {server: "https://other:6443"}}]
            contexts: [{name: two, context: {cluster: other, user: me}}]
            """)
        let merged = try KubeConfig.load(environment: ["KUBECONFIG": "\(first):\(dir.path)/missing:\(second)"])
        #expect(merged.server == "https://first:6443")
        let other = try KubeConfig.load(context: "two", environment: ["KUBECONFIG": "\(first):\(second)"])
        #expect(other.server == "https://other:6443")
        #expect(try other.token?.current() == "first-token")
    }

    @Test("broken configurations name what is wrong", arguments: [
        ("clusters: []\ncontexts: []\n", "no current-context"),
        ("current-context: x\ncontexts: []\n", "context \"x\" not found"),
        ("current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n", "names cluster \"c\""),
        ("current-context: x\nclusters: [{name: c, cluster: {}}]\ncontexts: [{name: x, context: {cluster: c}}]\n", "has no server"),
        ("current-context: x\nclusters: [{name: c, cluster: {server: \"https://h\", certificate-authority: /nonexistent/ca}}]\ncontexts: [{name: x, context: {cluster: c}}]\n", "cannot read certificate-authority /nonexistent/ca"),
        ("current-context: x\nclusters: [{name: c, cluster: {server: \"https://h\"}}]\nusers: [{name: u, user: {client-certificate-data: Q0VSVA==}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n", "without a key"),
        ("current-context: x\nclusters: [{name: c, cluster: {server: \"https://h\", certificate-authority-data: \"%%%\"}}]\ncontexts: [{name: x, context: {cluster: c}}]\n", "not valid base64"),
        ("current-context: x\nclusters: [{name: c, cluster: {server: \"https://h\"}}]\nusers: [{name: u, user: {exec: {command: aws}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n", "exec credential plugin: apiVersion is required"),
        ("current-context: x\nclusters: [{name: c, cluster: {server: \"https://h\"}}]\nusers: [{name: u, user: {auth-provider: {name: gcp}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n", "auth-provider credentials"),
        (": : :\n", "not valid YAML"),
    ])
    func broken(text: String, message: String) {
        let dir = ConfigDir()
        let file = dir.write("config", text)
        #expect {
            try KubeConfig.fromFiles([file])
        } throws: { error in
            (error as? KubeConfigError)?.description.contains(message) == true
        }
    }

    @Test("a missing kubeconfig is a clear error")
    func missing() {
        #expect(throws: KubeConfigError.self) { try KubeConfig.load(kubeconfig: "/nonexistent/kubeconfig") }
    }

    @Test("in-cluster: service host and port (IPv6 in brackets), token, CA and namespace")
    func inCluster() throws {
        let dir = ConfigDir()
        dir.write("token", "sa-token")
        dir.write("ca.crt", Self.ca)
        dir.write("namespace", "hourly-image\n")
        let v4 = try KubeConfig.load(environment: ["KUBERNETES_SERVICE_HOST": "10.43.0.1", "KUBERNETES_SERVICE_PORT": "443"], serviceAccountDirectory: dir.path)
        #expect(v4.server == "https://10.43.0.1:443")
        #expect(v4.namespace == "hourly-image")
        #expect(v4.caPEM == Data(Self.ca.utf8))
        #expect(try v4.token?.current() == "sa-token")
        let v6 = try KubeConfig.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"], directory: dir.path)
        #expect(v6.server == "https://[fd00::1]:6443")
        #expect(throws: KubeConfigError.self) { try KubeConfig.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "h"], directory: dir.path + "/none") }
    }

    @Test("a rotated token file is picked up")
    func rotation() throws {
        let dir = ConfigDir()
        let path = dir.write("token", "one")
        let source = TokenSource(file: path)
        #expect(try source.current() == "one")
        dir.write("token", "two")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: path)
        #expect(try source.current() == "two")
        dir.write("token", "three")
        source.invalidate()
        #expect(try source.current() == "three")
    }
}
