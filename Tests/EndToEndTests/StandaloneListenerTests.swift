import Foundation
import TestSupport
import Testing

/// Runs `hourly-image <command>` with `arguments` until it exits (killed after 20 s) and returns its exit code and log.
func runToExit(_ arguments: [String], command: String = "standalone") async throws -> (status: Int32, output: String) {
    let run = try await ChildProcess.run(productsDirectory().appendingPathComponent("hourly-image").path, [command] + arguments,
                                         timeout: .seconds(20))
    return (run.status, run.errorText)
}

@Suite("hourly-image standalone: the public port and the admin port", .serialized)
struct StandaloneListenerTests {
    @Test("the public port serves the page and 404s metrics, JSON and probes; the admin port serves them")
    func twoPorts() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await StandaloneProcess(arguments: ["--data", dir])
        #expect(server.port != server.adminPort)
        #expect(try await TestHTTPClient.get(server.baseURL + "/").status == 200)
        for path in ["/metrics", "/healthz", "/readyz", "/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages/project-image"] {
            #expect(try await TestHTTPClient.get(server.baseURL + path).status == 404, "\(path) on the public port")
            #expect(try await TestHTTPClient.get(server.adminURL + path).status == 200, "\(path) on the admin port")
        }
        #expect(try await TestHTTPClient.get(server.adminURL + "/").status == 404)
        #expect(try await server.stop(signal: SIGTERM, timeout: 5) == .exited(0))
    }

    @Test("a busy public or admin port is an error naming the address and the port", arguments: ["--port", "--admin-port"])
    func busyPort(flag: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The first process holds a port; the second is told to use it.
        let first = try await StandaloneProcess(arguments: ["--data", dir + "/one"])
        let busy = flag == "--port" ? first.port : first.adminPort
        let other = flag == "--port" ? "--admin-port" : "--port"
        let (status, output) = try await runToExit([flag, String(busy), other, "0", "--bind", "127.0.0.1", "--data", dir + "/two"])
        #expect(status == 1, "\(output)")
        #expect(output.contains("cannot listen on 127.0.0.1:\(busy)"), "\(output)")
        #expect(output.contains(flag), "names the flag: \(output)")
        _ = try await first.stop(signal: SIGTERM)
    }

    @Test("the controller's busy probe port is the same clear error, through the same runner")
    func busyProbePort() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try await StandaloneProcess(arguments: ["--data", dir + "/one"])
        let kubeconfig = dir + "/kubeconfig"
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let (status, output) = try await runToExit(
            ["--kubeconfig", kubeconfig, "--no-leader-elect", "--volume-root", dir + "/volume", "--probe-bind", "127.0.0.1", "--probe-port", String(first.adminPort)],
            command: "controller")
        #expect(status == 1, "\(output)")
        #expect(output.contains("cannot listen on 127.0.0.1:\(first.adminPort) for the probe port (--probe-port)"), "\(output)")
        _ = try await first.stop(signal: SIGTERM)
    }

    @Test("the same port for both is refused before anything listens")
    func samePort() async throws {
        let (status, output) = try await runToExit(["--port", "18090", "--admin-port", "18090"])
        #expect(status != 0)
        #expect(output.contains("--admin-port"), "\(output)")
    }
}
