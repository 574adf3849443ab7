import Hummingbird

extension Router {
    /// Adds `GET /metrics`, answering with `exposition()` in the Prometheus text format; the one metrics route of every process.
    public func addMetricsRoute(_ exposition: @escaping @Sendable () -> [UInt8]) {
        get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: exposition())))
        }
    }
}
