import Foundation

/// Sends one TestHTTPResponse, carrying out its delays, piecing and deliberate framing errors.
struct HTTPResponseWriter {
    let core: HTTPServerCore
    let fd: Int32

    /// Sends `response`; true when the connection may serve another request.
    func send(_ response: TestHTTPResponse, isHead: Bool, keepAlive: Bool) -> Bool {
        if response.delayBeforeHeaders > 0, !core.pause(response.delayBeforeHeaders, fd: fd) { return false }

        let status = response.status
        let bodyAllowed = !((100..<200).contains(status) || status == 204 || status == 304)
        let chunked = response.chunkedEncoding && bodyAllowed
        var headers = response.headers
        var framingBroken = false
        if chunked {
            if response.header("transfer-encoding") == nil { headers.append(("Transfer-Encoding", "chunked")) }
            framingBroken = response.declaredLength.map { $0 != response.body.count } ?? false
        } else if let given = response.header("content-length") {
            framingBroken = Int(given) != response.body.count
        } else if bodyAllowed {
            let announced = response.declaredLength ?? response.body.count
            headers.append(("Content-Length", String(announced)))
            framingBroken = announced != response.body.count
        }
        let closeRequested = response.header("connection")?.lowercased().contains("close") ?? false
        let close = !keepAlive || framingBroken || closeRequested
        if close, response.header("connection") == nil { headers.append(("Connection", "close")) }

        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        guard Socket.sendAll(fd, Data(head.utf8)) else { return false }
        guard bodyAllowed, !isHead else { return !close }

        let body = response.body
        let pieceSize = response.bodyChunkSize > 0 ? response.bodyChunkSize : max(body.count, 1)
        var offset = body.startIndex
        while offset < body.endIndex {
            if offset > body.startIndex, response.delayBetweenChunks > 0,
               !core.pause(response.delayBetweenChunks, fd: fd) { return false }
            let end = min(offset + pieceSize, body.endIndex)
            var piece = Data(body[offset..<end])
            if chunked { piece = Data("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Data("\r\n".utf8) }
            guard Socket.sendAll(fd, piece) else { return false }
            offset = end
        }
        if chunked, !framingBroken {
            guard Socket.sendAll(fd, Data("0\r\n\r\n".utf8)) else { return false }
        }
        return !close
    }

    /// The reason phrase for common status codes.
    static func reason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
