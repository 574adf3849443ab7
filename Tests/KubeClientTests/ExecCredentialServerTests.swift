import Foundation
import HourlyImageAPI
import KubeTestServer
import Testing

@testable import KubeClient

/// A client for `server` whose kubeconfig user runs `script` as a v1 exec plugin.
private func execClient(for server: KubeTestServer, script: String, dir: ConfigDir) throws -> KubeClient {
    let stanza = "user:\n    exec:\n" + indent("apiVersion: client.authentication.k8s.io/v1\ncommand: \(script)\ninteractiveMode: Never", 6)
    let file = dir.write("kubeconfig", server.kubeconfig().replacingOccurrences(of: "user: {}", with: stanza))
    return KubeClient(connection: try KubeConfig.fromFiles([file]))
}

@Suite("exec credential plugins against the test API server")
struct ExecCredentialServerTests {
    @Test("the plugin's token authenticates; it is cached across requests")
    func tokenAccepted() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["tok-1": "alice"], permissions: ["alice": ["*"]]))
        defer { Task { await server.stop() } }
        let plugins = PluginDir()
        let c = try execClient(for: server, script: plugins.script("plugin", printsRunToken()), dir: plugins.dir)
        _ = try await c.create(.hourlyImages, hourlyImage("exec"))
        _ = try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self)
        _ = try await c.get(.hourlyImages, namespace: "default", name: "exec", as: HourlyImage.self)
        #expect(plugins.runs("plugin") == 1)
        let seen = await server.requests()
        #expect(seen.count == 3)
        #expect(seen.allSatisfy { $0.identity == "alice" && $0.status < 300 })
    }

    @Test("a 401 re-runs the plugin once and retries with the new token")
    func unauthorizedRerunsOnce() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["tok-2": "alice"], permissions: ["alice": ["*"]]))
        defer { Task { await server.stop() } }
        let plugins = PluginDir()
        let c = try execClient(for: server, script: plugins.script("plugin", printsRunToken()), dir: plugins.dir)
        _ = try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self)
        #expect(plugins.runs("plugin") == 2)
        #expect(await server.requests().map(\.status) == [401, 200])
        _ = try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self)
        #expect(plugins.runs("plugin") == 2, "the renewed token is cached")
    }

    @Test("a token the server keeps refusing: exactly one re-run per 401, then the 401 is returned")
    func unauthorizedSurfaces() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["other": "alice"], permissions: ["alice": ["*"]]))
        defer { Task { await server.stop() } }
        let plugins = PluginDir()
        let c = try execClient(for: server, script: plugins.script("plugin", printsRunToken()), dir: plugins.dir)
        await #expect { try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self) } throws: { ($0 as? KubeAPIError)?.code == 401 }
        #expect(plugins.runs("plugin") == 2)
        #expect(await server.requests().map(\.status) == [401, 401])
    }

    @Test("concurrent requests needing a credential share one plugin run")
    func concurrentRequestsShareOneRun() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["tok-1": "alice"], permissions: ["alice": ["*"]]))
        defer { Task { await server.stop() } }
        let plugins = PluginDir()
        let c = try execClient(for: server, script: plugins.script("plugin", "sleep 0.3\n" + printsRunToken()), dir: plugins.dir)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { _ = try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self) } }
            try await group.waitForAll()
        }
        #expect(plugins.runs("plugin") == 1)
        #expect(await server.requests().map(\.status) == Array(repeating: 200, count: 6))
    }

    @Test("a watch authenticates with the plugin's token too")
    func watchAuthenticates() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["tok-1": "alice"], permissions: ["alice": ["*"]]))
        defer { Task { await server.stop() } }
        let plugins = PluginDir()
        let c = try execClient(for: server, script: plugins.script("plugin", printsRunToken()), dir: plugins.dir)
        let (_, version) = try await c.listAll(.hourlyImages, namespace: nil, as: HourlyImage.self)
        let writer = Task { _ = try await c.create(.hourlyImages, hourlyImage("watched")) }
        var added: [String] = []
        for try await event in c.watch(.hourlyImages, namespace: nil, resourceVersion: version, timeoutSeconds: 5, as: HourlyImage.self) {
            if case .added(let object) = event { added.append(object.metadata.name) }
            if !added.isEmpty { break }
        }
        try await writer.value
        #expect(added == ["watched"])
        #expect(await server.requests().allSatisfy { $0.identity == "alice" })
        #expect(plugins.runs("plugin") == 1)
    }

    @Test("a failing plugin's error reaches the caller, naming the command")
    func failureReachesCaller() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["tok-1": "alice"]))
        defer { Task { await server.stop() } }
        let plugins = PluginDir()
        let script = plugins.script("plugin", "echo 'credentials expired' >&2\nexit 2")
        let c = try execClient(for: server, script: script, dir: plugins.dir)
        await #expect { try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self) } throws: { error in
            guard case .failed = error as? ExecCredentialError else { return false }
            return "\(error)".contains(script) && "\(error)".contains("credentials expired")
        }
        #expect(await server.requests().isEmpty, "no request goes out without a credential")
    }

    @Test("a client certificate from the plugin is used for TLS, as a kubeconfig's own would be")
    func clientCertificate() async throws {
        let pki = try await TestPKI.make()
        let server = try await KubeTestServer.start(.init(tls: pki))
        defer { Task { await server.stop() } }
        let plugins = PluginDir()
        let (certPath, keyPath) = try await pki.clientCert(cn: "exec-plugin-user")
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        plugins.dir.write("answer.json", execCredentialJSON(certificate: read(certPath), key: read(keyPath), expiration: "2099-01-01T00:00:00Z"))
        let script = plugins.script("plugin", "cat '\(plugins.path)/answer.json'")
        let c = try execClient(for: server, script: script, dir: plugins.dir)
        _ = try await c.create(.hourlyImages, hourlyImage("tls"))
        #expect(await server.requests().last?.identity == "exec-plugin-user")
        #expect(plugins.runs("plugin") == 1)
    }
}
