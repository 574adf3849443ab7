import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import TestSupport
import Testing

@testable import WebRenderer

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection from a chosen loopback source address, for playing a misbehaving client.
final class RawClient: @unchecked Sendable {  // a descriptor, used by one task at a time
    let fd: Int32

    init?(port: Int, from source: String) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let connected = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, connected == 0 else { close(fd); return nil }
    }

    deinit { close(fd) }

    func send(_ text: String) { _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }

    /// Reads until a response's status line and blank line have arrived and the rest of what came is drained
    /// (at most 5 s); false when the server closed the connection instead.
    func readResponseHead() -> Bool {
        var received = [UInt8]()
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else {
                if received.starts(with: Array("HTTP/1.1 200".utf8)), received.contains(0x0A) { return true }
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return false }
            received += buffer[0..<count]
        }
        return received.starts(with: Array("HTTP/1.1 200".utf8))
    }

    /// Whether the server has closed the connection (a read returns end of file or an error right away).
    var closedByServer: Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) <= 0
    }
}

@Suite("Web server limits")
struct WebServerLimitsTests {
    static let limits = WebServerLimits(headerTimeout: .seconds(1), idleTimeout: .seconds(5), connectionsPerClient: 8,
                                        maxHeaderBytes: 4096, maxHeaderFields: 50)

    func withLimitedServer(_ limits: WebServerLimits = Self.limits, _ body: @Sendable (Int) async throws -> Void) async throws {
        let f = try WebFixture()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        // Its own event loop: a thousand connections must not hold up the shared loops the other tests' servers use.
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { try? await loops.shutdownGracefully() } }
        let app = Application(router: f.renderer().buildRouter(), server: limits.http1(),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 2048),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
                              eventLoopGroupProvider: .shared(loops))
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            // A failing body must not cancel the servers (the group would on a throw, and NIO traps on a connection
            // accepted but never handled): stop them gracefully, wait, then report the failure.
            var failure: (any Error)?
            do { try await body(port) } catch { failure = error }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            if let failure { throw failure }
        }
    }

    @Test("slowloris and idle crowds from one address are cut off; the page keeps answering everyone else")
    func slowlorisAndCrowd() async throws {
        try await withLimitedServer { port in
            // 40 connections from 127.0.0.2: half trickle a request head that never ends, half say nothing.
            let attackers = try await onOwnThread { (0..<40).compactMap { _ in RawClient(port: port, from: "127.0.0.2") } }
            #expect(attackers.count == 40)
            for (index, client) in attackers.enumerated() where index % 2 == 0 { client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ") }
            // Beyond the per-client limit, connections are closed at once.
            var closed = 0
            for _ in 0..<100 where closed < 32 {
                closed = attackers.filter(\.closedByServer).count
                if closed < 32 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(closed >= 32, "at most 8 of 40 connections from one address stay open; \(closed) closed")
            // Another client is served meanwhile.
            let page = try await TestHTTPClient.get("http://127.0.0.1:\(port)/")
            #expect(page.status == 200)
            // Within the header timeout (1 s here), the rest go too, trickling or silent.
            // Keep trickling: one more header byte, or the first byte of a request line for the silent ones.
            for (index, client) in attackers.enumerated() { client.send(index % 2 == 0 ? "x" : "G") }
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, !attackers.allSatisfy(\.closedByServer) { try await Task.sleep(for: .milliseconds(50)) }
            let allClosed = attackers.allSatisfy { $0.closedByServer }
            #expect(allClosed, "an unfinished request head is not kept")
        }
    }

    @Test("a keep-alive connection lives on while requests keep coming within the header timeout, and goes when idle")
    func keepAliveMovesTheDeadline() async throws {
        let limits = WebServerLimits(headerTimeout: .seconds(2), idleTimeout: .seconds(30), connectionsPerClient: 8,
                                     maxHeaderBytes: 4096, maxHeaderFields: 50)
        try await withLimitedServer(limits) { port in
            let client = try #require(try await onOwnThread { RawClient(port: port, from: "127.0.0.3") })
            // Six requests 0.5 s apart: 3 s in all, longer than the timeout, each well inside it after the last answer.
            for round in 0..<6 {
                client.send("GET /images HTTP/1.1\r\nHost: x\r\n\r\n")
                let answered = try await onOwnThread { client.readResponseHead() }
                #expect(answered, "request \(round) answered on the same connection")
                try await Task.sleep(for: .milliseconds(500))
            }
            // Then silence: closed within the timeout (10 s: a loaded machine).
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, !client.closedByServer { try await Task.sleep(for: .milliseconds(50)) }
            #expect(client.closedByServer, "an idle keep-alive connection is closed")
        }
    }

    @Test("500 idle and 500 slow connections from 1000 addresses: the page still answers, and they are all cut off")
    func fiveHundredAndFiveHundred() async throws {
        var limits = Self.limits
        limits.headerTimeout = .seconds(3)
        try await withLimitedServer(limits) { port in
            // Blocking connects happen on a thread of their own: if the accept queue filled up, a connect on the tests'
            // two-thread cooperative pool would stall every other test for seconds.
            let clients = try await onOwnThread { () -> [RawClient] in
                (0..<1000).compactMap { index in
                    // Loopback is a /8: every client gets its own source address, so the per-client cap does not apply.
                    let client = RawClient(port: port, from: "127.0.\(2 + index / 250).\(1 + index % 250)")
                    if index % 2 == 0 { client?.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ") }
                    return client
                }
            }
            #expect(clients.count == 1000)
            // Generous bounds: the claim is that the page answers and the crowd is cut off, not how fast on a
            // two-core machine running the whole suite beside it (a fresh-clone CI run took over 10 s here).
            let page = try await TestHTTPClient.send("http://127.0.0.1:\(port)/", timeout: 45)
            #expect(page.status == 200)
            let deadline = ContinuousClock.now + .seconds(45)
            var open = clients.count
            while ContinuousClock.now < deadline, open > 0 {
                open = clients.filter { !$0.closedByServer }.count
                if open > 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(open == 0, "\(open) of 1000 connections still open")
        }
    }

    @Test("an oversized header block is refused, not buffered")
    func oversizedHeaders() async throws {
        var roomy = Self.limits
        roomy.headerTimeout = .seconds(30)
        try await withLimitedServer(roomy) { port in
            // Refused: an error status, or the connection closed without an answer.
            let big = try? await TestHTTPClient.get("http://127.0.0.1:\(port)/", headers: ["X-Big": String(repeating: "a", count: 8192)])
            #expect(big.map { $0.status >= 400 } ?? true, "\(String(describing: big?.status))")
            let after = try await TestHTTPClient.get("http://127.0.0.1:\(port)/")
            #expect(after.status == 200)
        }
    }
}
