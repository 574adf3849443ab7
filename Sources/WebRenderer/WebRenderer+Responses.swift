import Foundation
import Hummingbird

extension WebRenderer {
    /// A small HTML "not found" page in the page's style.
    func notFoundPage(_ message: String) -> String {
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title><style>\(PageStyle.css)</style></head><body><main><div class=\"card empty\"><h2>\(HTML.escape(message))</h2><p><a href=\"/images\">All images</a></p></div></main></body></html>"
    }

    /// An HTML response that is never cached.
    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        html(ByteBuffer(string: text), status: status)
    }

    /// An HTML response from bytes already rendered.
    func html(_ page: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: Self.htmlHeaders, body: .init(byteBuffer: page))
    }

    /// The headers of every page: HTML, never cached (a view may count a grace view).
    static let htmlHeaders: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]

    /// A JSON response that is never cached.
    func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A plain-text response that is never cached.
    func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Response {
    /// This response as a HEAD answers it: the same status and headers (Content-Length included), no body.
    func forMethod(_ method: HTTPRequest.Method) -> Response {
        method == .head ? createHeadResponse() : self
    }

    /// This response, or its HEAD form when `body` is false.
    func forBody(_ body: Bool) -> Response {
        body ? self : createHeadResponse()
    }
}
