import HTTPTypes
import Hummingbird

/// The security headers of every response, built once (a generic type cannot hold static stored properties).
enum SecurityHeaders {
    /// The Content-Security-Policy of every response.
    static let contentSecurityPolicy =
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The four headers, built once (the handlers never set them themselves).
    static let fields: [HTTPField] = [
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
        HTTPField(name: .contentSecurityPolicy, value: contentSecurityPolicy),
        HTTPField(name: HTTPField.Name("X-Frame-Options")!, value: "DENY"),
        HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "no-referrer"),
    ]
}

/// Headers that keep a browser from misreading or embedding what the web serves: no MIME sniffing, no framing,
/// nothing loaded from anywhere but this origin (the page's own inline style and countdown script excepted), no
/// referrer leaking the page's address.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // A 404 for an unknown path (on the public port: /metrics, /apis/...) carries the headers too.
            response = try error.response(from: request, context: context)
        }
        response.headers.append(contentsOf: SecurityHeaders.fields)
        return response
    }
}
