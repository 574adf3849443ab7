import HourlyImageAPI

/// The kind of a Kubernetes Event.
public enum EventType: String, Sendable {
    case normal = "Normal"
    case warning = "Warning"
}

/// Records Events about a resource (`Fetched`, `FetchFailed`, `Promoted`, `InvalidSpec`, `Pruned`).
public protocol EventRecorder: Sendable {
    /// Records one event; implementations aggregate repeats and never throw.
    func record(_ resource: HourlyImage, type: EventType, reason: String, message: String) async
}

/// Drops events (standalone mode logs instead).
public struct NoEvents: EventRecorder {
    /// Creates the recorder.
    public init() {}

    public func record(_ resource: HourlyImage, type: EventType, reason: String, message: String) async {}
}
