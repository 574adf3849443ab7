import Prometheus

/// client-go's `rest_client_requests_total{code,method}`: every Kubernetes API request, by status code and method.
public struct RestClientMetrics: Sendable {
    /// The registry the counter lives in.
    public let registry: PrometheusCollectorRegistry

    static var requests: MetricNameDescriptor {
        .named("rest_client_requests_total", help: "Number of HTTP requests, partitioned by status code, method, and host")
    }

    /// Creates the metric in `registry` (series appear with their first request: codes are not a finite set).
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Counts one request answered with `code` (`<error>` when no response came).
    public func request(method: String, code: String) {
        registry.makeCounter(descriptor: Self.requests, labels: [("code", code), ("method", method)]).increment()
    }

    /// A closure to hand to `KubeClient(connection:observer:)`.
    public var observer: @Sendable (_ method: String, _ code: String) -> Void {
        { [self] method, code in request(method: method, code: code) }
    }
}
