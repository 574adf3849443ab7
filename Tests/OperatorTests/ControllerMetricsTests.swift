import Foundation
import KubeClient
import Prometheus
import TestSupport
import Testing

/// The value of the series written exactly as `series` (name and labels) in a Prometheus text scrape.
func sample(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}

@Suite("The controller's /metrics")
struct ControllerMetricsTests {
    /// Series that must be there before the first reconcile, at zero where they count something.
    static let atStart = [
        #"controller_runtime_reconcile_total{controller="hourlyimage",result="success"}"#,
        #"controller_runtime_reconcile_total{controller="hourlyimage",result="error"}"#,
        #"controller_runtime_reconcile_total{controller="hourlyimage",result="requeue_after"}"#,
        #"controller_runtime_reconcile_errors_total{controller="hourlyimage"}"#,
        #"controller_runtime_reconcile_time_seconds_count{controller="hourlyimage"}"#,
        #"workqueue_retries_total{name="hourlyimage"}"#,
        #"hourly_image_fetch_errors_total{reason="SourceUnreachable"}"#,
        #"hourly_image_fetch_errors_total{reason="StorageError"}"#,
        "hourly_image_fetch_bytes_total",
        "hourly_image_fetch_duration_seconds_count",
    ]

    /// Series present at start whose values vary (queue activity, leadership, the process).
    static let present = [
        #"workqueue_depth{name="hourlyimage"}"#, #"workqueue_adds_total{name="hourlyimage"}"#,
        #"workqueue_queue_duration_seconds_count{name="hourlyimage"}"#, #"workqueue_work_duration_seconds_count{name="hourlyimage"}"#,
        #"controller_runtime_active_workers{controller="hourlyimage"}"#, #"leader_election_master_status{name="hourly-image-controller"}"#,
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes", "process_open_fds",
        "process_max_fds", "process_start_time_seconds",
    ]

    @Test("every finite-labelled series is on /metrics from the start, and reconciles, queue times and API requests move them")
    func seriesExistAndMove() async throws {
        let h = try await OperatorHarness()
        let registry = PrometheusCollectorRegistry()
        let controller = try h.startController(registry: registry)
        try await withProbes(store: controller.store, elector: nil, problems: AccessProblems(identity: "test"), registry: registry) { base in
            let first = try await TestHTTPClient.get(base + "/metrics").text
            for series in Self.atStart { #expect(sample(first, series) == 0, "\(series) at start") }
            for series in Self.present { #expect(sample(first, series) != nil, "\(series) at start") }
            #expect(first.contains(#"workqueue_work_duration_seconds_bucket{name="hourlyimage",le="1e-08"}"#))
            #expect((sample(first, "process_start_time_seconds") ?? 0) > 1_600_000_000)
            #expect((sample(first, "process_resident_memory_bytes") ?? 0) > 0)
            #expect((sample(first, "process_open_fds") ?? 0) > 0)

            _ = try await h.client().create(.hourlyImages, h.resource("metered"))
            try await eventually("Ready=True") { try await h.fetch("metered")?.condition("Ready")?.status == .true }
            // Ready is written mid-reconcile; the reconcile's own metrics land when it returns, a moment later.
            var text = ""
            try await eventually("the reconcile recorded") {
                text = try await TestHTTPClient.get(base + "/metrics").text
                return (sample(text, #"workqueue_work_duration_seconds_count{name="hourlyimage"}"#) ?? 0) >= 1
            }
            let success = sample(text, #"controller_runtime_reconcile_total{controller="hourlyimage",result="success"}"#) ?? 0
            let requeued = sample(text, #"controller_runtime_reconcile_total{controller="hourlyimage",result="requeue_after"}"#) ?? 0
            #expect(success + requeued >= 1)
            #expect((sample(text, #"workqueue_adds_total{name="hourlyimage"}"#) ?? 0) >= 1)
            #expect((sample(text, #"workqueue_queue_duration_seconds_count{name="hourlyimage"}"#) ?? 0) >= 1)
            #expect((sample(text, #"workqueue_work_duration_seconds_count{name="hourlyimage"}"#) ?? 0) >= 1)
            #expect((sample(text, "hourly_image_fetch_bytes_total") ?? 0) > 0)
            #expect((sample(text, #"rest_client_requests_total{code="200",method="GET"}"#) ?? 0) >= 1)
            #expect(text.contains(#"rest_client_requests_total{code="200",method="PATCH"}"#) || text.contains(#"rest_client_requests_total{code="200",method="PUT"}"#))
        }
        controller.task.cancel()
        _ = await controller.task.result
        await h.tearDown()
    }
}
