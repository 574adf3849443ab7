import Prometheus

extension MetricNameDescriptor {
    /// A descriptor for a full metric name as written (unit suffix included) with its help text.
    public static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
