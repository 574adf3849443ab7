import Foundation
import HourlyImageAPI
import KubeTestServer
import Synchronization
import Testing

@testable import KubeClient

/// A client for a test server, through a kubeconfig written to disk (the real loading path).
func client(for server: KubeTestServer, token: String? = nil, clientCert: (certPath: String, keyPath: String)? = nil, dir: ConfigDir) throws -> KubeClient {
    let file = dir.write("kubeconfig", server.kubeconfig(token: token, clientCert: clientCert))
    return KubeClient(connection: try KubeConfig.fromFiles([file]))
}

func hourlyImage(_ name: String, namespace: String = "default", ttl: String = "1h") -> HourlyImage {
    HourlyImage(metadata: ObjectMeta(name: name, namespace: namespace), spec: HourlyImageSpec(ttl: ttl))
}

@Suite("Kubernetes client against the test API server")
struct ClientAgainstServerTests {
    @Test("create, get, update, status update, merge patch, JSON patch and delete")
    func crud() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { await server.stop() } }
        let dir = ConfigDir()
        let c = try client(for: server, dir: dir)
        let created = try await c.create(.hourlyImages, hourlyImage("a"))
        #expect(created.metadata.generation == 1)
        #expect(created.metadata.uid != nil)
        var fetched = try await c.get(.hourlyImages, namespace: "default", name: "a", as: HourlyImage.self)
        #expect(fetched == created)
        fetched.spec.ttl = "2h"
        let updated = try await c.update(.hourlyImages, fetched)
        #expect(updated.metadata.generation == 2)
        await #expect(throws: KubeAPIError.self) { try await c.update(.hourlyImages, fetched) }  // stale resourceVersion: 409
        var withStatus = updated
        withStatus.status = HourlyImageStatus(observedGeneration: 2, graceViews: 0)
        let statusWritten = try await c.update(.hourlyImages, withStatus, subresource: "status")
        #expect(statusWritten.status?.graceViews == 0)
        #expect(statusWritten.metadata.generation == 2, "status writes never bump generation")
        let patched: HourlyImage = try await c.mergePatch(.hourlyImages, namespace: "default", name: "a", Data(#"{"metadata":{"finalizers":["images.dwk.dev/cleanup"]}}"#.utf8))
        #expect(patched.metadata.finalizers == ["images.dwk.dev/cleanup"])
        let viewed: HourlyImage = try await c.jsonPatch(.hourlyImages, namespace: "default", name: "a", [.test("/status/graceViews", .int(0)), .replace("/status/graceViews", .int(1))], subresource: "status")
        #expect(viewed.status?.graceViews == 1)
        do {
            let _: HourlyImage = try await c.jsonPatch(.hourlyImages, namespace: "default", name: "a", [.test("/status/graceViews", .int(0)), .replace("/status/graceViews", .int(1))], subresource: "status")
            Issue.record("a failed test must be refused")
        } catch let error as KubeAPIError {
            #expect(error.code == 422)
        }
        try await c.delete(.hourlyImages, namespace: "default", name: "a")
        let marked = try await c.get(.hourlyImages, namespace: "default", name: "a", as: HourlyImage.self)
        #expect(marked.metadata.deletionTimestamp != nil, "a finalizer keeps it until removed")
        let _: HourlyImage = try await c.mergePatch(.hourlyImages, namespace: "default", name: "a", Data(#"{"metadata":{"finalizers":null}}"#.utf8))
        await #expect { try await c.get(.hourlyImages, namespace: "default", name: "a", as: HourlyImage.self) } throws: { ($0 as? KubeAPIError)?.code == 404 }
    }

    @Test("pagination with limit and continue returns every object once")
    func pagination() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { await server.stop() } }
        let dir = ConfigDir()
        let c = try client(for: server, dir: dir)
        for i in 0..<25 { _ = try await c.create(.hourlyImages, hourlyImage("img-\(i)", namespace: i % 2 == 0 ? "a" : "b")) }
        let (items, version) = try await c.listAll(.hourlyImages, namespace: nil, pageSize: 10, as: HourlyImage.self)
        #expect(items.count == 25)
        #expect(Set(items.map { ResourceKey($0) }).count == 25)
        #expect(Int(version) ?? 0 >= 25)
        #expect(try await c.listAll(.hourlyImages, namespace: "a", pageSize: 4, as: HourlyImage.self).items.count == 13)
        let lists = await server.requests().filter { $0.method == "GET" && $0.target.contains("limit=10") }
        #expect(lists.count == 3)
    }

    @Test("bearer tokens: a wrong token is 401, a missing verb is 403 naming it")
    func authentication() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["good": "alice", "web": "web"], permissions: ["alice": ["*"], "web": ["get hourlyimages", "list hourlyimages"]]))
        defer { Task { await server.stop() } }
        let dir = ConfigDir()
        let bad = try client(for: server, token: "wrong", dir: dir)
        await #expect { try await bad.list(.hourlyImages, namespace: nil, as: HourlyImage.self) } throws: { ($0 as? KubeAPIError)?.code == 401 }
        let web = try client(for: server, token: "web", dir: ConfigDir())
        _ = try await web.list(.hourlyImages, namespace: "default", as: HourlyImage.self)
        await #expect { try await web.create(.hourlyImages, hourlyImage("x")) } throws: { ($0 as? KubeAPIError)?.code == 403 }
    }

    @Test("a token rotated on disk is picked up after a 401")
    func tokenRotation() async throws {
        let server = try await KubeTestServer.start(.init(tokens: ["one": "controller"]))
        defer { Task { await server.stop() } }
        let dir = ConfigDir()
        let tokenFile = dir.write("token", "one")
        let fixed = Date(timeIntervalSince1970: 1_700_000_000)
        try FileManager.default.setAttributes([.modificationDate: fixed], ofItemAtPath: tokenFile)
        let file = dir.write("kubeconfig", server.kubeconfig().replacingOccurrences(of: "user: {}", with: "user: {tokenFile: \(tokenFile)}"))
        let c = KubeClient(connection: try KubeConfig.fromFiles([file]))
        _ = try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self)
        await server.rotateToken(identity: "controller", to: "two")
        // Rewrite the file but keep its old modification time: only the 401 makes the client re-read it.
        dir.write("token", "two")
        try FileManager.default.setAttributes([.modificationDate: fixed], ofItemAtPath: tokenFile)
        _ = try await c.list(.hourlyImages, namespace: nil, as: HourlyImage.self)
        let statuses = await server.requests().map(\.status)
        #expect(statuses.suffix(2) == [401, 200])
    }

    @Test("HTTPS with a client certificate; a wrong CA is refused")
    func clientCertificateTLS() async throws {
        let pki = try await TestPKI.make()
        let server = try await KubeTestServer.start(.init(tls: pki))
        defer { Task { await server.stop() } }
        let dir = ConfigDir()
        let c = try client(for: server, clientCert: try await pki.clientCert(cn: "hourly-image-controller"), dir: dir)
        _ = try await c.create(.hourlyImages, hourlyImage("tls"))
        #expect(await server.requests().last?.identity == "hourly-image-controller")
        let other = try await TestPKI.make()
        let wrongCA = dir.write("wrong", server.kubeconfig().replacingOccurrences(of: pki.caPEMPath, with: other.caPEMPath))
        let refused = KubeClient(connection: try KubeConfig.fromFiles([wrongCA]))
        await #expect { try await refused.list(.hourlyImages, namespace: nil, as: HourlyImage.self) } throws: { error in
            if case .transport = error as? KubeAPIError { return true }
            return false
        }
    }

    @Test("a watch delivers ADDED, MODIFIED and DELETED in order from a resourceVersion")
    func watchEvents() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { await server.stop() } }
        let dir = ConfigDir()
        let c = try client(for: server, dir: dir)
        let (_, version) = try await c.listAll(.hourlyImages, namespace: nil, as: HourlyImage.self)
        let writer = Task {
            var a = try await c.create(.hourlyImages, hourlyImage("w"))
            a.spec.ttl = "5m"
            _ = try await c.update(.hourlyImages, a)
            try await c.delete(.hourlyImages, namespace: "default", name: "w")
        }
        var seen: [String] = []
        for try await event in c.watch(.hourlyImages, namespace: nil, resourceVersion: version, timeoutSeconds: 5, as: HourlyImage.self) {
            switch event {
            case .added: seen.append("ADDED")
            case .modified(let o): seen.append("MODIFIED \(o.spec.ttl)")
            case .deleted: seen.append("DELETED")
            case .bookmark, .error: continue
            }
            if seen.count == 3 { break }
        }
        try await writer.value
        #expect(seen == ["ADDED", "MODIFIED 5m", "DELETED"])
    }
}

@Suite("Response size cap")
struct ResponseCapTests {
    @Test("a non-watch response larger than the cap aborts the transfer with a clear error; one under it is read")
    func bodyCap() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { await server.stop() } }
        let dir = ConfigDir()
        let file = dir.write("kubeconfig", server.kubeconfig())
        let connection = try KubeConfig.fromFiles([file])
        for index in 0..<20 {
            _ = try await KubeClient(connection: connection).create(.hourlyImages, hourlyImage("item-\(index)"))
        }
        let path = "/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages"
        let roomy = KubeTransport(connection: connection)
        let listed = try await roomy.send(KubeRequest(path: path))
        #expect(listed.status == 200)
        #expect(listed.body.count > 4096)
        let tight = KubeTransport(connection: connection, maximumResponseBytes: 4096)
        await #expect(throws: KubeAPIError.self) { _ = try await tight.send(KubeRequest(path: path)) }
        do {
            _ = try await tight.send(KubeRequest(path: path))
        } catch {
            #expect("\(error)".contains("larger than 4096 bytes"), "\(error)")
        }
    }
}
