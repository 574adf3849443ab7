import Prometheus

/// The web renderer's Prometheus metrics.
public struct WebMetrics: Sendable {
    /// The registry `/metrics` prints (shared with the controller in standalone mode).
    public let registry: PrometheusCollectorRegistry

    /// Creates the metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Counts one HTTP request by route and status code.
    func request(route: String, status: Int) {
        registry.makeCounter(
            name: "hourly_image_http_requests_total", labels: [("route", route), ("code", String(status))],
            help: "HTTP requests served, by route and status code"
        ).increment()
    }

    /// Counts one page view of an image.
    func pageView(_ key: String) {
        registry.makeCounter(name: "hourly_image_page_views_total", labels: [("hourlyimage", key)], help: "Page views").increment()
    }

    /// Counts one grace view recorded for an expired image.
    func graceView(_ key: String) {
        registry.makeCounter(
            name: "hourly_image_grace_views_total", labels: [("hourlyimage", key)],
            help: "Page views of an expired image counted as grace views"
        ).increment()
    }
}
