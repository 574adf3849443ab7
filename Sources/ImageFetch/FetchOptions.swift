import HourlyImageAPI

/// Limits and policy for outbound fetches.
public struct FetchOptions: Sendable, Hashable {
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Double = 10
    /// Seconds allowed for the whole transfer, redirects included.
    public var totalTimeout: Double = 120
    /// Abort when slower than this many bytes per second …
    public var lowSpeedLimit: Int = 1024
    /// … for this many seconds.
    public var lowSpeedTime: Int = 30
    /// Largest body accepted, in bytes (default 20 MiB).
    public var maxBytes: Int64 = 20 * 1024 * 1024
    /// Redirects followed at most.
    public var maxRedirects: Int = 5
    /// Which addresses may be connected to.
    public var addressPolicy: AddressPolicy = .publicOnly
    /// The `User-Agent` header.
    public var userAgent: String = "hourly-image/\(HourlyImageVersion.current)"

    /// The defaults of docs/design.md.
    public init() {}
}
