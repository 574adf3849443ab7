import Foundation
import HourlyImageAPI
import KubeClient
import KubeTestServer
import TestSupport
import Testing

/// The built binary under the plugin's name: a `kubectl-himg` link in a directory of its own.
struct Himg {
    let directory: String
    let kubeconfig: String

    init(_ h: OperatorHarness) throws {
        directory = h.root + "/bin"
        kubeconfig = h.kubeconfig
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let binary = productsDirectory().appendingPathComponent("hourly-image").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build hourly-image first (\(binary))")
        try FileManager.default.createSymbolicLink(atPath: directory + "/kubectl-himg", withDestinationPath: binary)
    }

    /// Runs `kubectl-himg ARGS` (with `--kubeconfig` unless `environment` names KUBECONFIG); PATH starts with `directory`.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> ChildProcess.Outcome {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("KUBECONFIG") && !$0.key.hasPrefix("HOURLY_IMAGE_") }
        environment["PATH"] = directory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment.merge(extra) { $1 }
        let flags = extra["KUBECONFIG"] == nil ? ["--kubeconfig", kubeconfig] : []
        return try await ChildProcess.run(directory + "/kubectl-himg", arguments + flags, environment: environment, timeout: .seconds(60))
    }
}

@Suite("kubectl himg: the plugin, the real binary against the test API server")
struct KubectlHimgTests {
    @Test("get summarizes image, photographer, expiry, grace, conditions and events; -A, -n, KUBECONFIG, --context and a missing name behave like kubectl")
    func get() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("project-image", ttl: "1h"))
        _ = try await c.create(.hourlyImages, h.resource("cats", namespace: "other", ttl: "2h", graceCount: 3))
        try await eventually("both Ready") {
            let first = try await h.fetch("project-image")?.condition("Ready")?.status == .true
            let second = try await h.fetch("cats", namespace: "other")?.condition("Ready")?.status == .true
            return first && second
        }
        try await eventually("a Fetched event") {
            try await c.listAll(.events, namespace: "default", as: KubeEvent.self).items.contains { $0.reason == "Fetched" }
        }
        let himg = try Himg(h)

        let one = try await himg.run(["get", "project-image"])
        #expect(one.exit == .exited(0), "\(one.errorText)")
        for text in ["project-image (namespace default)", "Image:", "by Author ", "Expires in:", "Grace left:  1 of 1 page view (counted after expiry)",
                     "Ready     True   ImageAvailable", "Fresh     True", "Degraded  False  AsExpected", "Events:", "Normal   Fetched"] {
            #expect(one.outputText.contains(text), "\(text) in:\n\(one.outputText)")
        }
        #expect(one.outputText.firstMatch(of: /Expires in:  (59m\d*s?|1h) \(20\d\d-/) != nil, "\(one.outputText)")

        let all = try await himg.run(["get", "-A"])
        #expect(all.outputText.contains("cats (namespace other)") && all.outputText.contains("project-image (namespace default)"), "\(all.outputText)")
        #expect(all.outputText.contains("Grace left:  3 of 3 page views"))
        let other = try await himg.run(["get", "-n", "other"])
        #expect(other.outputText.contains("cats (namespace other)") && !other.outputText.contains("project-image"), "\(other.outputText)")
        #expect(try await himg.run(["get", "-n", "empty"]).outputText == "No HourlyImages found in empty namespace.\n")

        let viaEnvironment = try await himg.run(["get", "project-image"], environment: ["KUBECONFIG": h.kubeconfig])
        #expect(viaEnvironment.exit == .exited(0) && viaEnvironment.outputText.contains("project-image (namespace default)"), "\(viaEnvironment.errorText)")
        let badContext = try await himg.run(["get", "--context", "nope"])
        #expect(badContext.exit == .exited(1))
        #expect(badContext.errorText.contains("context \"nope\" not found"), "\(badContext.errorText)")
        let missing = try await himg.run(["get", "missing"])
        #expect(missing.exit == .exited(1))
        #expect(missing.errorText == "error: hourlyimages.images.dwk.dev \"missing\" not found in namespace default\n", "\(missing.errorText)")

        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("refresh sets the annotation, waits for the new image, and says so when the value was carried out already")
    func refresh() async throws {
        let h = try await OperatorHarness()
        let controller = try h.startController()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("project-image", ttl: "1h", graceCount: 5))
        try await eventually("first image") { try await h.fetch("project-image")?.status?.current != nil }
        let first = try #require(try await h.fetch("project-image")?.status?.current)
        let himg = try Himg(h)

        let run = try await himg.run(["refresh", "project-image", "--value", "demo-1", "--timeout", "30s"])
        #expect(run.exit == .exited(0), "\(run.errorText)")
        #expect(run.outputText.contains("refresh requested (images.dwk.dev/refresh=demo-1)"), "\(run.outputText)")
        #expect(run.outputText.contains("now serving picsum/"), "\(run.outputText)")
        let after = try #require(try await h.fetch("project-image"))
        #expect(after.status?.lastRefresh == "demo-1")
        #expect(after.metadata.annotations?[RefreshRequest.annotation] == "demo-1")
        #expect(after.status?.current?.sha256 != first.sha256)

        let again = try await himg.run(["refresh", "project-image", "--value", "demo-1"])
        #expect(again.outputText.contains("already refreshed with demo-1"), "\(again.outputText)")
        let missing = try await himg.run(["refresh", "missing"])
        #expect(missing.exit == .exited(1) && missing.errorText.contains("\"missing\" not found"))

        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }

    @Test("logs prints the controller's lines about one resource, the leader's pod first, JSON lines as text")
    func logs() async throws {
        let h = try await OperatorHarness()
        let himg = try Himg(h)
        for pod in ["hourly-image-controller-a", "hourly-image-controller-b"] {
            try await h.server.put(Data("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(pod)","namespace":"hourly-image",
                 "labels":{"app.kubernetes.io/name":"hourly-image","app.kubernetes.io/component":"controller"}}}
                """.utf8))
        }
        try await h.server.put(Data("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"hourly-image-web-x","namespace":"hourly-image",
             "labels":{"app.kubernetes.io/name":"hourly-image","app.kubernetes.io/component":"web"}}}
            """.utf8))
        try await h.server.put(Data("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"hourly-image-controller","namespace":"hourly-image"},
             "spec":{"holderIdentity":"hourly-image-controller-b"}}
            """.utf8))
        await h.server.setPodLog(namespace: "hourly-image", name: "hourly-image-controller-a", """
            {"time":"2026-12-03T10:00:00Z","level":"info","logger":"hourly-image.reconcile","msg":"standby line","hourlyimage":"default/project-image"}
            """)
        await h.server.setPodLog(namespace: "hourly-image", name: "hourly-image-controller-b", """
            {"time":"2026-12-03T10:00:01Z","level":"info","logger":"hourly-image.reconcile","msg":"fetched","hourlyimage":"default/project-image","bytes":1200,"slot":"current"}
            {"time":"2026-12-03T10:00:02Z","level":"info","logger":"hourly-image.reconcile","msg":"fetched","hourlyimage":"default/project-image-2"}
            {"time":"2026-12-03T10:00:03Z","level":"warning","logger":"hourly-image.reconcile","msg":"fetch failed\\nforged","hourlyimage":"default/project-image"}
            2026-12-03T10:00:04Z info hourly-image.reconcile: hourlyimage=default/project-image [HourlyImageController] pruned old images
            not json at all
            """)
        await h.server.setPodLog(namespace: "hourly-image", name: "hourly-image-web-x", """
            {"time":"2026-12-03T10:00:05Z","level":"info","msg":"web line","hourlyimage":"default/project-image"}
            """)

        let run = try await himg.run(["logs", "project-image"])
        #expect(run.exit == .exited(0), "\(run.errorText)")
        #expect(run.outputText == """
            ==> pod/hourly-image-controller-b (leader) <==
            2026-12-03T10:00:01Z info fetched bytes=1200 slot=current
            2026-12-03T10:00:03Z warning fetch failed\\nforged
            2026-12-03T10:00:04Z info hourly-image.reconcile: hourlyimage=default/project-image [HourlyImageController] pruned old images
            ==> pod/hourly-image-controller-a <==
            2026-12-03T10:00:00Z info standby line

            """, "\(run.outputText)")
        let tail = try await himg.run(["logs", "project-image", "--tail", "1"])
        #expect(tail.outputText.contains("pruned old images") && !tail.outputText.contains("bytes=1200"), "\(tail.outputText)")
        let none = try await himg.run(["logs", "cats", "-n", "other"])
        #expect(none.outputText.contains("No lines about other/cats"), "\(none.outputText)")
        let noController = try await himg.run(["logs", "project-image", "--operator-namespace", "elsewhere"])
        #expect(noController.exit == .exited(1) && noController.errorText.contains("no controller pods"), "\(noController.errorText)")
        await h.tearDown()
    }

    @Test("open prints the Ingress URL, or port-forwards the web Service through kubectl and prints the local URL")
    func open() async throws {
        let h = try await OperatorHarness()
        let c = try h.client()
        _ = try await c.create(.hourlyImages, h.resource("project-image"))
        let himg = try Himg(h)
        // A stand-in kubectl that records how it was called, since the test API server does not stream port-forwards.
        let recorded = h.root + "/kubectl-args"
        try "#!/bin/sh\necho \"$@\" > \(recorded)\n".write(toFile: himg.directory + "/kubectl", atomically: true, encoding: .utf8)
        chmod(himg.directory + "/kubectl", 0o755)

        let forwarded = try await himg.run(["open", "project-image"])
        #expect(forwarded.exit == .exited(0), "\(forwarded.errorText)")
        let port = try #require(forwarded.outputText.firstMatch(of: /^http:\/\/127\.0\.0\.1:(\d+)\/images\/default\/project-image  \(port-forwarding svc\/hourly-image-web in hourly-image; Ctrl-C stops it\)\n$/)?.1,
                                "\(forwarded.outputText)")
        #expect(try String(contentsOfFile: recorded, encoding: .utf8)
            == "port-forward --namespace hourly-image svc/hourly-image-web \(port):80 --address 127.0.0.1 --kubeconfig \(h.kubeconfig)\n")

        try await h.server.put(Data("""
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"hourly-image","namespace":"hourly-image"},
             "spec":{"rules":[{"http":{}}]},"status":{"loadBalancer":{"ingress":[{"ip":"172.18.0.2"}]}}}
            """.utf8))
        #expect(try await himg.run(["open", "project-image"]).outputText == "http://172.18.0.2/images/default/project-image\n")
        try await h.server.put(Data("""
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"hourly-image","namespace":"hourly-image"},
             "spec":{"rules":[{"host":"images.example.com"}],"tls":[{"hosts":["images.example.com"]}]}}
            """.utf8))
        #expect(try await himg.run(["open", "project-image"]).outputText == "https://images.example.com/images/default/project-image\n")
        let forced = try await himg.run(["open", "project-image", "--port-forward", "--local-port", "18080"])
        #expect(forced.outputText.hasPrefix("http://127.0.0.1:18080/images/default/project-image"), "\(forced.outputText)")
        #expect(try await himg.run(["open", "missing"]).exit == .exited(1))
        await h.tearDown()
    }
}
