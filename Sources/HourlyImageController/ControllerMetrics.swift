import Prometheus

/// The controller's metrics, with controller-runtime's conventional names.
public struct ControllerMetrics: Sendable {
    /// The registry `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    static let controller = ("controller", "hourlyimage")
    static let queueName = ("name", "hourlyimage")

    /// Creates the metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        setLeader(false)
        queueDepth(0)
    }

    /// One reconcile finished: `success`, `error`, `requeue_after`.
    func reconciled(result: String, seconds: Double) {
        registry.makeCounter(name: "controller_runtime_reconcile_total", labels: [Self.controller, ("result", result)], help: "Total number of reconciliations per controller").increment()
        if result == "error" {
            registry.makeCounter(name: "controller_runtime_reconcile_errors_total", labels: [Self.controller], help: "Total number of reconciliation errors per controller").increment()
        }
        registry.makeValueHistogram(
            name: "controller_runtime_reconcile_time_seconds", labels: [Self.controller],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
            help: "Length of time per reconciliation per controller"
        ).record(seconds)
    }

    /// The work queue's depth.
    func queueDepth(_ depth: Int) {
        registry.makeGauge(name: "workqueue_depth", labels: [Self.queueName], help: "Current depth of workqueue").set(to: Double(depth))
    }

    /// Keys added to the work queue.
    func queueAdds(_ count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(name: "workqueue_adds_total", labels: [Self.queueName], help: "Total number of adds handled by workqueue").increment(by: Int64(count))
    }

    /// Rate-limited re-adds.
    func queueRetries(_ count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(name: "workqueue_retries_total", labels: [Self.queueName], help: "Total number of retries handled by workqueue").increment(by: Int64(count))
    }

    /// 1 while this replica leads.
    public func setLeader(_ leading: Bool) {
        registry.makeGauge(name: "leader_election_master_status", labels: [("name", "hourly-image-controller")], help: "Whether this replica is the leader (1) or a standby (0)").set(to: leading ? 1.0 : 0.0)
    }

    /// One successful image fetch.
    func fetched(bytes: Int64, seconds: Double) {
        registry.makeCounter(name: "hourly_image_fetch_bytes_total", labels: [], help: "Image bytes downloaded").increment(by: bytes)
        registry.makeValueHistogram(
            name: "hourly_image_fetch_duration_seconds", labels: [], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
            help: "Time to download and store one image"
        ).record(seconds)
    }

    /// One failed image fetch, by Degraded reason.
    func fetchFailed(reason: String) {
        registry.makeCounter(name: "hourly_image_fetch_errors_total", labels: [("reason", reason)], help: "Failed image downloads by reason").increment()
    }
}

extension Swift.Duration {
    /// The duration in seconds, for metrics.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
