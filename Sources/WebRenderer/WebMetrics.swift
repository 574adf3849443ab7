import HourlyImageMetrics
import Prometheus

/// The web renderer's Prometheus metrics, with the `process_*` ones.
public struct WebMetrics: Sendable {
    /// The registry `/metrics` prints (shared with the controller in standalone mode).
    public let registry: PrometheusCollectorRegistry
    /// The `process_*` metrics, refreshed at each scrape.
    let process: ProcessMetrics

    static var requests: MetricNameDescriptor { .named("hourly_image_http_requests_total", help: "HTTP requests served, by route and status code") }
    static var pageViews: MetricNameDescriptor { .named("hourly_image_page_views_total", help: "Page views") }
    static var graceViews: MetricNameDescriptor { .named(
        "hourly_image_grace_views_total", help: "Page views of an expired image counted as grace views") }

    /// Creates the metrics in `registry`; each route's `200` series starts at zero (other codes and the
    /// per-resource view counts have no finite set of label values to create ahead).
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.process = ProcessMetrics(registry: registry)
        var ok: [String: Counter] = [:]
        for route in WebRenderer.publicRoutes + WebRenderer.adminRoutes {
            ok[route] = registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("code", "200")])
        }
        self.ok = ok
    }

    /// Each route's `200` series, looked up without the registry's lock on the hot path.
    private let ok: [String: Counter]

    /// The `/metrics` body.
    func exposition() -> [UInt8] { process.exposition() }

    /// Counts one HTTP request by route and status code.
    func request(route: String, status: Int) {
        if status == 200, let counter = ok[route] { return counter.increment() }
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("code", String(status))]).increment()
    }

    /// Counts one page view of an image.
    func pageView(_ key: String) {
        registry.makeCounter(descriptor: Self.pageViews, labels: [("hourlyimage", key)]).increment()
    }

    /// Counts one grace view recorded for an expired image.
    func graceView(_ key: String) {
        registry.makeCounter(descriptor: Self.graceViews, labels: [("hourlyimage", key)]).increment()
    }
}
