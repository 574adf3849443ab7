import Foundation
import HourlyImageAPI
import KubeTestServer
import Synchronization
import Testing

@testable import KubeClient

@Suite("The transport tells its observer of every request")
struct RequestObserverTests {
    @Test("each request is reported with its method and status code; a watch when it ends; no response is <error>")
    func observed() async throws {
        let server = try await KubeTestServer.start()
        let dir = ConfigDir()
        let seen = Mutex<[String]>([])
        let observer: KubeRequestObserver = { method, code in seen.withLock { $0.append("\(method) \(code)") } }
        let file = dir.write("kubeconfig", server.kubeconfig(token: nil, clientCert: nil))
        let c = KubeClient(connection: try KubeConfig.fromFiles([file]), observer: observer)
        _ = try await c.create(.hourlyImages, hourlyImage("a"))
        _ = try await c.get(.hourlyImages, namespace: "default", name: "a", as: HourlyImage.self)
        _ = try? await c.get(.hourlyImages, namespace: "default", name: "missing", as: HourlyImage.self)
        #expect(seen.withLock { $0 } == ["POST 201", "GET 200", "GET 404"])
        await server.stop()
        _ = try? await c.get(.hourlyImages, namespace: "default", name: "a", as: HourlyImage.self)
        #expect(seen.withLock { $0.last } == "GET <error>")
    }
}
