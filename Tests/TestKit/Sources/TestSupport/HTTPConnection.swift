import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves the requests of one client connection, one after the other (keep-alive), on its own thread.
struct HTTPConnection {
    /// The most a request line plus headers may take.
    static let maxHeadBytes = 64 * 1024

    let core: HTTPServerCore
    let fd: Int32
    /// Bytes received but not yet consumed (the start of a pipelined request, for instance).
    private var buffer: [UInt8] = []

    init(core: HTTPServerCore, fd: Int32) {
        self.core = core
        self.fd = fd
    }

    /// Loops until the client closes, a response asks to close, or the server stops.
    mutating func serve() {
        while !core.isStopped {
            guard let head = readHead() else { return }
            var parsed: ParsedRequest
            switch HTTPRequestParser.parse(head) {
            case .success(let result): parsed = result
            case .failure(let error):
                refuse(error.response)
                return
            }
            if parsed.request.header("transfer-encoding") != nil {
                refuse(.text("chunked request bodies are not supported\n", status: 501))
                return
            }
            if let lengthText = parsed.request.header("content-length") {
                guard let length = Int(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0 else {
                    refuse(.text("bad Content-Length\n", status: 400))
                    return
                }
                if parsed.request.header("expect")?.lowercased() == "100-continue", buffer.count < length {
                    guard Socket.sendAll(fd, Data("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
                }
                guard let body = readBody(length) else { return }
                parsed.request.body = body
            }
            core.record(parsed.request)
            let response = core.handler(parsed.request)
            let writer = HTTPResponseWriter(core: core, fd: fd)
            guard writer.send(response, isHead: parsed.request.method == "HEAD", keepAlive: parsed.keepAlive) else { return }
        }
    }

    /// Answers a request the server will not serve, then the caller closes the connection.
    private func refuse(_ response: TestHTTPResponse) {
        _ = HTTPResponseWriter(core: core, fd: fd).send(response, isHead: false, keepAlive: false)
    }

    /// Reads up to the blank line ending the headers; nil at end of stream, on error, or after answering 431.
    private mutating func readHead() -> [UInt8]? {
        var searchFrom = 0
        while true {
            let end = Self.headEnd(in: buffer, from: searchFrom)
            if (end ?? buffer.count) > Self.maxHeadBytes {
                refuse(.text("request header too large\n", status: 431))
                return nil
            }
            if let end {
                let head = Array(buffer[..<end])
                buffer.removeFirst(end + 4)
                return head
            }
            searchFrom = max(0, buffer.count - 3)
            guard Socket.receive(fd, appendingTo: &buffer) > 0 else { return nil }
        }
    }

    /// Reads exactly `length` body bytes; nil if the client goes away first.
    private mutating func readBody(_ length: Int) -> Data? {
        while buffer.count < length {
            guard Socket.receive(fd, appendingTo: &buffer) > 0 else { return nil }
        }
        let body = Data(buffer[..<length])
        buffer.removeFirst(length)
        return body
    }

    /// The index of "\r\n\r\n" in `bytes`, searching from `start`.
    private static func headEnd(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 3 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }
}
