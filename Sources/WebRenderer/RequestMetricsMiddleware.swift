import Hummingbird

/// Counts requests by matched route and status code.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: WebMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", status: response.status.code)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: context.endpointPath ?? "unmatched", status: status)
            throw error
        }
    }
}
