import Foundation
import KubeTestServer
import Testing

@Suite("HTTPS and client certificates")
struct TLSTests {
    @Test("over HTTPS a client certificate authenticates as its CN")
    func clientCertificateIdentity() async throws {
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.init(tls: pki, tokens: ["t": "token-user"], permissions: ["controller": ["list hourlyimages"]])) { server in
            #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
            let cert = try await pki.clientCert(cn: "controller")
            let request = CurlStream(url: server.baseURL + Paths.images(),
                                     tls: TLSFiles(caPath: pki.caPEMPath, certPath: cert.certPath, keyPath: cert.keyPath))
            let end = try #require(await request.end())
            #expect(end.status == 200)
            #expect(await server.requests().last?.identity == "controller")
        }
    }

    @Test("over HTTPS a bearer token works without a client certificate; no credentials is 401")
    func tokenOverTLS() async throws {
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.init(tls: pki, tokens: ["t": "token-user"])) { server in
            let files = TLSFiles(caPath: pki.caPEMPath)
            let withToken = CurlStream(url: server.baseURL + Paths.images(), headers: ["Authorization": "Bearer t"], tls: files)
            #expect(await withToken.end()?.status == 200)
            let without = CurlStream(url: server.baseURL + Paths.images(), tls: files)
            #expect(await without.end()?.status == 401)
        }
    }

    @Test("a client certificate from another CA is refused in the handshake")
    func foreignCertificateRefused() async throws {
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        let stranger = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: stranger.directory) }
        try await withServer(.init(tls: pki)) { server in
            let cert = try await stranger.clientCert(cn: "mallory")
            let request = CurlStream(url: server.baseURL + Paths.images(),
                                     tls: TLSFiles(caPath: pki.caPEMPath, certPath: cert.certPath, keyPath: cert.keyPath))
            let end = try #require(await request.end())
            #expect(end.status != 200)
            #expect(await server.requests().allSatisfy { $0.identity != "mallory" })
        }
    }

    @Test("a watch streams over HTTPS too")
    func watchOverTLS() async throws {
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.init(tls: pki)) { server in
            let cert = try await pki.clientCert(cn: "watcher")
            let watch = CurlStream(url: server.baseURL + Paths.images() + "?watch=1",
                                   tls: TLSFiles(caPath: pki.caPEMPath, certPath: cert.certPath, keyPath: cert.keyPath))
            defer { watch.close() }
            #expect(await eventually { await server.openWatchCount == 1 })
            try await server.put(Data(#"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"a"},"spec":{}}"#.utf8))
            #expect(await watch.nextEvent()?.type == "ADDED")
        }
    }

    @Test("the kubeconfig names the server, the CA, the token and the client certificate")
    func kubeconfig() async throws {
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.init(tls: pki)) { server in
            let cert = try await pki.clientCert(cn: "admin")
            let text = server.kubeconfig(token: "abc", clientCert: cert)
            #expect(text.contains("server: \(server.baseURL)\n"))
            #expect(text.contains("certificate-authority: \(pki.caPEMPath)\n"))
            #expect(text.contains("token: abc\n"))
            #expect(text.contains("client-certificate: \(cert.certPath)\n"))
            #expect(text.contains("client-key: \(cert.keyPath)\n"))
            #expect(text.contains("current-context: kube-test-server\n"))
        }
    }
}
