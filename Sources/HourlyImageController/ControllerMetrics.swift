import HourlyImageAPI
import HourlyImageMetrics
import Prometheus

/// The controller's metrics, with controller-runtime's and client-go's names and buckets.
///
/// Every series whose label values are a known, finite set is created at zero in `init`, so a
/// scrape before the first reconcile already shows them (a zero error count is data).
public struct ControllerMetrics: Sendable {
    /// The registry `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    static let controller = ("controller", "hourlyimage")
    static let queueName = ("name", "hourlyimage")
    /// The values of `controller_runtime_reconcile_total`'s `result` label.
    static let results = ["success", "error", "requeue_after"]
    /// controller-runtime's reconcile-time buckets.
    static let reconcileBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
    /// client-go's workqueue buckets: `ExponentialBuckets(10e-9, 10, 12)`, 10 ns to 1000 s.
    static let queueBuckets: [Double] = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000]
    static let fetchBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

    static var reconcileTotal: MetricNameDescriptor { .named("controller_runtime_reconcile_total", help: "Total number of reconciliations per controller") }
    static var reconcileErrors: MetricNameDescriptor { .named("controller_runtime_reconcile_errors_total", help: "Total number of reconciliation errors per controller") }
    static var reconcileTime: MetricNameDescriptor { .named("controller_runtime_reconcile_time_seconds", help: "Length of time per reconciliation per controller") }
    static var activeWorkers: MetricNameDescriptor { .named("controller_runtime_active_workers", help: "Number of currently used workers per controller") }
    static var depth: MetricNameDescriptor { .named("workqueue_depth", help: "Current depth of workqueue") }
    static var adds: MetricNameDescriptor { .named("workqueue_adds_total", help: "Total number of adds handled by workqueue") }
    static var retries: MetricNameDescriptor { .named("workqueue_retries_total", help: "Total number of retries handled by workqueue") }
    static var queueDuration: MetricNameDescriptor { .named(
        "workqueue_queue_duration_seconds", help: "How long in seconds an item stays in workqueue before being requested") }
    static var workDuration: MetricNameDescriptor { .named("workqueue_work_duration_seconds", help: "How long in seconds processing an item from workqueue takes") }
    static var leader: MetricNameDescriptor { .named("leader_election_master_status", help: "Whether this replica is the leader (1) or a standby (0)") }
    static var fetchBytes: MetricNameDescriptor { .named("hourly_image_fetch_bytes_total", help: "Image bytes downloaded") }
    static var fetchDuration: MetricNameDescriptor { .named("hourly_image_fetch_duration_seconds", help: "Time to download and store one image") }
    static var fetchErrors: MetricNameDescriptor { .named("hourly_image_fetch_errors_total", help: "Failed image downloads by reason") }

    /// Creates the metrics in `registry`, every finite-labelled series at zero.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        setLeader(false)
        queueDepth(0)
        for result in Self.results { _ = registry.makeCounter(descriptor: Self.reconcileTotal, labels: [Self.controller, ("result", result)]) }
        _ = registry.makeCounter(descriptor: Self.reconcileErrors, labels: [Self.controller])
        _ = registry.makeValueHistogram(descriptor: Self.reconcileTime, labels: [Self.controller], buckets: Self.reconcileBuckets)
        registry.makeGauge(descriptor: Self.activeWorkers, labels: [Self.controller]).set(to: 0)
        _ = registry.makeCounter(descriptor: Self.adds, labels: [Self.queueName])
        _ = registry.makeCounter(descriptor: Self.retries, labels: [Self.queueName])
        _ = registry.makeValueHistogram(descriptor: Self.queueDuration, labels: [Self.queueName], buckets: Self.queueBuckets)
        _ = registry.makeValueHistogram(descriptor: Self.workDuration, labels: [Self.queueName], buckets: Self.queueBuckets)
        _ = registry.makeCounter(descriptor: Self.fetchBytes)
        _ = registry.makeValueHistogram(descriptor: Self.fetchDuration, buckets: Self.fetchBuckets)
        for reason in FailureReason.allCases { _ = registry.makeCounter(descriptor: Self.fetchErrors, labels: [("reason", reason.rawValue)]) }
    }

    /// One reconcile finished: `success`, `error`, `requeue_after`.
    func reconciled(result: String, seconds: Double) {
        registry.makeCounter(descriptor: Self.reconcileTotal, labels: [Self.controller, ("result", result)]).increment()
        if result == "error" {
            registry.makeCounter(descriptor: Self.reconcileErrors, labels: [Self.controller]).increment()
        }
        registry.makeValueHistogram(descriptor: Self.reconcileTime, labels: [Self.controller], buckets: Self.reconcileBuckets).record(seconds)
    }

    /// Workers currently inside a reconcile.
    func activeWorkers(_ count: Int) {
        registry.makeGauge(descriptor: Self.activeWorkers, labels: [Self.controller]).set(to: Double(count))
    }

    /// The work queue's depth.
    func queueDepth(_ depth: Int) {
        registry.makeGauge(descriptor: Self.depth, labels: [Self.queueName]).set(to: Double(depth))
    }

    /// Keys added to the work queue.
    func queueAdds(_ count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(descriptor: Self.adds, labels: [Self.queueName]).increment(by: Int64(count))
    }

    /// Failed passes handed back to the queue for a retry.
    func queueRetries(_ count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(descriptor: Self.retries, labels: [Self.queueName]).increment(by: Int64(count))
    }

    /// A key waited `seconds` in the queue before a worker took it.
    func queueWaited(seconds: Double) {
        registry.makeValueHistogram(descriptor: Self.queueDuration, labels: [Self.queueName], buckets: Self.queueBuckets).record(seconds)
    }

    /// A worker held a key for `seconds` (from taking it to `done`).
    func queueWorked(seconds: Double) {
        registry.makeValueHistogram(descriptor: Self.workDuration, labels: [Self.queueName], buckets: Self.queueBuckets).record(seconds)
    }

    /// 1 while this replica leads.
    public func setLeader(_ leading: Bool) {
        registry.makeGauge(descriptor: Self.leader, labels: [("name", "hourly-image-controller")]).set(to: leading ? 1.0 : 0.0)
    }

    /// One Kubernetes API request answered with `code` (`<error>` when no response came), as client-go counts them.
    public func restRequest(method: String, code: String) {
        RestClientMetrics(registry: registry).request(method: method, code: code)
    }

    /// One successful image fetch.
    func fetched(bytes: Int64, seconds: Double) {
        registry.makeCounter(descriptor: Self.fetchBytes).increment(by: bytes)
        registry.makeValueHistogram(descriptor: Self.fetchDuration, buckets: Self.fetchBuckets).record(seconds)
    }

    /// One failed image fetch, by Degraded reason.
    func fetchFailed(reason: String) {
        registry.makeCounter(descriptor: Self.fetchErrors, labels: [("reason", reason)]).increment()
    }
}

extension Swift.Duration {
    /// The duration in seconds, for metrics.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
