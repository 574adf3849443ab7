import Foundation

/// A request as the server parsed it.
public struct TestHTTPRequest: Sendable {
    /// The request method, e.g. "GET".
    public var method: String
    /// The request target as sent: path plus query, e.g. "/id/237/1200/1200.jpg?x=1".
    public var target: String
    /// The target without its query.
    public var path: String
    /// The header fields, keys lowercased; repeated fields are joined with ", ".
    public var headers: [String: String]
    /// The request body (read according to Content-Length; empty without one).
    public var body: Data

    /// Creates a request; the server builds these, tests rarely need to.
    public init(method: String, target: String, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.target = target
        self.path = String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        self.headers = headers
        self.body = body
    }

    /// The value of a header field, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}

/// What the server sends back, including deliberate misbehaviour.
public struct TestHTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields sent in order; Content-Length is added automatically unless `declaredLength` or `chunkedEncoding` says otherwise.
    public var headers: [(String, String)]
    /// The body bytes actually sent.
    public var body: Data
    /// Content-Length to announce instead of `body.count`; a mismatch closes the connection after sending (with chunked encoding: the final zero chunk is omitted).
    public var declaredLength: Int?
    /// Seconds to wait before sending anything (slow server).
    public var delayBeforeHeaders: Double
    /// Sends the body in pieces of this size; 0 or less sends it whole.
    public var bodyChunkSize: Int
    /// Seconds to wait between body pieces (slow body).
    public var delayBetweenChunks: Double
    /// Uses Transfer-Encoding: chunked (one chunk per piece) instead of Content-Length.
    public var chunkedEncoding: Bool

    /// Creates a well-behaved response.
    public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
        self.declaredLength = nil
        self.delayBeforeHeaders = 0
        self.bodyChunkSize = 0
        self.delayBetweenChunks = 0
        self.chunkedEncoding = false
    }

    /// A redirect to `location` with an empty body.
    public static func redirect(to location: String, status: Int = 302) -> TestHTTPResponse {
        TestHTTPResponse(status: status, headers: [("Location", location)])
    }

    /// A UTF-8 text response with the given content type.
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain") -> TestHTTPResponse {
        TestHTTPResponse(status: status, headers: [("Content-Type", contentType)], body: Data(text.utf8))
    }

    /// The value of the first header field with this name, looked up case-insensitively.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }
}
