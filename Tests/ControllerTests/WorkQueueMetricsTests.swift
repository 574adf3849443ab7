import Prometheus
import Testing

@testable import HourlyImageController

@Suite("Work queue metrics")
struct WorkQueueMetricsTests {
    /// The value of one series in the registry's text output.
    static func value(_ registry: PrometheusCollectorRegistry, _ series: String) -> Double? {
        for line in registry.emitToString().split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("taking a key observes its queue time and counts an active worker; done observes the work time")
    func durationsAndActiveWorkers() async {
        let registry = PrometheusCollectorRegistry()
        let queue = WorkQueue<String>(metrics: ControllerMetrics(registry: registry))
        #expect(Self.value(registry, #"workqueue_queue_duration_seconds_count{name="hourlyimage"}"#) == 0)
        #expect(Self.value(registry, #"controller_runtime_active_workers{controller="hourlyimage"}"#) == 0)
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
        #expect(Self.value(registry, #"workqueue_queue_duration_seconds_count{name="hourlyimage"}"#) == 2)
        #expect(Self.value(registry, #"controller_runtime_active_workers{controller="hourlyimage"}"#) == 2)
        await queue.done("a")
        #expect(Self.value(registry, #"workqueue_work_duration_seconds_count{name="hourlyimage"}"#) == 1)
        #expect(Self.value(registry, #"controller_runtime_active_workers{controller="hourlyimage"}"#) == 1)
        await queue.done("b")
        #expect(Self.value(registry, #"controller_runtime_active_workers{controller="hourlyimage"}"#) == 0)
        #expect(Self.value(registry, #"workqueue_work_duration_seconds_bucket{name="hourlyimage",le="+Inf"}"#) == 2)
    }
}
