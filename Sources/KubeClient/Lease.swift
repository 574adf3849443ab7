import Foundation
import HourlyImageAPI

/// A `coordination.k8s.io/v1` Lease, used for leader election.
public struct Lease: KubeObject, Hashable {
    /// The lease's spec (timestamps are `MicroTime`, RFC 3339 with microseconds).
    public struct Spec: Codable, Sendable, Hashable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        public var acquireTime: String?
        public var renewTime: String?
        public var leaseTransitions: Int?

        /// Creates a spec.
        public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: String? = nil, renewTime: String? = nil, leaseTransitions: Int? = nil) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }

    public var apiVersion = "coordination.k8s.io/v1"
    public var kind = "Lease"
    public var metadata: ObjectMeta
    public var spec: Spec

    /// Creates a lease.
    public init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// Formats a `MicroTime`: RFC 3339 in UTC with six fractional digits.
    public static func microTime(_ date: Date) -> String {
        let seconds = Timestamp(date)
        let micros = Int((date.timeIntervalSince1970 - Double(seconds.secondsSince1970)) * 1_000_000)
        return String(seconds.rfc3339.dropLast()) + String(format: ".%06dZ", micros)
    }

    /// Parses a `MicroTime` (or any RFC 3339 time) to a date, keeping the fraction.
    public static func parseMicroTime(_ text: String?) -> Date? {
        guard let text, let whole = Timestamp(rfc3339: text) else { return nil }
        var fraction = 0.0
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            fraction = Double("0" + text[dot..<end]) ?? 0
        }
        return Date(timeIntervalSince1970: Double(whole.secondsSince1970) + fraction)
    }
}

/// An `events.k8s.io/v1` Event about an object.
public struct KubeEvent: KubeObject, Hashable {
    /// A reference to the object the event is about.
    public struct Reference: Codable, Sendable, Hashable {
        public var apiVersion: String?
        public var kind: String?
        public var name: String?
        public var namespace: String?
        public var uid: String?
        public var resourceVersion: String?

        /// Creates a reference.
        public init(apiVersion: String?, kind: String?, name: String?, namespace: String?, uid: String?, resourceVersion: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    /// Repeats of the same event, counted instead of new objects.
    public struct Series: Codable, Sendable, Hashable {
        public var count: Int
        public var lastObservedTime: String

        /// Creates a series.
        public init(count: Int, lastObservedTime: String) {
            self.count = count
            self.lastObservedTime = lastObservedTime
        }
    }

    public var apiVersion = "events.k8s.io/v1"
    public var kind = "Event"
    public var metadata: ObjectMeta
    public var eventTime: String
    public var series: Series?
    public var reportingController: String
    public var reportingInstance: String
    public var action: String
    public var reason: String
    public var regarding: Reference
    public var note: String?
    public var type: String

    /// Creates an event.
    public init(
        metadata: ObjectMeta, eventTime: String, reportingController: String, reportingInstance: String, action: String,
        reason: String, regarding: Reference, note: String?, type: String
    ) {
        self.metadata = metadata
        self.eventTime = eventTime
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.note = note
        self.type = type
    }
}
