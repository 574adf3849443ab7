import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A response as a test sees it.
public struct TestHTTPResult: Sendable {
    /// The status code.
    public var status: Int
    /// Response headers, names lowercased (the last value wins).
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A small HTTP/1.1 client for tests over a plain socket: one request per connection (`Connection: close`),
/// no redirects followed, run on a thread of its own, off the concurrency pool.
public enum TestHTTPClient {
    /// Sends a request and returns the response; throws only when no response arrived.
    public static func send(
        _ url: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil, timeout: Double = 10
    ) async throws -> TestHTTPResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TestHTTPResult, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try perform(url, method: method, headers: headers, body: body, timeout: timeout) })
            }
            thread.start()
        }
    }

    /// GET shorthand.
    public static func get(_ url: String, headers: [String: String] = [:]) async throws -> TestHTTPResult {
        try await send(url, headers: headers)
    }

    static func perform(_ url: String, method: String, headers: [String: String], body: Data?, timeout: Double) throws -> TestHTTPResult {
        guard let target = Target(url) else { throw TestHTTPServerError("not an http:// URL: \(url)") }
        let fd = try Socket.connect(host: target.host, port: target.port, timeout: timeout)
        defer { close(fd) }
        var head = "\(method) \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        guard Socket.sendAll(fd, Data(head.utf8) + (body ?? Data())) else {
            throw TestHTTPServerError("request to \(url) failed: send", errno: errno)
        }
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            let count = Socket.receive(fd, appendingTo: &received)
            if count == 0 { break }
            if count < 0 { throw TestHTTPServerError("request to \(url) failed: receive", errno: errno) }
            if ContinuousClock.now > deadline { throw TestHTTPServerError("request to \(url) timed out after \(timeout) s") }
        }
        guard let response = parse(received, method: method) else {
            throw TestHTTPServerError("request to \(url) failed: no complete HTTP response (\(received.count) bytes)")
        }
        return response
    }

    /// The status line, headers and (de-chunked) body of one response read to the end of the stream.
    static func parse(_ bytes: [UInt8], method: String) -> TestHTTPResult? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = firstIndex(of: separator, in: bytes[...]) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var rest = bytes[(end + separator.count)...]
        if method == "HEAD" || status == 204 || status == 304 {
            rest = rest.prefix(0)
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            guard let decoded = dechunk(rest) else { return nil }
            return TestHTTPResult(status: status, headers: headers, body: Data(decoded))
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard rest.count >= length else { return nil }
            rest = rest.prefix(length)
        }
        return TestHTTPResult(status: status, headers: headers, body: Data(rest))
    }

    /// The body of a chunked transfer coding; nil when it is cut short.
    static func dechunk(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        let crlf: [UInt8] = [13, 10]
        var body: [UInt8] = []
        var rest = bytes
        while true {
            guard let lineEnd = firstIndex(of: crlf, in: rest) else { return nil }
            let sizeText = String(decoding: rest[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return nil }
            rest = rest[(lineEnd + 2)...]
            if size == 0 { return body }
            guard rest.count >= size + 2 else { return nil }
            body += rest.prefix(size)
            rest = rest.dropFirst(size + 2)
        }
    }

    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Host, port and request target of an `http://` URL.
    struct Target {
        var host: String
        var port: Int
        var path: String
        var hostHeader: String

        init?(_ url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let afterScheme = url.dropFirst("http://".count)
            let authority = afterScheme.prefix { $0 != "/" && $0 != "?" }
            let rest = afterScheme.dropFirst(authority.count)
            path = rest.isEmpty ? "/" : rest.hasPrefix("?") ? "/" + rest : String(rest)
            hostHeader = String(authority)
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { return nil }
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                port = after.hasPrefix(":") ? Int(after.dropFirst()) ?? -1 : 80
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                port = Int(authority[authority.index(after: colon)...]) ?? -1
            } else {
                host = String(authority)
                port = 80
            }
            guard (0...65535).contains(port) else { return nil }
        }
    }
}
