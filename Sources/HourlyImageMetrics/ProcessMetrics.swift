import Prometheus
import Synchronization

/// The `process_*` metrics Prometheus client libraries export, refreshed from `/proc/self` at each scrape.
///
/// One instance per registry: it remembers how much CPU time it already added to the counter.
public final class ProcessMetrics: Sendable {
    /// The registry the metrics live in.
    public let registry: PrometheusCollectorRegistry
    private let cpu: Counter
    private let cpuReported = Mutex<Double>(0)

    /// Creates the metrics in `registry` and reads their first values.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.cpu = registry.makeCounter(descriptor: .named("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds."))
        update()
    }

    /// Reads `/proc/self` and sets the metrics.
    public func update() {
        let now = ProcSelf.current()
        if let seconds = now.cpuSeconds {
            // The kernel keeps the total; the counter moves by what it grew since the last read.
            let delta = cpuReported.withLock { last in
                defer { last = max(last, seconds) }
                return max(0, seconds - last)
            }
            cpu.increment(by: delta)
        }
        set("process_resident_memory_bytes", "Resident memory size in bytes.", now.residentBytes)
        set("process_virtual_memory_bytes", "Virtual memory size in bytes.", now.virtualBytes)
        set("process_open_fds", "Number of open file descriptors.", now.openFDs)
        set("process_max_fds", "Maximum number of open file descriptors.", now.maxFDs)
        set("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", now.startTimeSeconds)
    }

    /// The `/metrics` body: process metrics refreshed, then every metric in the registry.
    public func exposition() -> [UInt8] {
        update()
        return registry.emitToBuffer()
    }

    private func set(_ name: String, _ help: String, _ value: Double?) {
        guard let value else { return }
        registry.makeGauge(descriptor: .named(name, help: help)).set(to: value)
    }
}
