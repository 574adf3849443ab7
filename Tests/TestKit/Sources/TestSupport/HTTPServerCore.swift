import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state shared by the accept thread and the connection threads; the public server wraps it so deinit can stop it.
final class HTTPServerCore: @unchecked Sendable {
    let port: Int
    let isIPv6: Bool
    let handler: @Sendable (TestHTTPRequest) -> TestHTTPResponse

    /// Guards everything below (NSCondition is an NSLock that can also wait).
    private let condition = NSCondition()
    private var listener: Int32
    private var clients: Set<Int32> = []
    private var recorded: [TestHTTPRequest] = []
    private var stopped = false
    private var threads: Set<ObjectIdentifier> = []

    init(host: String, handler: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse) throws {
        let (fd, port, isIPv6) = try Socket.makeListener(host: host)
        self.listener = fd
        self.port = port
        self.isIPv6 = isIPv6
        self.handler = handler
    }

    /// Starts the accept thread.
    func start() {
        spawn { core in core.acceptLoop() }
    }

    var isStopped: Bool {
        condition.withLock { stopped }
    }

    var requests: [TestHTTPRequest] {
        condition.withLock { recorded }
    }

    var openConnections: Int {
        condition.withLock { clients.count }
    }

    func record(_ request: TestHTTPRequest) {
        condition.withLock { recorded.append(request) }
    }

    /// Shuts the listener and every connection down, then waits (at most 2 s) for the server's threads to finish.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        if !stopped {
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for fd in clients { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        // A handler may call stop() on a connection thread; do not wait for ourselves.
        let me = ObjectIdentifier(Thread.current)
        let deadline = Date().addingTimeInterval(2)
        while !threads.subtracting([me]).isEmpty, condition.wait(until: deadline) {}
    }

    /// Sleeps up to `seconds` in small slices; false as soon as the server stops or the peer on `fd` hangs up.
    func pause(_ seconds: Double, fd: Int32) -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            if isStopped || Socket.peerHungUp(fd) { return false }
            let left = deadline - ContinuousClock.now
            if left <= .zero { return true }
            let slice = min(left, .milliseconds(10))
            let micros = slice.components.seconds * 1_000_000 + slice.components.attoseconds / 1_000_000_000_000
            usleep(UInt32(max(micros, 1)))
        }
    }

    private func acceptLoop() {
        while true {
            let fd = Socket.acceptConnection(listener)
            guard fd >= 0 else { break }
            let accepted = condition.withLock {
                if stopped { return false }
                clients.insert(fd)
                return true
            }
            guard accepted else {
                close(fd)
                break
            }
            spawn { core in
                var connection = HTTPConnection(core: core, fd: fd)
                connection.serve()
                Socket.finishWriting(fd, linger: core.isStopped ? 0 : 0.5)
                // Close under the lock so accept cannot reuse the number while it is still in `clients`.
                core.condition.withLock {
                    core.clients.remove(fd)
                    close(fd)
                }
            }
        }
        condition.withLock {
            close(listener)
            listener = -1
        }
    }

    /// Runs `body` on a new thread that stop() waits for.
    private func spawn(_ body: @escaping @Sendable (HTTPServerCore) -> Void) {
        let thread = Thread { [self] in
            body(self)
            condition.withLock {
                threads.remove(ObjectIdentifier(Thread.current))
                condition.broadcast()
            }
        }
        condition.withLock { _ = threads.insert(ObjectIdentifier(thread)) }
        thread.start()
    }
}
