import Foundation
import HourlyImageAPI
import HourlyImageCore
import Testing

@testable import KubeTestServer

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
            #expect(await eventually { await server.openWatchCount == 1 })
            let status = #"{"status":{"graceViews":0,"imageLabel":"picsum/4242","current":{"picsumID":"4242"}}}"#
            let patched = try? await Kubectl.run(["patch", "himg", "project-image", "--subresource=status", "--type=merge", "-p", status],
                                                 kubeconfig: kubeconfig, directory: directory)
            #expect(patched?.status == 0)
            #expect(await eventually { watch.output.contains("4242") })
            // Stopped before the server: a watch left running would reconnect to a server shutting down.
            await watch.stop()
        }
    }

    static let crd = URL(fileURLWithPath: sample).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("hourlyimages.images.dwk.dev.yaml").path

    @Test("on a server that starts like a cluster: apply the CRD, see defaults after applying spec: {}, explain, -o wide")
    func likeARealCluster() async throws {
        // HTTPS with a client certificate: kubectl sends no bearer token over plain HTTP, and an anonymous user may not
        // even read discovery on a cluster.
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.cluster(tls: pki, adminName: "admin")) { server in
            let (kubeconfig, directory) = try Self.workspace(server, clientCert: try await pki.clientCert(cn: "admin"))
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
            #expect(wide.output.contains("SOURCE") && wide.output.contains("TTL") && wide.output.contains("1h"), "\(wide.output)")
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
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.init(tls: pki, tokens: ["unused": "nobody"])) { server in
            let (kubeconfig, directory) = try Self.workspace(server, clientCert: try await pki.clientCert(cn: "admin"))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let listed = try await Kubectl.run(["get", "himg", "-A"], kubeconfig: kubeconfig, directory: directory)
            #expect(listed.status == 0)
            #expect(await server.requests().contains { $0.identity == "admin" })
        }
    }

    /// A resource as the controller leaves it after one pass at `now` with this fetch outcome (and grace views).
    static func reconciled(_ name: String, spec: HourlyImageSpec, outcome: Result<ImageRecord, FetchFailure>, now: Date,
                           graceViews: Int? = nil, later: TimeInterval = 0) -> HourlyImage {
        var r = HourlyImage(metadata: ObjectMeta(name: name, namespace: "default", generation: 1), spec: spec)
        let stamp = Timestamp(now)
        r.status = Lifecycle.decide(r, blobs: [], now: stamp, manageFinalizer: false).status
        r.status = Lifecycle.record(outcome, slot: .current, into: r, now: stamp, jitter: 0.5)
        if let graceViews { r.status?.graceViews = graceViews }
        let file = (try? outcome.get()).map { [StoredBlob(file: $0.file, modified: stamp)] } ?? []
        r.status = Lifecycle.decide(r, blobs: file, now: Timestamp(now.addingTimeInterval(later)), manageFinalizer: false).status
        return r
    }

    static func record(_ sha: String, requested: String, source: String, picsumID: String? = nil, at now: Date) -> ImageRecord {
        ImageRecord(file: "default/x/blobs/\(sha).jpg", sha256: sha, bytes: 1000, contentType: "image/jpeg", requestedURL: requested,
                    sourceURL: source, picsumID: picsumID, fetchedAt: Timestamp(now))
    }

    @Test("the test server's HourlyImage printer columns are the CRD's")
    func columnsMatchTheCRD() throws {
        let fromCRD = try #require(ResourceKind(crd: try CRDAdmissionTests.crdJSON()))
        func describe(_ c: [PrinterColumn]) -> [String] { c.map { "\($0.name) \($0.type) \($0.priority) \($0.jsonPath) \($0.description)" } }
        #expect(describe(ResourceKind.hourlyImages.columns) == describe(fromCRD.columns))
    }

    @Test("kubectl get himg shows READY, REASON, IMAGE, GRACE as used/allowed and EXPIRES; -o wide the redacted source and sha")
    func printerColumns() async throws {
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.cluster(tls: pki, adminName: "admin")) { server in
            let (kubeconfig, directory) = try Self.workspace(server, clientCert: try await pki.clientCert(cn: "admin"))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            func kubectl(_ arguments: String...) async throws -> (status: Int32, output: String) {
                try await Kubectl.run(arguments, kubeconfig: kubeconfig, directory: directory)
            }
            #expect(try await kubectl("apply", "-f", Self.crd).status == 0)
            #expect(await eventually { (try? await kubectl("get", "himg").status) == 0 })
            let now = Date()
            let picsumSHA = "3f2a9c1b00de" + String(repeating: "0", count: 52)
            let plainSHA = "c0ffee123456" + String(repeating: "1", count: 52)
            let secretURL = "https://user:pw@example.com/gallery/random?token=s3cret"
            let resources = [
                Self.reconciled("picsum", spec: HourlyImageSpec(), outcome: .success(Self.record(
                    picsumSHA, requested: HourlyImageSpec.defaultURL, source: "https://fastly.picsum.photos/id/237/1200/1200.jpg?hmac=abc",
                    picsumID: "237", at: now)), now: now),
                Self.reconciled("plain", spec: HourlyImageSpec(url: secretURL, ttl: "1m", graceCount: 3), outcome: .success(Self.record(
                    plainSHA, requested: secretURL, source: "https://cdn.example.com/p/cat.jpg?sig=s3cret", at: now.addingTimeInterval(-120))),
                    now: now.addingTimeInterval(-120), graceViews: 1, later: 120),
                Self.reconciled("waiting", spec: HourlyImageSpec(url: "https://unreachable.example/img?key=s3cret"),
                                outcome: .failure(FetchFailure(reason: .sourceUnreachable, message: "no route")), now: now),
            ]
            for resource in resources {
                let file = directory + "/\(resource.metadata.name).json"
                var created = resource
                created.status = nil
                try JSONEncoder().encode(created).write(to: URL(fileURLWithPath: file))
                #expect(try await kubectl("create", "-f", file).status == 0)
                let status = String(decoding: try JSONEncoder().encode(["status": resource.status]), as: UTF8.self)
                let patched = try await kubectl("patch", "himg", resource.metadata.name, "--subresource=status", "--type=merge", "-p", status)
                #expect(patched.status == 0, "\(patched.output)")
            }
            let get = try await kubectl("get", "himg")
            print("kubectl get himg:\n\(get.output)")
            let lines = get.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "READY", "REASON", "FRESH", "IMAGE", "GRACE", "EXPIRES", "FETCHED", "AGE"])
            let expires = resources[0].status!.current!.expiresAt!.description
            #expect(lines.contains { Array($0.prefix(7)) == ["picsum", "True", "ImageAvailable", "True", "picsum/237", "0/1", expires] },
                    "\(get.output)")
            #expect(lines.contains { Array($0.prefix(6)) == ["plain", "True", "ImageAvailable", "False", "cat.jpg", "1/3"] }, "\(get.output)")
            #expect(lines.contains { Array($0.prefix(3)) == ["waiting", "False", "FetchFailed"] }, "\(get.output)")
            #expect(!get.output.contains("<invalid>"), "a future expiry is a string column")
            let wide = try await kubectl("get", "himg", "-o", "wide")
            print("kubectl get himg -o wide:\n\(wide.output)")
            #expect(wide.output.contains("SOURCE") && wide.output.contains("SHA256") && wide.output.contains("TTL"))
            let rows = wide.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.first?.suffix(4) == ["SOURCE", "SHA256", "TTL", "SCHEDULE"])
            #expect(rows.contains { $0.first == "picsum" && $0.suffix(3) == ["https://fastly.picsum.photos/id/237/1200/1200.jpg?hmac=***", "3f2a9c1b00de", "1h"] },
                    "\(wide.output)")
            #expect(rows.contains { $0.first == "plain" && $0.suffix(3) == ["https://cdn.example.com/p/cat.jpg?sig=***", "c0ffee123456", "1m"] }, "no schedule: a blank SCHEDULE")
            #expect(rows.contains { $0.first == "waiting" && $0.contains("https://unreachable.example/img?key=***") },
                    "before any image, spec.url redacted")
            #expect(!wide.output.contains("s3cret") && !wide.output.contains("pw@"), "\(wide.output)")
        }
    }
}
