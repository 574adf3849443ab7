import Foundation

/// One Server-Sent Events block: its fields, or only comments (a heartbeat).
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    public var data: String?
    public var retry: String?
    public var comments: [String] = []

    /// The `data` as a JSON object.
    public var json: [String: Any]? { data.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] } }
}

/// A `text/event-stream` GET read as it arrives, on a thread of its own: the response head, then event blocks.
public final class EventStreamClient: @unchecked Sendable {  // its state is behind `lock`
    private let lock = NSLock()
    private var raw: [UInt8] = []
    private var ended = false
    private let fd: Int32

    /// Connects and sends `GET url` with `headers` (HTTP/1.1, the body de-chunked as it comes).
    public init(_ url: String, headers: [String: String] = [:]) throws {
        guard let target = TestHTTPClient.Target(url) else { throw TestHTTPServerError("not an http:// URL: \(url)") }
        fd = try Socket.connect(host: target.host, port: target.port, timeout: 120)
        var head = "GET \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        guard Socket.sendAll(fd, Data((head + "\r\n").utf8)) else { close(fd); throw TestHTTPServerError("send to \(url)", errno: errno) }
        let fd = self.fd
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 16 << 10)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                lock.withLock { raw += buffer[0..<count] }
            }
            lock.withLock { ended = true }
        }.start()
    }

    deinit { close(fd) }

    /// Closes the connection (the server notices at its next write).
    public func disconnect() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// The status code, once the head arrived (within `timeout`).
    public func status(timeout: Duration = .seconds(10)) async -> Int? {
        guard await pollUntil(timeout: timeout, { self.head() != nil }) else { return nil }
        return head()?.status
    }

    /// A response header (lowercased name), once the head arrived.
    public func header(_ name: String) -> String? { head()?.headers[name] }

    /// Whether the server ended the response (the connection closed).
    public var isEnded: Bool { lock.withLock { ended } }

    private var consumed = 0

    /// The next event block, waiting at most `timeout`; nil when none came.
    public func nextEvent(timeout: Duration = .seconds(10)) async -> ServerSentEvent? {
        var found: ServerSentEvent?
        _ = await pollUntil(timeout: timeout) {
            found = self.takeEvent()
            return found != nil || self.isEnded
        }
        return found ?? takeEvent()
    }

    /// The next event with this `event:` name, skipping heartbeats and others; nil when none came within `timeout`.
    public func next(_ name: String, timeout: Duration = .seconds(10)) async -> ServerSentEvent? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let event = await nextEvent(timeout: deadline - ContinuousClock.now) else { return nil }
            if event.event == name { return event }
        }
        return nil
    }

    private func head() -> (status: Int, headers: [String: String], bodyStart: Int)? {
        let bytes = lock.withLock { raw }
        guard let end = TestHTTPClient.firstIndex(of: Array("\r\n\r\n".utf8), in: bytes[...]) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, end + 4)
    }

    /// The body so far, de-chunked up to the last complete chunk.
    private func bodyText() -> String {
        guard let head = head() else { return "" }
        var rest = lock.withLock { raw }[head.bodyStart...]
        guard head.headers["transfer-encoding"]?.contains("chunked") == true else { return String(decoding: rest, as: UTF8.self) }
        var body: [UInt8] = []
        while let lineEnd = TestHTTPClient.firstIndex(of: [13, 10], in: rest),
              let size = Int(String(decoding: rest[..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespaces), radix: 16),
              size > 0, rest.count >= lineEnd - rest.startIndex + 2 + size + 2 {
            let start = lineEnd + 2
            body += rest[start..<(start + size)]
            rest = rest[(start + size + 2)...]
        }
        return String(decoding: body, as: UTF8.self)
    }

    private func takeEvent() -> ServerSentEvent? {
        let text = bodyText()
        let unread = text.utf8.dropFirst(consumed)
        guard let end = TestHTTPClient.firstIndex(of: Array("\n\n".utf8), in: ArraySlice(Array(unread))) else { return nil }
        let block = String(decoding: Array(unread)[..<end], as: UTF8.self)
        consumed += end + 2
        var event = ServerSentEvent()
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { event.comments.append(line.dropFirst().trimmingCharacters(in: .whitespaces)); continue }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1].hasPrefix(" ") ? parts[1].dropFirst() : parts[1]) : ""
            switch parts[0] {
            case "id": event.id = value
            case "event": event.event = value
            case "data": event.data = event.data.map { $0 + "\n" + value } ?? value
            case "retry": event.retry = value
            default: break
            }
        }
        return event
    }
}
