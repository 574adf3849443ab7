import Foundation

/// A request the server refuses, with the answer to send before closing.
struct HTTPParseError: Error {
    let response: TestHTTPResponse
}

/// A parsed request plus whether the client allows reusing the connection afterwards.
struct ParsedRequest {
    var request: TestHTTPRequest
    let keepAlive: Bool
}

/// Turns the bytes of a request line plus headers into a TestHTTPRequest.
enum HTTPRequestParser {
    /// Parses `head` (everything before the blank line); answers 400 or 505 on malformed input.
    static func parse(_ head: [UInt8]) -> Result<ParsedRequest, HTTPParseError> {
        // Split on bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        var lines = head.split(separator: 10, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
        }
        // Tolerate empty lines before the request line (RFC 9112 section 2.2).
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        guard let requestLine = lines.first else { return .failure(bad("empty request")) }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, !parts[1].isEmpty else { return .failure(bad("malformed request line")) }
        guard parts[2].hasPrefix("HTTP/1.") else {
            return .failure(HTTPParseError(response: .text("HTTP version not supported\n", status: 505)))
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .failure(bad("malformed header line")) }
            let name = line[..<colon].lowercased()
            guard !name.isEmpty, !name.contains(" ") else { return .failure(bad("malformed header name")) }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let earlier = headers[name] {
                headers[name] = earlier + ", " + value
            } else {
                headers[name] = value
            }
        }
        let request = TestHTTPRequest(method: String(parts[0]), target: String(parts[1]), headers: headers)
        let tokens = (headers["connection"] ?? "").lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        // HTTP/1.1 keeps the connection open unless asked not to; HTTP/1.0 only when asked to.
        let keepAlive = parts[2] == "HTTP/1.0" ? tokens.contains("keep-alive") : !tokens.contains("close")
        return .success(ParsedRequest(request: request, keepAlive: keepAlive))
    }

    private static func bad(_ reason: String) -> HTTPParseError {
        HTTPParseError(response: .text("bad request: \(reason)\n", status: 400))
    }
}
